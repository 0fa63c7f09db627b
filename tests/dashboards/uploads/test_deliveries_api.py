"""GET /api/v1/deliveries/: the one delivery rule, per the contract's second edition."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from dashboards.models import Upload
from dashboards.uploads import deliveries
from ketenportaal.periods import QUARTER, Period
from tests.dashboards.factories import approved_upload
from tests.factories import UserFactory, org

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    _token, key = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sent_on(upload: Upload, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=moment)


def test_a_partner_gets_its_deliveries_per_indicator_and_quarter_as_the_page_has_them(
    ind_partner,
):
    last = Period.of(timezone.localdate(), QUARTER).previous()
    figures = {("asylum_pending", m.canonical, ""): 5 for m in last.parts("month")}
    sent_on(approved_upload("IND", figures), last.end + datetime.timedelta(days=3))
    response = api(ind_partner).get(f"/api/v1/deliveries/?organisation=IND&year={last.year}")
    assert response.status_code == 200
    rows = {(r["indicator"], r["period"]): r for r in response.json()}
    row = rows[("asylum_pending", last.canonical)]
    assert row == {
        "organisation": "IND",
        "indicator": "asylum_pending",
        "period": last.canonical,
        "due_on": (last.end + datetime.timedelta(days=30)).isoformat(),
        "first_delivered_on": (last.end + datetime.timedelta(days=3)).isoformat(),
        "complete": True,
        "status": "on_time",
    }
    indicators = {i.code for i in deliveries.indicators_owned_by([org("IND")])}
    assert {code for code, _p in rows} == indicators
    assert {p for _c, p in rows} == {q.canonical for q in Period.year_of(last.year).parts(QUARTER)}


def test_the_running_quarter_is_not_due(ind_partner):
    running = Period.of(timezone.localdate(), QUARTER)
    rows = api(ind_partner).get("/api/v1/deliveries/?organisation=IND").json()
    assert {r["status"] for r in rows if r["period"] == running.canonical} == {"not_due"}
    assert len({r["period"] for r in rows}) == 8


def test_a_partner_may_not_see_another_organisations_deliveries(ind_partner):
    response = api(ind_partner).get("/api/v1/deliveries/?organisation=COA")
    assert response.status_code == 403
    assert "eigen organisatie" in response.json()["message"]


def test_regie_and_viewers_see_every_organisation_jenv_included(regie, viewer):
    for user in (regie, viewer):
        rows = api(user).get("/api/v1/deliveries/?organisation=JENV").json()
        assert {r["indicator"] for r in rows} == {"forecast_asylum_inflow"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "organisation"),
        ("?organisation=XYZ", "organisation"),
        ("?organisation=IND&year=26", "year"),
        ("?organisation=IND&year=1800", "year"),
        ("?organisation=IND&year=2999", "year"),
    ],
)
def test_bad_input_is_a_400_with_a_message_per_field(regie, query, field):
    response = api(regie).get(f"/api/v1/deliveries/{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and field in body["errors"]


def test_a_user_without_a_role_is_refused(db):
    client = APIClient()
    client.force_authenticate(UserFactory(username="zonder-rol"))
    response = client.get("/api/v1/deliveries/?organisation=IND")
    assert response.status_code == 403
    assert response.json()["message"]
