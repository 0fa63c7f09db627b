"""Board packs: the meeting's agenda, decisions to take with their assessments, open signals,
RAG per theme, key figures and open follow-ups, as HTML and a tagged PDF stored with their hash."""

from __future__ import annotations

import datetime
import io
import subprocess

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from governance.models import (
    AgendaItem,
    AssessmentKind,
    AssessmentOutcome,
    BoardPack,
    DecisionStatus,
    ImpactAssessment,
    PartnerImpact,
    ReportStatus,
    SignalKind,
)
from governance.packs import content, services
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    make_signal,
    org,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(title="Topberaad december", date=days(7), location="Den Haag")
    signal = make_signal(
        key="figures:dtv",
        kind=SignalKind.FIGURES_MISSING,
        organisation=org("DTV"),
        period="2026-Q3",
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="Opening")
    AgendaItem.objects.create(meeting=meeting, order=2, title="Cijfers DT&V", signal=signal)
    proposed = DecisionFactory(
        meeting=meeting, title="Extra opvangcapaciteit", status=DecisionStatus.PROPOSED
    )
    DecisionFactory(meeting=meeting, title="Vorig besluit", status=DecisionStatus.ADOPTED)
    assessment = ImpactAssessment.objects.create(
        decision=proposed,
        kind=AssessmentKind.EXECUTION_TEST,
        requested_on=days(-20),
        outcome=AssessmentOutcome.CONDITIONAL,
        summary="Uitvoerbaar als er budget komt.",
    )
    PartnerImpact.objects.create(
        assessment=assessment,
        organisation=org("COA"),
        capacity_fte=12.5,
        lead_time_months=6,
        cost_eur=1_500_000,
        explanation="Werving",
    )
    earlier = DecisionFactory(board=meeting.board, title="Eerder besluit")
    action = ActionFactory(owner=org("IND"), title="Ketenbrede planning", decision=earlier)
    MilestoneFactory(action=action, title="Planning vastgesteld", due_date=days(-2))
    return meeting


def test_the_pack_holds_agenda_decisions_with_assessments_signals_rag_and_follow_ups(meeting):
    data = content.build_pack_data(meeting)

    assert [i["title"] for i in data["agenda"]] == ["Opening", "Cijfers DT&V"]
    assert "DTV" in data["agenda"][1]["signal"]
    first, second = data["decisions"]
    assert (first["title"], first["to_take"]) == ("Extra opvangcapaciteit", True)
    assert second["to_take"] is False
    (assessment,) = first["assessments"]
    assert assessment["outcome"] == "Uitvoerbaar onder voorwaarden"
    assert assessment["impacts"][0] == {
        "organisation": "COA",
        "capacity_fte": 12.5,
        "lead_time_months": 6,
        "cost_eur": 1500000.0,
        "explanation": "Werving",
    }
    assert len(data["signals"]) == 1
    themes = {t["theme"][:1]: t for t in data["themes"]}
    assert themes["2"]["rag"] == "red"  # the overdue follow-up milestone: perspective 3
    (follow_up,) = data["follow_ups"]
    assert (follow_up["action"], follow_up["owner"], follow_up["rag"]) == (
        "Ketenbrede planning",
        "IND",
        "red",
    )


def generate(meeting, regie, capture) -> BoardPack:
    with capture(execute=True):  # the task is sent on commit and runs inline
        pack = services.request_board_pack(meeting=meeting, by=regie)
    pack.refresh_from_db()
    return pack


def test_generating_stores_html_and_a_tagged_pdf_with_their_hashes(
    meeting, regie, tmp_path, django_capture_on_commit_callbacks
):
    pack = generate(meeting, regie, django_capture_on_commit_callbacks)

    assert pack.status == ReportStatus.SUCCEEDED and pack.percent == 100
    pdf = services.read_pack_file(pack=pack, kind="pdf")
    html = services.read_pack_file(pack=pack, kind="html").decode()
    assert "Extra opvangcapaciteit" in html and "Uitvoerbaar als er budget komt." in html
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Te nemen besluiten" in text and "Ketenbrede planning" in text
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Vergaderstukken" in info.stdout  # the document's title


def test_a_second_request_while_one_is_pending_joins_it(meeting, regie):
    pending = BoardPack.objects.create(meeting=meeting, requested_by=regie)
    assert services.request_board_pack(meeting=meeting, by=regie) == pending
    assert BoardPack.objects.count() == 1


def test_the_task_delivered_twice_makes_the_pack_once(meeting, regie):
    pack = BoardPack.objects.create(meeting=meeting, requested_by=regie)
    services.generate_board_pack(pack_id=pack.pk)
    pack.refresh_from_db()
    first = (pack.pdf_sha256, pack.finished_at)
    services.generate_board_pack(pack_id=pack.pk)
    pack.refresh_from_db()
    assert (pack.pdf_sha256, pack.finished_at) == first


def test_only_regie_makes_a_pack(meeting, ind_partner):
    with pytest.raises(PermissionDenied):
        services.request_board_pack(meeting=meeting, by=ind_partner)
    assert not BoardPack.objects.exists()


def test_a_changed_file_is_refused(meeting, regie, django_capture_on_commit_callbacks):
    pack = generate(meeting, regie, django_capture_on_commit_callbacks)
    with pack.pdf_file.open("wb") as stored:
        stored.write(b"%PDF-1.7 altered")
    with pytest.raises(services.PackFileCorrupted):
        services.read_pack_file(pack=pack, kind="pdf")


@pytest.mark.parametrize("size", [1, 15])
def test_the_packs_content_takes_a_fixed_number_of_queries(
    meeting, size, django_assert_max_num_queries
):
    for n in range(size):
        AgendaItem.objects.create(meeting=meeting, order=10 + n, title=f"Punt {n}")
        decision = DecisionFactory(meeting=meeting, status=DecisionStatus.PROPOSED)
        ImpactAssessment.objects.create(
            decision=decision, kind=AssessmentKind.IMPACT_ANALYSIS, requested_on=days(-1)
        )
        action = ActionFactory(decision=decision)
        MilestoneFactory(action=action)
    with django_assert_max_num_queries(16):
        content.build_pack_data(meeting)
