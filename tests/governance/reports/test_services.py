import datetime
import io
import re

import openpyxl
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import MilestoneStatus
from governance.models import ProgressReport, Recommendation, ReportingMoment, ReportStatus
from governance.reports import content as report_content
from governance.reports import services as reports
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    lived,
    org,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PREVIOUS = TODAY - datetime.timedelta(days=30)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def moments(regie):
    previous = ReportingMoment.objects.create(
        date=PREVIOUS, title="Voortgangsbrief voorjaar", created_by=regie
    )
    current = ReportingMoment.objects.create(
        date=TODAY, title="Voortgangsbrief najaar", created_by=regie
    )
    return previous, current


@pytest.fixture
def state(regie):
    """A hand-made chain: what was done since the previous moment, and what is overdue."""
    recommendation = RecommendationFactory(code="R-1", status="open", owner=org("IND"))
    # Its "open" status was recorded before the previous moment; it is implemented now.
    Recommendation.history.filter(id=recommendation.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=40)
    )
    recommendation.status = "implemented"
    recommendation.save()
    action = ActionFactory(
        title="Werkvoorraad wegwerken", owner=org("IND"), recommendations=[recommendation]
    )
    action.history.update(history_date=timezone.now() - datetime.timedelta(days=60))

    def milestone(title, due, *changes):
        """A milestone planned 60 days ago, then changed as recorded on the given days."""
        made = MilestoneFactory(action=action, title=title, due_date=due)
        lived(made, days_ago(60), *changes)
        return made

    def done(on):
        return (on, {"status": MilestoneStatus.DONE, "completed_on": on, "percent_complete": 100})

    m = {
        "done_since": milestone("Extra beslissers aangesteld", days_ago(2), done(days_ago(5))),
        "done_before": milestone("Plan vastgesteld", days_ago(40), done(days_ago(35))),
        "late_at_risk": milestone(
            "Nieuwe werkwijze ingevoerd",
            days_ago(10),
            (
                days_ago(15),
                {
                    "status": MilestoneStatus.IN_PROGRESS,
                    "at_risk": True,
                    "risk_reason": "Wachten op besluit Topberaad",
                },
            ),
        ),
        "late_long": milestone("Systeem gekoppeld", days_ago(45)),
        "done_late": milestone(
            "Evaluatie opgeleverd",
            days_ago(20),
            (days_ago(30), {"status": MilestoneStatus.IN_PROGRESS, "percent_complete": 50}),
            done(days_ago(1)),
        ),
        "cancelled": milestone(
            "Pilot", days_ago(50), (days_ago(50), {"status": MilestoneStatus.CANCELLED})
        ),
        "future": milestone("Eindmeting", TODAY + datetime.timedelta(days=1)),
    }
    ProgressUpdateFactory(
        milestone=m["late_long"], text="Vertraagd door gebrek aan capaciteit", date=days_ago(3)
    )
    ProgressUpdateFactory(milestone=m["late_long"], text="Oude melding", date=days_ago(60))
    return m


def test_report_lists_what_was_completed_since_the_previous_moment(moments, state):
    data = report_content.build_report_data(moments[1])
    assert [row["title"] for row in data["completed"]] == [
        "Extra beslissers aangesteld",
        "Evaluatie opgeleverd",
    ]
    assert data["summary"]["milestones_completed"] == 2


def test_report_lists_overdue_milestones_with_their_reason(moments, state):
    data = report_content.build_report_data(moments[1])
    overdue = {row["title"]: row for row in data["overdue"]}
    assert set(overdue) == {"Nieuwe werkwijze ingevoerd", "Systeem gekoppeld"}
    assert overdue["Nieuwe werkwijze ingevoerd"]["reason"] == "Wachten op besluit Topberaad"
    assert overdue["Nieuwe werkwijze ingevoerd"]["new"] is True
    assert overdue["Systeem gekoppeld"]["reason"] == "Vertraagd door gebrek aan capaciteit"
    assert overdue["Systeem gekoppeld"]["new"] is False
    assert overdue["Systeem gekoppeld"]["days_overdue"] == 45


def test_report_for_an_earlier_date_counts_later_completions_as_still_overdue(regie, state):
    moment = ReportingMoment.objects.create(date=days_ago(3), title="Tussenstand", created_by=regie)
    data = report_content.build_report_data(moment)
    overdue = {row["title"]: row for row in data["overdue"]}
    assert "Evaluatie opgeleverd" in overdue
    assert overdue["Evaluatie opgeleverd"]["status"] == MilestoneStatus.IN_PROGRESS
    assert "Evaluatie opgeleverd" not in [row["title"] for row in data["completed"]]


def test_report_shows_the_status_change_since_the_previous_moment(moments, state):
    data = report_content.build_report_data(moments[1])
    (change,) = data["changes"]
    assert change["code"] == "R-1"
    assert (change["previous_status"], change["status"]) == ("open", "implemented")
    assert data["summary"]["status_changes"] == 1


def test_report_at_the_previous_moment_shows_the_status_then(moments, state):
    data = report_content.build_report_data(moments[0])
    rows = [rec for t in data["themes"] for p in t["perspectives"] for rec in p["recommendations"]]
    assert {row["status"] for row in rows if row["code"] == "R-1"} == {"open"}
    assert data["previous"] is None


def test_recommendation_appears_under_its_theme_and_perspective_with_milestone_counts(
    moments, state
):
    data = report_content.build_report_data(moments[1])
    perspective_3 = [p for t in data["themes"] for p in t["perspectives"] if p["number"] == 3]
    assert len(perspective_3) == 2  # perspective 3 belongs to two themes
    (row,) = perspective_3[0]["recommendations"]
    # 6 milestones not cancelled; 3 done by today.
    assert (row["milestones"], row["milestones_done"]) == (6, 3)


def _generate(moment, user, django_capture_on_commit_callbacks) -> ProgressReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.request_progress_report(moment=moment, by=user)
    report.refresh_from_db()
    return report


def test_generated_pdf_contains_the_right_figures(
    moments, state, regie, django_capture_on_commit_callbacks
):
    from governance.models import DecisionStatus
    from tests.factories import DecisionFactory

    DecisionFactory(title="Ketenplan vastgesteld", date=days_ago(4), status=DecisionStatus.ADOPTED)
    report = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.SUCCEEDED, report.error
    assert report.percent == 100
    text = "".join(page.extract_text() for page in pypdf.PdfReader(report.pdf_file.path).pages)
    flat = " ".join(text.split())
    assert "Voortgangsbrief najaar" in flat
    assert "Vergeleken met het vorige verantwoordingsmoment: Voortgangsbrief voorjaar" in flat
    assert "Mijlpalen gereed sinds het vorige moment 2" in flat
    assert "Mijlpalen over de deadline op de peildatum 2" in flat
    assert "Extra beslissers aangesteld" in flat
    assert "Wachten op besluit Topberaad" in flat
    assert "Vertraagd door gebrek aan capaciteit" in flat
    assert "Besluiten sinds het vorige moment 1" in flat
    assert "Ketenplan vastgesteld" in flat


def test_generated_xlsx_reads_back_with_numbers_and_dates(
    moments, state, regie, django_capture_on_commit_callbacks
):
    report = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    workbook = openpyxl.load_workbook(io.BytesIO(report.xlsx_file.read()))
    assert workbook.sheetnames[:5] == [
        "Samenvatting",
        "Per thema",
        "Aanbevelingen",
        "Gereed in periode",
        "Over de deadline",
    ]
    summary = dict(workbook["Samenvatting"].iter_rows(min_row=2, values_only=True))
    assert summary["Mijlpalen gereed in de periode"] == 2
    assert summary["Mijlpalen over de deadline"] == 2
    overdue = list(workbook["Over de deadline"].iter_rows(values_only=True))
    header = overdue[0]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in overdue[1:]}
    assert rows["Systeem gekoppeld"]["Dagen over"] == 45
    assert rows["Systeem gekoppeld"]["Deadline"] == datetime.datetime.combine(
        days_ago(45), datetime.time()
    )


def test_report_text_that_looks_like_a_formula_is_neutralised_in_xlsx(
    moments, regie, django_capture_on_commit_callbacks
):
    MilestoneFactory(
        title='=HYPERLINK("http://kwaad")', due_date=days_ago(3), status=MilestoneStatus.IN_PROGRESS
    )
    report = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    sheet = openpyxl.load_workbook(io.BytesIO(report.xlsx_file.read()))["Over de deadline"]
    cell = sheet["A2"]
    assert cell.value == '\'=HYPERLINK("http://kwaad")'
    assert cell.data_type == "s"


def test_a_stored_report_downloads_unchanged_later(
    moments, state, regie, client, django_capture_on_commit_callbacks
):
    report = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    client.force_login(regie)
    first = client.get(f"/rapportages/versies/{report.pk}/pdf/")
    # The chain moves on after the report was made...
    MilestoneFactory(title="Later gereed", status=MilestoneStatus.DONE, completed_on=TODAY)
    second = client.get(f"/rapportages/versies/{report.pk}/pdf/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["X-Content-SHA256"] == report.pdf_sha256
    assert first["Content-Type"] == "application/pdf"


def test_a_tampered_report_file_is_not_delivered(
    moments, regie, client, django_capture_on_commit_callbacks
):
    report = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    with open(report.xlsx_file.path, "ab") as stored:
        stored.write(b"x")
    client.force_login(regie)
    response = client.get(f"/rapportages/versies/{report.pk}/xlsx/")
    assert response.status_code == 500
    assert "controlewaarde" in response.content.decode()


def test_generating_again_makes_a_new_version_and_keeps_the_old(
    moments, regie, django_capture_on_commit_callbacks
):
    first = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    second = _generate(moments[1], regie, django_capture_on_commit_callbacks)
    assert first.pk != second.pk
    assert ProgressReport.objects.succeeded().count() == 2
    assert first.pdf_file.name != second.pdf_file.name


def test_a_second_request_while_one_is_pending_joins_it(moments, regie):
    first = reports.request_progress_report(moment=moments[1], by=regie)
    second = reports.request_progress_report(moment=moments[1], by=regie)
    assert first.pk == second.pk


def test_running_the_task_twice_generates_once(moments, regie):
    report = ProgressReport.objects.create(moment=moments[1], requested_by=regie)
    reports.generate_progress_report(report_id=report.pk)
    report.refresh_from_db()
    stored = (report.pdf_file.name, report.pdf_sha256, report.finished_at)
    reports.generate_progress_report(report_id=report.pk)
    report.refresh_from_db()
    assert (report.pdf_file.name, report.pdf_sha256, report.finished_at) == stored


def test_a_failure_is_recorded_on_the_report(moments, regie, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("pango ontbreekt")

    monkeypatch.setattr(reports.report_files, "render_pdf", boom)
    report = ProgressReport.objects.create(moment=moments[1], requested_by=regie)
    reports.generate_progress_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "pango ontbreekt" in report.error
    assert not report.pdf_file


def test_only_regie_requests_a_report(moments, ind_partner, viewer):
    for user in (ind_partner, viewer):
        with pytest.raises(PermissionDenied):
            reports.request_progress_report(moment=moments[1], by=user)
    assert not ProgressReport.objects.exists()


def test_only_regie_defines_moments(viewer):
    with pytest.raises(PermissionDenied):
        reports.save_reporting_moment(by=viewer, date=TODAY, title="x")


def test_two_moments_cannot_share_a_date(regie, moments):
    with pytest.raises(ValidationError) as excinfo:
        reports.save_reporting_moment(by=regie, date=TODAY, title="Dubbel")
    assert "al een verantwoordingsmoment" in str(excinfo.value)


def test_report_lists_decisions_taken_since_the_previous_moment(moments, regie):
    from governance.models import DecisionStatus
    from tests.factories import DecisionFactory, board

    DecisionFactory(
        board=board("TB"),
        title="Ketenplan vastgesteld",
        date=days_ago(10),
        status=DecisionStatus.ADOPTED,
    )
    DecisionFactory(title="Nog maar een voorstel", date=days_ago(9), status=DecisionStatus.PROPOSED)
    DecisionFactory(title="Vorige periode", date=days_ago(40), status=DecisionStatus.ADOPTED)
    later = DecisionFactory(title="Na de peildatum", date=TODAY, status=DecisionStatus.ADOPTED)
    later.date = TODAY + datetime.timedelta(days=1)
    later.save()
    data = report_content.build_report_data(moments[1])
    assert [(d["title"], d["board"], d["status_label"]) for d in data["decisions"]] == [
        ("Ketenplan vastgesteld", "TB", "Vastgesteld")
    ]
    assert data["summary"]["decisions"] == 1


def test_decision_status_in_the_report_is_the_status_on_the_moments_date(regie):
    from governance.boards import services as decisions
    from governance.models import Decision, DecisionStatus
    from tests.factories import DecisionFactory

    moment = ReportingMoment.objects.create(date=days_ago(1), title="Gisteren", created_by=regie)
    decision = DecisionFactory(title="Besluit", date=days_ago(3), status=DecisionStatus.ADOPTED)
    Decision.history.filter(id=decision.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=3)
    )
    decisions.change_decision_status(decision=decision, to=DecisionStatus.WITHDRAWN, by=regie)
    (row,) = report_content.build_report_data(moment)["decisions"]
    assert row["status"] == DecisionStatus.ADOPTED


def test_key_figures_are_those_current_at_the_moment_with_their_trend(regie, ind_partner):
    from dashboards.models import Upload
    from dashboards.rebuild.build import rebuild_dashboards
    from dashboards.uploads import approval as upload_approval
    from tests.dashboards.factories import submit

    months = {1: 4000, 2: 4100, 3: 4200, 4: 4300, 5: 4400, 6: 4500, 7: 4400, 8: 4300, 9: 4250}
    text = "indicator,period,value\n" + "".join(
        f"asylum_pending,2024-{m:02d},{v}\n" for m, v in months.items()
    )
    upload = submit(ind_partner, text)
    upload_approval.approve_upload(upload=upload, by=regie)
    # Approved on 2 October 2024: current at the autumn moment.
    Upload.objects.filter(pk=upload.pk).update(
        decided_at=timezone.make_aware(datetime.datetime(2024, 10, 2, 10))
    )
    rebuild_dashboards()
    ReportingMoment.objects.create(date=datetime.date(2024, 7, 15), title="Zomer", created_by=regie)
    moment = ReportingMoment.objects.create(
        date=datetime.date(2024, 10, 15), title="Najaar", created_by=regie
    )
    data = report_content.build_report_data(moment)
    (figure,) = [f for f in data["figures"] if f["indicator"] == "asylum_pending"]
    # A stock ("last"): the quarter's value is its last month's.
    assert (figure["period"], figure["value"]) == ("2024-Q3", 4250)
    assert (figure["previous_period"], figure["previous_value"]) == ("2024-Q2", 4500)
    assert figure["trend"] == "down"
    assert figure["change_percent"] == -5.6
    assert (figure["moment_period"], figure["moment_value"]) == ("2024-Q2", 4500)
    assert data["figures_built_at"]
    # The same figures in the PDF and the XLSX.
    from governance.reports import files as report_files

    pdf = report_files.render_pdf(report_files.render_html(data))
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Openstaande asielaanvragen" in text
    # (The table's narrow column may wrap "2024-Q2" after the dash.)
    assert re.search(r"2024- ?Q3 4\.250 4\.500", text)
    assert "dalend (-5,6%)" in text
    sheet = openpyxl.load_workbook(io.BytesIO(report_files.render_xlsx(data)))["Kerncijfers"]
    header, *rows = sheet.iter_rows(values_only=True)
    row = dict(zip(header, next(r for r in rows if r[0] == "asylum_pending"), strict=True))
    assert (row["Waarde"], row["Trend"], row["Verandering (%)"]) == (4250, "dalend", -5.6)


def test_a_recommendation_added_since_the_previous_moment_is_new_not_changed(moments):
    RecommendationFactory(code="R-NIEUW", status="in_progress")
    data = report_content.build_report_data(moments[1])
    rows = [r for t in data["themes"] for p in t["perspectives"] for r in p["recommendations"]]
    row = next(r for r in rows if r["code"] == "R-NIEUW")
    assert (row["new"], row["changed"]) == (True, False)
    assert data["summary"]["status_changes"] == 0


@pytest.mark.parametrize("size", [2, 20])
def test_report_content_query_count_does_not_grow(
    moments, state, django_assert_max_num_queries, size
):
    for n in range(size):
        MilestoneFactory(overdue=True, title=f"Extra {n}")
        MilestoneFactory(status=MilestoneStatus.DONE, completed_on=days_ago(3))
    # Two reconstructions (the moment and the previous one) of seven queries each, the
    # deliveries (the owners and three of the delivery rule), the key figures' duiding, and
    # the rest.
    with django_assert_max_num_queries(26):
        report_content.build_report_data(moments[1])


def test_a_correction_approved_after_the_moment_does_not_rewrite_its_figures(regie, ind_partner):
    from dashboards.models import Upload
    from dashboards.uploads import approval as upload_approval
    from tests.dashboards.factories import submit

    first = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-09,4250\n")
    upload_approval.approve_upload(upload=first, by=regie)
    Upload.objects.filter(pk=first.pk).update(
        decided_at=timezone.make_aware(datetime.datetime(2024, 10, 2, 10))
    )
    correction = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-09,9999\n")
    upload_approval.approve_upload(upload=correction, by=regie)  # approved today
    then = ReportingMoment.objects.create(
        date=datetime.date(2024, 10, 15), title="Najaar", created_by=regie
    )
    now = ReportingMoment.objects.create(date=TODAY, title="Nu", created_by=regie)

    def pending(moment):
        (figure,) = [
            f
            for f in report_content.build_report_data(moment)["figures"]
            if f["indicator"] == "asylum_pending"
        ]
        return figure["period"], figure["value"], figure["complete"]

    assert pending(then) == ("2024-Q3", 4250, False)  # only September: the quarter is incomplete
    assert pending(now) == ("2024-Q3", 9999, False)
