import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import ProgressReport, ReportingMoment, ReportStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_regie_creates_a_moment_through_the_api(regie):
    response = client_for(regie).post(
        "/api/v1/reporting-moments/", {"date": "2026-12-31", "title": "Jaarbrief"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Jaarbrief"


def test_a_partner_cannot_create_a_moment(ind_partner):
    response = client_for(ind_partner).post(
        "/api/v1/reporting-moments/", {"date": "2026-12-31", "title": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not ReportingMoment.objects.exists()


def test_a_second_moment_on_the_same_date_is_refused_with_a_message(regie):
    ReportingMoment.objects.create(date=TODAY, title="Eerste", created_by=regie)
    response = client_for(regie).post(
        "/api/v1/reporting-moments/", {"date": TODAY.isoformat(), "title": "Tweede"}, format="json"
    )
    assert response.status_code == 400
    assert "al een verantwoordingsmoment" in str(response.json()["errors"]["date"])


def test_generate_through_the_api_then_download_the_stored_pdf(
    regie, viewer, django_capture_on_commit_callbacks
):
    moment = ReportingMoment.objects.create(date=TODAY, title="Brief", created_by=regie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(regie).post(f"/api/v1/reporting-moments/{moment.pk}/generate/")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    report = ProgressReport.objects.get()
    body = client_for(viewer).get(f"/api/v1/progress-reports/{report.pk}/").json()
    assert body["status"] == ReportStatus.SUCCEEDED
    assert body["percent"] == 100
    pdf = body["files"]["pdf"]
    download = client_for(viewer).get(pdf["url"])
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert download["X-Content-SHA256"] == pdf["sha256"]


def test_a_viewer_cannot_generate(viewer, regie):
    moment = ReportingMoment.objects.create(date=TODAY, title="Brief", created_by=regie)
    response = client_for(viewer).post(f"/api/v1/reporting-moments/{moment.pk}/generate/")
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_download_of_an_unfinished_report_is_404_json(regie):
    moment = ReportingMoment.objects.create(date=TODAY, title="Brief", created_by=regie)
    report = ProgressReport.objects.create(moment=moment, requested_by=regie)
    response = client_for(regie).get(f"/api/v1/progress-reports/{report.pk}/download/?kind=pdf")
    assert response.status_code == 404
    assert response.json()["message"]
