"""Every role's daily work in the browser (issue 13): each role's home page, a notification that
arrives by mail (a real SMTP server in this process) and in the portal, and a board pack made by
a real Celery worker while the page shows its progress."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.models import UploadStatus
from governance.models import (
    AgendaItem,
    AssessmentKind,
    AssessmentOutcome,
    BoardPack,
    DecisionStatus,
    ImpactAssessment,
    ReportingMoment,
    ReportStatus,
)
from governance.notifications import tasks as notification_tasks
from tests import services
from tests.dashboards.factories import IND_Q1, approved_upload, submit
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    RecommendationFactory,
    make_user,
    org,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[services.SMTPServer]:
    with services.running_smtp_server() as server:
        yield server


@pytest.fixture
def chain(transactional_db):
    """Milestones of IND and COA with their actions and recommendations, an upload to review,
    a meeting with a decision to take, a reporting moment and a decision."""
    for owner, title, due in (
        ("IND", "Nulmeting uitgevoerd", -4),
        ("IND", "Pilot snelle procedure gestart", 12),
        ("COA", "Opvanglocatie geopend", -9),
    ):
        action = ActionFactory(
            owner=org(owner),
            title=f"Actie: {title}",
            recommendations=[RecommendationFactory(code=f"R-{owner}-{due}")],
        )
        MilestoneFactory(action=action, title=title, due_date=days(due), status="in_progress")
    approved_upload("COA", {}, status=UploadStatus.VALID)
    meeting = MeetingFactory(title="Topberaad december", date=days(7))
    AgendaItem.objects.create(meeting=meeting, order=1, title="Opvangcapaciteit")
    decision = DecisionFactory(
        meeting=meeting, title="Extra opvangcapaciteit", status=DecisionStatus.PROPOSED
    )
    ImpactAssessment.objects.create(
        decision=decision,
        kind=AssessmentKind.EXECUTION_TEST,
        requested_on=days(-10),
        outcome=AssessmentOutcome.CONDITIONAL,
        summary="Uitvoerbaar als er budget komt.",
    )
    regie = make_user("regie", "JENV", username="regie-daily")
    ReportingMoment.objects.create(date=days(20), title="Voortgangsbrief", created_by=regie)
    return {"regie": regie, "meeting": meeting}


def test_each_role_finds_its_own_work_on_its_home_page(
    live_server, page, login, chain, assert_accessible
):
    login(make_user("partner", "IND", username="ind-daily"))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mijn werk")
    overdue = page.locator(
        "section",
        has=page.get_by_role("heading", name=re.compile("Onze mijlpalen over de deadline")),
    )
    expect(overdue).to_contain_text("Nulmeting uitgevoerd")
    expect(overdue).to_contain_text("Actie: Nulmeting uitgevoerd")
    expect(overdue).to_contain_text("R-IND--4")
    expect(page.locator("main")).not_to_contain_text("Opvanglocatie geopend")
    expect(page.get_by_role("heading", name=re.compile("^Ontbreekt"))).to_be_visible()
    assert_accessible(page)

    login(chain["regie"])
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk – Regie Migratieketen")
    review = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("te beoordelen"))
    )
    expect(review.get_by_role("cell", name="COA")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Opvanglocatie geopend")
    expect(page.locator("main")).to_contain_text("Topberaad december")
    expect(page.locator("main")).to_contain_text("Voortgangsbrief")
    assert_accessible(page)

    login(make_user("viewer", "JENV", username="viewer-daily"))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("De keten in één oogopslag")
    expect(page.get_by_role("heading", name="RAG-status per thema")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^2\\.")).first).to_contain_text("Rood")
    expect(page.locator("main")).to_contain_text("Extra opvangcapaciteit")
    assert_accessible(page)


def test_a_rejection_arrives_by_mail_with_its_reason_and_in_the_portal(
    live_server, page, login, chain, settings, smtp_server, assert_accessible
):
    settings.MAILERS = smtp_server.mailer()
    settings.PORTAL_URL = live_server.url
    smtp_server.messages.clear()
    partner = make_user("partner", "IND", username="ind-mail")
    partner.email = "analist@ind.example.test"
    partner.save()
    upload = submit(partner, IND_Q1)
    assert upload.status == UploadStatus.VALID

    login(chain["regie"])
    page.goto(f"{live_server.url}/aanleveringen/{upload.pk}/")
    page.get_by_label("Reden").fill("Maart wijkt af van de CBS-cijfers")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.locator("main")).to_contain_text("Maart wijkt af van de CBS-cijfers")

    notification_tasks.notify()  # what beat runs every NOTIFY_EVERY_MINUTES
    notification_tasks.notify()  # and again: nothing is mailed twice

    rejected = [
        m
        for m in smtp_server.messages
        if "afgewezen" in str(make_header(decode_header(m["Subject"])))
    ]
    assert len(rejected) == 1
    mail = rejected[0]
    assert mail["To"] == "analist@ind.example.test"
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert "Maart wijkt af van de CBS-cijfers" in body
    link = re.search(rf"{re.escape(live_server.url)}(/aanleveringen/\d+/)", body).group(1)

    login(partner)
    page.goto(live_server.url + "/")
    bell = page.locator("#notification-bell")
    expect(bell).to_contain_text(re.compile(r"Meldingen \d+"))  # loaded by htmx after the page
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    item = page.locator("li.notification", has_text="is afgewezen")
    expect(item).to_contain_text("Reden: Maart wijkt af van de CBS-cijfers")
    assert_accessible(page)
    item.get_by_role("button", name=re.compile("Markeren als gelezen")).click()
    expect(page.locator("li.notification.unread", has_text="is afgewezen")).to_have_count(0)
    page.goto(live_server.url + link)
    expect(page.locator("main")).to_contain_text("Afgewezen op")


def test_regie_makes_the_board_pack_and_downloads_the_tagged_pdf(
    live_server, page, login, chain, celery_worker_process, assert_accessible
):
    meeting = chain["meeting"]
    login(chain["regie"])
    page.goto(f"{live_server.url}/vergaderingen/{meeting.pk}/")
    page.get_by_role("link", name=re.compile("^Vergaderstukken")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vergaderstukken")
    assert_accessible(page)

    page.get_by_role("button", name="Vergaderstukken maken").click()
    # The real worker makes the pack; the page polls until it is there.
    expect(page.get_by_role("heading", name="Downloaden")).to_be_visible(timeout=90_000)
    pack_part = page.locator("#pack")
    expect(pack_part).to_contain_text("Extra opvangcapaciteit")
    expect(pack_part).to_contain_text("Uitvoerbaar als er budget komt.")
    expect(pack_part).to_contain_text("Opvangcapaciteit")
    assert_accessible(page)

    pack = BoardPack.objects.get()
    assert pack.status == ReportStatus.SUCCEEDED
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == pack.pdf_sha256
