"""Duiding (issue 12.6): written by regie and the owning partner, read by all, with history."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dashboards.models import Annotation, Indicator
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_owning_partner_writes_and_everyone_reads(ind_partner, viewer):
    answer = api_for(ind_partner).post(
        "/api/v1/annotations/",
        {"indicator": "asylum_applications", "period": "2024-q1", "text": "  Ter Apel   overvol "},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["period"] == "2024-Q1"
    assert answer.json()["text"] == "Ter Apel overvol"
    assert answer.json()["organisation"] == "IND"
    listed = api_for(viewer).get(
        "/api/v1/annotations/", {"indicator": "asylum_applications", "period": "2024-02"}
    )
    assert [a["text"] for a in listed.json()["results"]] == ["Ter Apel overvol"]
    assert api_for(viewer).get("/api/v1/annotations/", {"period": "2023"}).json()["results"] == []


@pytest.mark.parametrize("who", ["coa_partner", "viewer"])
def test_others_may_not_annotate_a_figure_they_do_not_deliver(who, request):
    user = request.getfixturevalue(who)
    answer = api_for(user).post(
        "/api/v1/annotations/",
        {"indicator": "asylum_applications", "period": "2024-Q1", "text": "Niet van ons"},
        format="json",
    )
    assert answer.status_code == 403
    assert "message" in answer.json()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"period": "2024-Q5", "text": "x"}, "period"),
        ({"period": "2024-Q1", "text": "   "}, "text"),
        ({"period": "2024-Q1", "text": "x" * 301}, "text"),
    ],
)
def test_a_bad_annotation_is_refused_with_a_message_and_nothing_is_stored(payload, field, regie):
    answer = api_for(regie).post(
        "/api/v1/annotations/", {"indicator": "asylum_applications", **payload}, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert not Annotation.objects.exists()


def test_the_page_adds_changes_and_withdraws_with_history(client, regie, viewer):
    client.force_login(regie)
    indicator = Indicator.objects.get(code="reception_occupancy")
    answer = client.post(
        "/dashboards/duiding/",
        {"indicator": indicator.pk, "period": "2024-03", "text": "Ter Apel overvol"},
    )
    assert answer.status_code == 302
    annotation = Annotation.objects.get()
    assert (
        client.post(
            f"/dashboards/duiding/{annotation.pk}/", {"text": "Ter Apel overvol, noodopvang"}
        ).status_code
        == 302
    )
    page = client.get(f"/dashboards/duiding/{annotation.pk}/").content.decode()
    assert "Duiding aangepast" in page
    assert "Ter Apel overvol, noodopvang" in page
    client.force_login(viewer)
    assert client.post(f"/dashboards/duiding/{annotation.pk}/intrekken/").status_code == 403
    client.force_login(regie)
    client.post(f"/dashboards/duiding/{annotation.pk}/intrekken/")
    annotation.refresh_from_db()
    assert annotation.withdrawn
    assert annotation.history.count() == 3
    assert "noodopvang" not in client.get("/dashboards/duiding/").content.decode()


def test_a_refused_form_says_why_and_stores_nothing(client, regie):
    client.force_login(regie)
    indicator = Indicator.objects.get(code="reception_occupancy")
    answer = client.post(
        "/dashboards/duiding/", {"indicator": indicator.pk, "period": "maart", "text": "x"}
    )
    assert answer.status_code == 422
    assert "Geef een periode als 2024-03, 2024-Q1 of 2024." in answer.content.decode()
    assert not Annotation.objects.exists()


def test_lineage_lists_the_annotations_of_its_period(client, viewer, coa_partner):
    approved_upload("COA", {("reception_occupancy", "2024-03", ""): 5})
    api_for(coa_partner).post(
        "/api/v1/annotations/",
        {"indicator": "reception_occupancy", "period": "2024-03", "text": "Ter Apel overvol"},
        format="json",
    )
    query = {"indicator": "reception_occupancy", "frequency": "quarter", "period": "2024-Q1"}
    body = api_for(viewer).get("/api/v1/series/lineage/", query).json()
    assert body["annotations"] == [
        {"period": "2024-03", "text": "Ter Apel overvol", "organisation": "COA"}
    ]
    client.force_login(viewer)
    page = client.get("/dashboards/herkomst/", query).content.decode()
    assert "Ter Apel overvol" in page
