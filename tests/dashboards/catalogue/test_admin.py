"""The Django admin is the emergency door to the same write path: the catalogue's rules hold
there too (labels for every value; what figures fix stays fixed)."""

from __future__ import annotations

import json

import pytest

from dashboards.models import Indicator
from governance.accounts.services import save_portal_user
from governance.models import Role
from tests.dashboards.factories import approved_upload
from tests.factories import org
from tests.governance.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user, _created, _token = save_portal_user(
        username="beheerder", organisation=org("JENV"), role=Role.ADMIN, password="x"
    )
    client.force_login(user)
    return client


def test_a_dimension_value_without_labels_is_refused_in_the_admin(admin_client):
    indicator = Indicator.objects.get(code="registrations")
    data = form_data(admin_client, indicator)
    data["dimensions"] = json.dumps({"region": ["north", "south"]})
    response = admin_client.post(change_url(indicator), data, follow=True)
    assert "een Nederlands en een Engels label" in response.content.decode()
    assert Indicator.objects.get(code="registrations").dimensions == {}


def test_labels_of_an_indicator_with_figures_may_change_in_the_admin(admin_client):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    indicator = Indicator.objects.get(code="asylum_decisions")
    labels = indicator.dimension_labels
    labels["outcome"]["values"]["other"]["label_nl"] = "Anders"
    data = form_data(admin_client, indicator)
    assert "dimensions" not in response_fields(admin_client, indicator)
    data["dimension_labels"] = json.dumps(labels)
    assert admin_client.post(change_url(indicator), data).status_code == 302
    stored = Indicator.objects.get(code="asylum_decisions")
    assert stored.dimension_labels["outcome"]["values"]["other"]["label_nl"] == "Anders"
    assert stored.dimensions == {"outcome": ["granted", "rejected", "other"]}


def response_fields(client, indicator) -> set[str]:
    return set(client.get(change_url(indicator)).context["adminform"].form.fields)
