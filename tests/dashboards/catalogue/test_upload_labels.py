"""Uploads name a dimension value by its code or by its Dutch or English label (contract:
"its code, or its Dutch or English label, case-insensitive"); what is stored is the code."""

from __future__ import annotations

import pytest

from dashboards.catalogue import services
from dashboards.catalogue.labels import value_aliases
from dashboards.models import Indicator, Observation, UploadStatus
from tests.dashboards.factories import submit

pytestmark = pytest.mark.django_db

HEADER = "indicator,period,value,application_type\n"


def test_a_file_may_name_values_by_their_dutch_or_english_label_in_any_case(ind_partner):
    upload = submit(
        ind_partner,
        HEADER
        + "asylum_applications,2024-01,10,Eerste aanvraag\n"
        + "asylum_applications,2024-01,20,subsequent application\n"
        + "asylum_applications,2024-01,30,NAREIS\n",
    )
    assert upload.status == UploadStatus.VALID, list(upload.issues.values_list("message"))
    keys = dict(Observation.objects.filter(upload=upload).values_list("dimension_key", "value"))
    assert keys == {
        "application_type=first": 10,
        "application_type=follow_up": 20,
        "application_type=family_reunification": 30,
    }


def test_the_same_cell_named_once_by_code_and_once_by_label_is_a_duplicate(ind_partner):
    upload = submit(
        ind_partner,
        HEADER
        + "asylum_applications,2024-01,10,first\n"
        + "asylum_applications,2024-01,11,Eerste aanvraag\n",
    )
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["duplicate_cell"]


def test_a_name_that_is_no_value_label_is_still_refused(ind_partner):
    upload = submit(ind_partner, HEADER + "asylum_applications,2024-01,10,Eerste\n")
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["unknown_dimension_value"]


def test_a_value_added_in_the_catalogue_is_accepted_by_its_label(ind_partner, regie):
    indicator = Indicator.objects.get(code="asylum_decisions")
    indicator.dimensions, indicator.dimension_labels = services.normalise_dimensions(
        {
            "outcome": [
                *indicator.dimensions["outcome"],
                {"code": "withdrawn", "label_nl": "Ingetrokken", "label_en": "Withdrawn"},
            ]
        },
        stored_labels=indicator.dimension_labels,
    )
    services.save_indicator(indicator=indicator, by=regie)
    upload = submit(
        ind_partner,
        "indicator,period,value,outcome\nasylum_decisions,2024-01,3,withdrawn\n"
        "asylum_decisions,2024-02,4,ingetrokken\n",
    )
    assert upload.status == UploadStatus.VALID
    assert set(
        Observation.objects.filter(upload=upload).values_list("dimension_key", flat=True)
    ) == {"outcome=withdrawn"}


def test_aliases_map_codes_and_both_labels_to_the_code(db):
    aliases = value_aliases(Indicator.objects.get(code="asylum_decisions"))["outcome"]
    assert aliases["granted"] == aliases["ingewilligd"] == aliases["granted"] == "granted"
    assert aliases["afgewezen"] == aliases["rejected"] == "rejected"
