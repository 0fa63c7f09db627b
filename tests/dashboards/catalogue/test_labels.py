"""Labels of the catalogue's codes: the indicator's own, in the user's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from dashboards.catalogue.labels import dimension_label, key_label, unit_label, value_label
from dashboards.models import Indicator

pytestmark = pytest.mark.django_db


def test_a_dimension_key_reads_as_labels_in_the_users_language(db):
    indicator = Indicator.objects.get(code="asylum_decisions")
    assert key_label("outcome=granted", indicator) == "Uitkomst: Ingewilligd"
    with translation.override("en"):
        assert key_label("outcome=granted", indicator) == "Outcome: Granted"
    assert key_label("", indicator) == ""


def test_an_indicators_own_labels_win_over_the_shared_table(db):
    indicator = Indicator.objects.get(code="return_intake")
    indicator.dimension_labels["source"]["values"]["other"]["label_nl"] = "Andere bron"
    assert value_label("other", indicator, "source") == "Andere bron"
    assert value_label("other") == "Overig"  # without the indicator: the shared table
    assert dimension_label("source", indicator) == "Herkomst"


def test_a_code_nobody_knows_is_shown_as_it_is_and_units_are_translated(db):
    assert value_label("unheard_of") == "unheard_of"
    with translation.override("en"):
        assert unit_label("places") == "places"
        assert unit_label("persons") == "people"
    assert unit_label("persons") == "personen"
