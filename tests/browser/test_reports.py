import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import MilestoneStatus
from governance.models import ProgressReport, ReportingMoment, ReportStatus
from tests.factories import MilestoneFactory, make_user, org

# live_server flushes the database after each test; seeded restores the seeded
# organisations, themes and indicators from the migrations.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


TODAY = timezone.localdate()


@pytest.fixture
def regie_user(transactional_db):
    return make_user("regie", "JENV", username="regie-browser")


@pytest.fixture
def chain(transactional_db):
    MilestoneFactory(
        title="Besliscapaciteit uitgebreid",
        action__owner=org("IND"),
        status=MilestoneStatus.DONE,
        completed_on=TODAY - datetime.timedelta(days=2),
        due_date=TODAY - datetime.timedelta(days=1),
    )
    MilestoneFactory(
        title="Ketenbrede planning vastgesteld",
        action__owner=org("COA"),
        status=MilestoneStatus.IN_PROGRESS,
        due_date=TODAY - datetime.timedelta(days=9),
        at_risk=True,
        risk_reason="Capaciteit ontbreekt",
    )


def test_regie_defines_a_moment_generates_the_report_and_downloads_it(
    live_server, page, login, regie_user, chain, celery_worker_process, assert_accessible
):
    login(regie_user)
    page.goto(f"{live_server.url}/rapportages/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verantwoordingsmomenten"))
    assert_accessible(page)

    page.get_by_label("Titel").fill("Voortgangsbrief najaar")
    page.get_by_label("Peildatum").fill(TODAY.isoformat())
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgangsbrief najaar")
    assert_accessible(page)

    page.get_by_role("button", name="Rapportage maken").click()
    # The real worker makes the report; the page polls until it is there.
    expect(page.get_by_role("heading", name="Downloaden")).to_be_visible(timeout=60_000)
    expect(page.locator("#report")).to_contain_text("Ketenbrede planning vastgesteld")
    expect(page.locator("#report")).to_contain_text("Capaciteit ontbreekt")
    assert_accessible(page)

    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUCCEEDED
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.pdf_sha256

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_progress_is_shown_while_a_report_is_being_made(
    live_server, page, login, regie_user, assert_accessible
):
    moment = ReportingMoment.objects.create(date=TODAY, title="Tussenstand", created_by=regie_user)
    report = ProgressReport.objects.create(
        moment=moment,
        requested_by=regie_user,
        status=ReportStatus.RUNNING,
        percent=40,
        step="HTML maken",
    )
    login(regie_user)
    page.goto(f"{live_server.url}/rapportages/{moment.pk}/")
    expect(page.get_by_role("status")).to_contain_text("HTML maken (40%)")
    expect(page.locator("progress")).to_have_attribute("value", "40")
    assert_accessible(page)
    ProgressReport.objects.filter(pk=report.pk).update(percent=85, step="Excel-bestand maken")
    expect(page.get_by_role("status")).to_contain_text("Excel-bestand maken (85%)", timeout=10_000)


def test_viewer_reads_a_report_without_generate_button(
    live_server, page, login, regie_user, chain, assert_accessible
):
    from governance.reports import services as reports

    viewer = make_user("viewer", "JENV", username="viewer-browser")
    moment = ReportingMoment.objects.create(
        date=TODAY, title="Voortgangsbrief", created_by=regie_user
    )
    report = ProgressReport.objects.create(moment=moment, requested_by=regie_user)
    reports.generate_progress_report(report_id=report.pk)
    login(viewer)
    page.goto(f"{live_server.url}/rapportages/{moment.pk}/")
    expect(page.get_by_role("heading", name="De rapportage")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Rapportage"))).to_have_count(0)
    assert_accessible(page)
