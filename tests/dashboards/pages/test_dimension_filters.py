"""The dashboard filters offer every dimension of an indicator, and any subset may be chosen."""

from __future__ import annotations

import pytest

from dashboards.models import Indicator
from dashboards.pages import chain
from dashboards.pages.base import indicators_by_code, series_keys
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")

DIMENSIONS = {"application_type": ["first", "follow_up"], "nationality": ["SY", "ER"]}


@pytest.fixture
def by_nationality(db):
    Indicator.objects.filter(code="asylum_applications").update(dimensions=DIMENSIONS)
    approved_upload(
        "IND",
        {
            ("asylum_applications", "2024-01", "application_type=first;nationality=SY"): 10,
            ("asylum_applications", "2024-02", "application_type=follow_up;nationality=SY"): 3,
            ("asylum_applications", "2024-01", "application_type=first;nationality=ER"): 7,
        },
    )
    rebuild_dashboards()
    return Indicator.objects.get(code="asylum_applications")


def test_a_chart_breaks_down_by_the_dimension_not_chosen_with_the_fewest_values(by_nationality):
    assert series_keys(by_nationality, {}) == [
        ("Eerste aanvraag", "application_type=first"),
        ("Opvolgende aanvraag", "application_type=follow_up"),
    ]
    assert [key for _name, key in series_keys(by_nationality, {"application_type": "first"})] == [
        "application_type=first;nationality=SY",
        "application_type=first;nationality=ER",
    ]
    assert series_keys(by_nationality, {"nationality": "SY", "application_type": "first"}) == [
        ("Eerste aanvraag · SY", "application_type=first;nationality=SY")
    ]


def test_ketenbeeld_offers_every_dimension_and_sums_the_ones_left_out(
    by_nationality, client, viewer
):
    client.force_login(viewer)
    page = client.get("/dashboards/?nationality=SY")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="nationality"' in html and 'name="application_type"' in html
    figures = chain.figures(indicators_by_code(chain.CHAIN), selection={"nationality": "SY"})
    (applications,) = [c for c in figures["charts"] if c.slug == "aanvragen"]
    # Syria only, broken down by type: first 10, follow-up 3 (Eritrea's 7 left out).
    assert [float(v) for v in applications.rows[0][1:3]] == [10.0, 3.0]
