"""Reports and board packs that cite a release: its name in their text, the key figures taken
from it, so what the board saw stays reproducible after a correction."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dashboards.rebuild.build import rebuild_dashboards
from dashboards.releases.services import create_release
from governance.models.reports import ReportingMoment, ReportStatus
from governance.packs import content as pack_content
from governance.packs import files as pack_files
from governance.reports import services as reports
from tests.dashboards.factories import approved_upload
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

#: A quarter that has ended by now, so the key figures (from last year on) include it.
AUGUST = ("asylum_applications", "2026-08", "application_type=first")


@pytest.fixture
def release(regie):
    approved_upload(
        "IND",
        {
            ("asylum_applications", f"2026-{m:02d}", "application_type=first"): 100 * (m - 6)
            for m in (7, 8, 9)
        },
    )
    rebuild_dashboards()
    frozen = create_release(name="Kwartaal 2026-Q3", by=regie)
    correction = approved_upload("IND", {AUGUST: 250})
    rebuild_dashboards(upload_ids=[correction.pk])
    return frozen


def applications(figures: list[dict]) -> dict:
    return next(f for f in figures if f["indicator"] == "asylum_applications")


def test_a_report_citing_a_release_takes_its_figures_and_names_it(release, regie):
    moment = ReportingMoment.objects.create(
        date=timezone.localdate(), title="Verantwoording", created_by=regie
    )
    cited = reports.request_progress_report(moment=moment, by=regie, release=release)
    reports.generate_progress_report(report_id=cited.pk)
    cited.refresh_from_db()
    assert cited.status == ReportStatus.SUCCEEDED, cited.error
    assert cited.data["release"]["name"] == "Kwartaal 2026-Q3"
    assert applications(cited.data["figures"])["value"] == 600
    html = reports.read_report_file(report=cited, kind="html").decode()
    assert "Cijfers: release Kwartaal 2026-Q3" in html

    current = reports.request_progress_report(moment=moment, by=regie)
    reports.generate_progress_report(report_id=current.pk)
    current.refresh_from_db()
    assert current.data["release"] is None
    assert applications(current.data["figures"])["value"] == 650


def test_a_board_pack_citing_a_release_takes_its_figures_and_names_it(release):
    meeting = MeetingFactory(title="Topberaad", date=timezone.localdate())
    data = pack_content.build_pack_data(meeting, release=release)
    assert applications(data["figures"])["value"] == 600
    assert data["release"]["name"] == "Kwartaal 2026-Q3"
    assert "Cijfers: release Kwartaal 2026-Q3" in pack_files.render_html(data)
    assert applications(pack_content.build_pack_data(meeting)["figures"])["value"] == 650
