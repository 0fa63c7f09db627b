"""How observations are stored (migration 0005): lean, but with the same guarantees."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from django.db import IntegrityError, connection, transaction

from dashboards import review, services
from dashboards.models import Indicator, Observation
from tests.dashboards.conftest import IND_Q1, submit

pytestmark = pytest.mark.django_db


def test_observation_dimensions_are_read_from_the_dimension_key():
    observation = Observation(dimension_key="application_type=first;nationality=sy")
    assert observation.dimensions == {"application_type": "first", "nationality": "sy"}
    assert Observation(dimension_key="").dimensions == {}


def test_observation_dimensions_given_as_a_dict_set_the_canonical_key():
    observation = Observation(dimensions={"nationality": "sy", "application_type": "first"})
    assert observation.dimension_key == "application_type=first;nationality=sy"


def test_observation_dimensions_that_disagree_with_the_key_are_refused():
    with pytest.raises(ValueError):
        Observation(dimension_key="application_type=first", dimensions={"application_type": "x"})


def test_the_database_still_refuses_the_same_cell_twice_in_one_upload(ind_partner):
    upload = submit(ind_partner, IND_Q1)
    stored = Observation.objects.filter(upload=upload, period="2024-02").get()
    twin = Observation(
        upload=upload,
        indicator_id=stored.indicator_id,
        organisation_id=stored.organisation_id,
        period=stored.period,
        period_type=stored.period_type,
        period_start=stored.period_start,
        period_end=stored.period_end,
        dimension_key=stored.dimension_key,
        value=1,
        row=99,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert Observation.objects.filter(upload=upload).count() == 4


def test_an_uploads_observations_are_found_through_a_brin_index_and_a_cell_through_the_unique_one():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'dashboards_observation'")
        definitions = sorted(row[0] for row in cursor.fetchall())
    assert len(definitions) == 3  # primary key, unique cell, BRIN on upload
    assert any("USING brin (upload_id)" in d for d in definitions)
    assert any(
        "UNIQUE INDEX observation_cell_per_upload" in d
        and "(organisation_id, period_start, indicator_id, dimension_key, period_type, upload_id)"
        in d
        for d in definitions
    )


def test_a_cells_history_is_read_by_its_period(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    services.approve_upload(upload=upload, by=regie)
    history = review.cell_history(
        indicator=Indicator.objects.get(code="asylum_applications"),
        organisation=upload.organisation,
        period="2024-02",
        dimension_key="application_type=first",
    )
    assert [o.value for o in history] == [110]


def test_copy_text_quotes_text_leaves_null_empty_and_writes_dates_and_numbers():
    frame = pd.DataFrame(
        {
            "upload_id": [7, 7, 7],
            "period": pd.Categorical(["2024-01", "2024-01", 'a"b']),
            "period_start": [datetime.date(2024, 1, 1)] * 3,
            "code": ["", "x", "y"],
            "row": pd.array([2, None, 4], dtype="Int64"),
            "number": [10, 11, 12],
        }
    )
    text = "".join(services.csv_text(frame, chunk_rows=2))
    assert text == (
        '7,"2024-01",2024-01-01,"",2,10\n'
        '7,"2024-01",2024-01-01,"x",,11\n'
        '7,"a""b",2024-01-01,"y",4,12\n'
    )
