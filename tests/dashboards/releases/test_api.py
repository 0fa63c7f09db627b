"""`/api/v1/releases/` and the series API's `&release=` (DESIGN.md, second edition)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dashboards.models import Release
from dashboards.rebuild.build import rebuild_dashboards
from dashboards.releases.services import create_release
from governance.models.reports import ProgressReport, ReportingMoment
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

FEBRUARY = ("asylum_applications", "2024-02", "application_type=first")


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def corrected(regie):
    approved_upload(
        "IND", {FEBRUARY: 200, ("asylum_applications", "2024-01", "application_type=first"): 100}
    )
    rebuild_dashboards()
    release = create_release(name="Kwartaal 2024-Q1", by=regie)
    upload = approved_upload("IND", {FEBRUARY: 250})
    rebuild_dashboards(upload_ids=[upload.pk])
    return release, upload


def test_regie_creates_a_release_by_name(regie):
    rebuild_dashboards()
    answer = api_for(regie).post("/api/v1/releases/", {"name": "Kwartaal 2026-Q3"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["name"] == "Kwartaal 2026-Q3"
    assert Release.objects.filter(pk=answer.json()["id"]).exists()


def test_a_partner_cannot_create_a_release(ind_partner):
    answer = api_for(ind_partner).post("/api/v1/releases/", {"name": "Eigen"}, format="json")
    assert answer.status_code == 403
    assert not Release.objects.exists()


def test_a_release_without_a_name_is_refused_with_a_message(regie):
    answer = api_for(regie).post("/api/v1/releases/", {"name": ""}, format="json")
    assert answer.status_code == 400
    assert "name" in answer.json()["errors"]


def test_anyone_with_a_role_reads_releases_and_their_corrections(corrected, ind_partner, viewer):
    release, upload = corrected
    for user in (ind_partner, viewer):
        api = api_for(user)
        listed = api.get("/api/v1/releases/")
        assert listed.status_code == 200
        assert [r["name"] for r in listed.json()["results"]] == ["Kwartaal 2024-Q1"]
        answer = api.get(f"/api/v1/releases/{release.pk}/corrections/")
        assert answer.status_code == 200, answer.content
        (row,) = answer.json()
        assert row == row | {
            "indicator": "asylum_applications",
            "organisation": "IND",
            "period": "2024-02",
            "dimensions": {"application_type": "first"},
            "old": 200,
            "new": 250,
            "upload": upload.pk,
        }


def test_nobody_without_a_role_reads_releases(corrected, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x" * 12)
    assert api_for(stranger).get("/api/v1/releases/").status_code == 403


def test_the_series_api_serves_a_release_exactly_as_frozen(corrected, viewer):
    release, _upload = corrected
    api = api_for(viewer)
    query = {"indicator": "asylum_applications", "frequency": "quarter"}
    now = api.get("/api/v1/series/", query).json()
    then = api.get("/api/v1/series/", query | {"release": release.pk}).json()
    assert [p["value"] for p in now["points"]] == [350]
    assert [p["value"] for p in then["points"]] == [300]
    assert then["release"] == release.pk
    filtered = api.get(
        "/api/v1/series/", query | {"release": release.pk, "application_type": "first"}
    ).json()
    assert [p["value"] for p in filtered["points"]] == [300]


def test_an_unknown_release_is_a_clear_error(viewer):
    answer = api_for(viewer).get(
        "/api/v1/series/",
        {"indicator": "asylum_applications", "frequency": "quarter", "release": "999"},
    )
    assert answer.status_code == 400
    assert "release" in answer.json()["errors"]


def test_a_release_while_figures_wait_for_their_rebuild_is_a_conflict(regie):
    rebuild_dashboards()
    approved_upload("IND", {FEBRUARY: 200})  # approved, not built yet
    answer = api_for(regie).post("/api/v1/releases/", {"name": "Te vroeg"}, format="json")
    assert answer.status_code == 409
    assert "herberekening" in answer.json()["message"]
    assert not Release.objects.exists()


def test_a_report_generated_through_the_api_cites_the_release(corrected, regie):
    release, _upload = corrected
    moment = ReportingMoment.objects.create(date="2024-06-30", title="Brief", created_by=regie)
    answer = api_for(regie).post(
        f"/api/v1/reporting-moments/{moment.pk}/generate/", {"release": release.pk}, format="json"
    )
    assert answer.status_code == 202, answer.content
    assert answer.json()["release"] == release.pk
    assert ProgressReport.objects.get(pk=answer.json()["id"]).release == release
