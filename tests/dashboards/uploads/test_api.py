"""/api/v1/uploads/ and /api/v1/indicators/ with token authentication, per the contract."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from knox.models import AuthToken
from rest_framework.test import APIClient

from dashboards.models import CurrentCell, Upload, UploadStatus
from ketenportaal.periods import QUARTER, Period
from tests.dashboards.factories import IND_Q1, csv_file, submit

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, key = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_partner_posts_a_file_with_a_token_and_gets_an_id_and_status(
    ind_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ind_partner).post(
            "/api/v1/uploads/", {"file": csv_file(IND_Q1)}, format="multipart"
        )
    assert response.status_code == 202
    assert response.json()["status"] == "received"
    upload = Upload.objects.get(pk=response.json()["id"])
    assert upload.status == UploadStatus.VALID  # validated once the upload was committed
    detail = api(ind_partner).get(f"/api/v1/uploads/{upload.pk}/").json()
    assert (detail["organisation"], detail["status"], detail["rows"], detail["errors"]) == (
        "IND",
        "valid",
        4,
        [],
    )


def test_without_a_token_the_api_refuses(db):
    response = api().get("/api/v1/uploads/")
    assert response.status_code in (401, 403)
    assert "message" in response.json()


def test_errors_and_warnings_carry_row_column_and_message(ind_partner):
    upload = submit(
        ind_partner, "indicator,period,value\nasylum_pending,2024-01,x\nasylum_pending,2024-02,-1\n"
    )
    detail = api(ind_partner).get(f"/api/v1/uploads/{upload.pk}/").json()
    assert detail["status"] == "invalid"
    assert detail["errors"][0] == {
        "row": 2,
        "column": "value",
        "code": "not_a_number",
        "message": 'De waarde "x" is geen getal.',
    }
    assert len(detail["errors"]) == 2 and detail["warnings"] == []
    assert detail["report"].endswith(f"/aanleveringen/{upload.pk}/rapport.csv")


def test_the_same_file_twice_answers_409_with_the_earlier_id(ind_partner):
    first = submit(ind_partner, IND_Q1)
    response = api(ind_partner).post(
        "/api/v1/uploads/", {"file": csv_file(IND_Q1)}, format="multipart"
    )
    assert response.status_code == 409
    assert response.json()["id"] == first.pk
    assert "al eerder aangeleverd" in response.json()["message"]


def test_a_post_without_a_file_is_a_clear_400(ind_partner):
    response = api(ind_partner).post("/api/v1/uploads/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_a_partner_lists_only_its_own_organisations_uploads(ind_partner, coa_partner):
    own = submit(ind_partner, IND_Q1)
    submit(coa_partner, "indicator,period,value\nreception_occupancy,2024-01,1\n")
    results = api(ind_partner).get("/api/v1/uploads/").json()["results"]
    assert [u["id"] for u in results] == [own.pk]


def test_another_organisations_upload_id_answers_404(ind_partner, coa_partner):
    upload = submit(ind_partner, IND_Q1)
    client = api(coa_partner)
    assert client.get(f"/api/v1/uploads/{upload.pk}/").status_code == 404
    assert client.post(f"/api/v1/uploads/{upload.pk}/approve/").status_code == 404
    assert client.post(f"/api/v1/uploads/{upload.pk}/reject/", {"reason": "x"}).status_code == 404


def test_a_partner_cannot_upload_for_another_organisation(ind_partner):
    response = api(ind_partner).post(
        "/api/v1/uploads/", {"file": csv_file(IND_Q1), "organisation": "COA"}, format="multipart"
    )
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_regie_uploads_on_behalf_of_an_organisation(regie):
    response = api(regie).post(
        "/api/v1/uploads/",
        {
            "file": csv_file("indicator,period,value\nreception_occupancy,2024-01,1\n"),
            "organisation": "COA",
        },
        format="multipart",
    )
    assert response.status_code == 202
    assert response.json()["organisation"] == "COA"


def test_only_regie_approves_and_a_second_approval_answers_409(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    assert api(ind_partner).post(f"/api/v1/uploads/{upload.pk}/approve/").status_code == 403
    response = api(regie).post(f"/api/v1/uploads/{upload.pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert CurrentCell.objects.count() == 4
    assert api(regie).post(f"/api/v1/uploads/{upload.pk}/approve/").status_code == 409


def test_reject_needs_a_reason(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    client = api(regie)
    assert client.post(f"/api/v1/uploads/{upload.pk}/reject/", {}, format="json").status_code == 400
    response = client.post(
        f"/api/v1/uploads/{upload.pk}/reject/", {"reason": "Onvolledig"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == (
        "rejected",
        "Onvolledig",
    )


def test_the_indicator_catalogue_is_readable(viewer):
    response = api(viewer).get("/api/v1/indicators/")
    assert response.status_code == 200
    codes = {i["code"] for i in response.json()["results"]}
    assert {"asylum_applications", "forecast_asylum_inflow", "registrations"} <= codes
    one = api(viewer).get("/api/v1/indicators/departures/").json()
    assert one["owner"] == "DTV"
    assert one["dimensions"] == {"departure_type": ["independent", "forced", "unsupervised"]}


def test_an_api_upload_of_a_running_quarter_is_refused_with_the_day_it_ends(
    ind_partner, django_capture_on_commit_callbacks
):
    running = Period.of(timezone.localdate(), QUARTER)
    text = f"indicator,period,value\nasylum_lead_time,{running},30\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ind_partner).post(
            "/api/v1/uploads/", {"file": csv_file(text)}, format="multipart"
        )
    detail = api(ind_partner).get(f"/api/v1/uploads/{response.json()['id']}/").json()
    assert detail["status"] == "invalid"
    [error] = detail["errors"]
    assert (error["row"], error["column"], error["code"]) == (2, "period", "running_period")
    assert date_format(running.end, "j F Y") in error["message"]
    assert not CurrentCell.objects.exists()


def test_regie_cannot_approve_its_own_upload_through_the_api(regie):
    upload = submit(
        regie, "indicator,period,value\nreception_occupancy,2024-01,100\n", organisation="COA"
    )
    response = api(regie).post(f"/api/v1/uploads/{upload.pk}/approve/")
    assert response.status_code == 403
    assert "zelf ingestuurd" in response.json()["message"]
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID
    assert not CurrentCell.objects.exists()
