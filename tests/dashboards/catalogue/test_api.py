"""POST and PATCH /api/v1/indicators/ (contract, second edition: "Indicators")."""

from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from dashboards.models import Indicator
from governance.models import AuditEvent
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

NEW = {
    "code": "asylum_applications_nationality",
    "label_nl": "Asielaanvragen naar nationaliteit",
    "label_en": "Asylum applications by nationality",
    "owner": "IND",
    "unit": "persons",
    "frequency": "month",
    "aggregation": "sum",
    "dimensions": {
        "nationality": [
            {"code": "syr", "label_nl": "Syrië", "label_en": "Syria"},
            {"code": "eri", "label_nl": "Eritrea", "label_en": "Eritrea"},
        ],
        "application_type": [
            {"code": "first", "label_nl": "Eerste aanvraag", "label_en": "First application"},
            {"code": "follow_up", "label_nl": "Opvolgende aanvraag", "label_en": "Subsequent"},
        ],
        "gender": [
            {"code": "f", "label_nl": "Vrouw", "label_en": "Female"},
            {"code": "m", "label_nl": "Man", "label_en": "Male"},
        ],
    },
    "dimension_labels": {
        "nationality": {"label_nl": "Nationaliteit", "label_en": "Nationality"},
        "application_type": {"label_nl": "Soort aanvraag", "label_en": "Application type"},
        "gender": {"label_nl": "Geslacht", "label_en": "Gender"},
    },
    "plausible_min": "0",
    "plausible_max": "100000",
    "tolerance_pct": 40,
    "deadline_days": 20,
    "active": True,
}


def api(user=None, language="nl") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        _token, key = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_regie_adds_an_indicator_with_three_dimensions_and_their_labels(regie):
    response = api(regie).post("/api/v1/indicators/", NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["dimensions"] == {
        "nationality": ["syr", "eri"],
        "application_type": ["first", "follow_up"],
        "gender": ["f", "m"],
    }
    assert body["dimension_labels"]["nationality"]["values"]["syr"] == {
        "label_nl": "Syrië",
        "label_en": "Syria",
    }
    assert (body["tolerance_pct"], body["deadline_days"], body["label_nl"]) == (
        40,
        20,
        "Asielaanvragen naar nationaliteit",
    )
    indicator = Indicator.objects.get(code=NEW["code"])
    assert indicator.owner.code == "IND"
    assert indicator.due_on.__self__.deadline_days == 20
    assert AuditEvent.objects.filter(object_id=str(indicator.pk), action="write").exists()


@pytest.mark.parametrize("role_user", ["ind_partner", "viewer"])
def test_partners_and_viewers_may_read_but_not_add_or_change_indicators(role_user, request):
    user = request.getfixturevalue(role_user)
    client = api(user)
    assert client.get("/api/v1/indicators/asylum_pending/").status_code == 200
    assert client.post("/api/v1/indicators/", NEW, format="json").status_code == 403
    response = client.patch(
        "/api/v1/indicators/asylum_pending/", {"label_nl": "Anders"}, format="json"
    )
    assert response.status_code == 403
    assert "message" in response.json()
    assert not Indicator.objects.filter(code=NEW["code"]).exists()
    assert Indicator.objects.get(code="asylum_pending").label == "Openstaande asielaanvragen"


def test_a_value_without_an_english_label_is_refused_with_a_message(regie):
    data = {**NEW, "dimensions": {"nationality": [{"code": "syr", "label_nl": "Syrië"}]}}
    response = api(regie).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 400
    assert "Engels label" in str(response.json()["errors"]["dimensions"])
    assert not Indicator.objects.filter(code=NEW["code"]).exists()


def test_a_label_that_names_two_values_is_refused(regie):
    data = {
        **NEW,
        "dimensions": {
            "nationality": [
                {"code": "syr", "label_nl": "Overig", "label_en": "Syria"},
                {"code": "other", "label_nl": "Overig", "label_en": "Other"},
            ]
        },
        "dimension_labels": {"nationality": {"label_nl": "Nationaliteit", "label_en": "Nat."}},
    }
    response = api(regie).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 400
    assert "noemt twee waarden" in str(response.json()["errors"]["dimensions"])


def test_an_unknown_unit_is_refused(regie):
    response = api(regie).post("/api/v1/indicators/", {**NEW, "unit": "bananas"}, format="json")
    assert response.status_code == 400
    assert "eenheid" in str(response.json()["errors"]["unit"]).lower()


def test_patch_changes_labels_and_adds_a_value_to_an_indicator_with_figures(regie):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    response = api(regie).patch(
        "/api/v1/indicators/asylum_decisions/",
        {
            "label_en": "Decisions at first instance",
            "dimensions": {
                "outcome": [
                    "granted",
                    "rejected",
                    "other",
                    {"code": "withdrawn", "label_nl": "Ingetrokken", "label_en": "Withdrawn"},
                ]
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    indicator = Indicator.objects.get(code="asylum_decisions")
    assert indicator.dimensions == {"outcome": ["granted", "rejected", "other", "withdrawn"]}
    values = indicator.dimension_labels["outcome"]["values"]
    assert values["granted"] == {"label_nl": "Ingewilligd", "label_en": "Granted"}  # kept
    assert values["withdrawn"]["label_nl"] == "Ingetrokken"
    assert indicator.label_en == "Decisions at first instance"


@pytest.mark.parametrize(
    "change",
    [
        {"owner": "COA"},
        {"frequency": "quarter"},
        {"aggregation": "mean"},
        {"code": "asylum_decisions_2"},
        {"dimensions": {"outcome": ["granted", "rejected"]}},
        {"dimensions": {"outcome": ["granted", "rejected", "other"], "region": ["north"]}},
    ],
)
def test_once_an_indicator_has_figures_what_they_mean_cannot_change(regie, change):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    before = Indicator.objects.values().get(code="asylum_decisions")
    response = api(regie).patch("/api/v1/indicators/asylum_decisions/", change, format="json")
    assert response.status_code == 409, response.json()
    assert "heeft al cijfers" in response.json()["message"]
    assert Indicator.objects.values().get(code="asylum_decisions") == before


def test_the_conflict_message_is_in_english_for_an_english_client(regie):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    response = api(regie, language="en").patch(
        "/api/v1/indicators/asylum_pending/", {"frequency": "year"}, format="json"
    )
    assert response.status_code == 409
    assert "already has figures" in response.json()["message"]


def test_without_figures_the_frequency_may_still_change(regie):
    response = api(regie).patch(
        "/api/v1/indicators/registrations/", {"frequency": "quarter"}, format="json"
    )
    assert response.status_code == 200
    assert Indicator.objects.get(code="registrations").frequency == "quarter"


def test_a_forecast_names_the_indicator_that_realises_it(regie):
    body = api(regie).get("/api/v1/indicators/forecast_asylum_inflow/").json()
    assert body["realised_by"] == "asylum_applications"  # the data migration's
    response = api(regie).patch(
        "/api/v1/indicators/asylum_pending/", {"realised_by": "registrations"}, format="json"
    )
    assert response.status_code == 400
    assert "prognose" in str(response.json()["errors"]["realised_by"])


def test_the_seeded_catalogue_carries_dutch_and_english_labels(db):
    indicator = Indicator.objects.get(code="departures")
    labels = indicator.dimension_labels["departure_type"]
    assert (labels["label_nl"], labels["label_en"]) == ("Soort vertrek", "Departure type")
    assert labels["values"]["unsupervised"] == {
        "label_nl": "Met onbekende bestemming",
        "label_en": "To an unknown destination",
    }
    for seeded in Indicator.objects.exclude(dimensions={}):
        for name, values in seeded.dimensions.items():
            assert set(seeded.dimension_labels[name]["values"]) == set(values), seeded.code


def test_a_dimension_cannot_be_named_round_the_column_of_a_forecasts_round(regie):
    reserved = {
        **NEW,
        "dimensions": {"round": [{"code": "a", "label_nl": "A", "label_en": "A"}]},
        "dimension_labels": {"round": {"label_nl": "Ronde", "label_en": "Round"}},
    }
    response = api(regie).post("/api/v1/indicators/", reserved, format="json")
    assert response.status_code == 400
    assert "gereserveerd" in str(response.json())
    assert not Indicator.objects.filter(code=NEW["code"]).exists()
