"""A numbered decision keeps its year: the page, the API and the service all refuse another."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance.boards import services as decisions
from governance.models import Decision
from tests.factories import board

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(regie):
    return decisions.record_decision(
        board=board(), by=regie, title="Ketenplan", text="Vastgesteld.",
        date=datetime.date(2026, 3, 10),
    )  # fmt: skip


def test_the_service_refuses_a_date_in_another_year(decision, regie):
    decision.date = datetime.date(2027, 1, 5)
    with pytest.raises(ValidationError) as excinfo:
        decisions.save_decision_details(decision=decision, by=regie)
    assert "genummerd in 2026" in excinfo.value.message_dict["date"][0]
    assert Decision.objects.get(pk=decision.pk).date == datetime.date(2026, 3, 10)


def test_the_page_refuses_a_date_in_another_year_with_the_message(decision, regie_client):
    url = reverse("governance:decision-edit", args=[decision.number])
    form = regie_client.get(url).context["form"]
    data = {
        name: field.widget.format_value(form.initial.get(name)) if name != "perspectives" else []
        for name, field in form.fields.items()
        if form.initial.get(name) not in (None, False)
    }
    data.update(date="2027-01-05", title="Ketenplan", text="Vastgesteld.")
    response = regie_client.post(url, data)
    html = response.content.decode()
    assert response.status_code in (200, 422)
    assert "genummerd in 2026" in html
    assert "de datum blijft in dat jaar" in html
    assert Decision.objects.get(pk=decision.pk).date == datetime.date(2026, 3, 10)


def test_the_api_changes_details_within_the_year_and_refuses_another_year(decision, regie):
    api = APIClient()
    api.force_authenticate(regie)
    url = f"/api/v1/decisions/{decision.number}/"
    moved = api.patch(url, {"date": "2026-04-01", "title": "Ketenplan 2026"}, format="json")
    assert moved.status_code == 200, moved.content
    assert (moved.json()["date"], moved.json()["title"]) == ("2026-04-01", "Ketenplan 2026")
    refused = api.patch(url, {"date": "2027-01-05"}, format="json")
    assert refused.status_code == 400
    assert "genummerd in 2026" in str(refused.json()), refused.json()
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.number, stored.date) == ("TB-2026-01", datetime.date(2026, 4, 1))


def test_only_regie_changes_a_decision_through_the_api(decision, viewer):
    api = APIClient()
    api.force_authenticate(viewer)
    response = api.patch(f"/api/v1/decisions/{decision.number}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).title == "Ketenplan"
