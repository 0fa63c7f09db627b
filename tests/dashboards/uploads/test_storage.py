"""How observations are stored (migration 0005): lean, but with the same guarantees."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pandas as pd
import pytest
from django.db import IntegrityError, connection, transaction

from dashboards.models import Indicator, Observation
from dashboards.uploads import approval, pgcopy, review
from tests.dashboards.factories import IND_Q1, submit

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
        and "(organisation_id, period_start, indicator_id, dimension_key, period_type, round, upload_id)"
        in d
        for d in definitions
    )


def test_a_cells_history_is_read_by_its_period(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    approval.approve_upload(upload=upload, by=regie)
    history = review.cell_history(
        indicator=Indicator.objects.get(code="asylum_applications"),
        organisation=upload.organisation,
        period="2024-02",
        dimension_key="application_type=first",
    )
    assert [o.value for o in history] == [110]


def _copied(frame: pd.DataFrame, types: dict[str, str]) -> list[tuple]:
    """The frame as PostgreSQL reads it back after a binary COPY into a temporary table."""
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"{name} {db_type}" for name, db_type in types.items())
        cursor.execute(f"CREATE TEMPORARY TABLE copied ({columns}) ON COMMIT DROP")
        pgcopy.copy_binary(
            cursor,
            "copied",
            list(types),
            frame[list(types)],
            kinds=[pgcopy.kind_of(t) for t in types.values()],
            scales=[4 if t.startswith("numeric") else 0 for t in types.values()],
        )
        cursor.execute("SELECT * FROM copied")
        return cursor.fetchall()


@pytest.mark.parametrize(
    ("chunk_bytes", "joined_rows"),
    [(pgcopy.CHUNK_BYTES, pgcopy.JOINED_ROWS), (64, 2)],
    ids=["padded", "joined in chunks of 2 rows"],
)
def test_binary_copy_stores_text_null_dates_and_numbers_as_a_text_copy_would(
    monkeypatch, chunk_bytes, joined_rows
):
    monkeypatch.setattr(pgcopy, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(pgcopy, "JOINED_ROWS", joined_rows)
    frame = pd.DataFrame(
        {
            "upload_id": [7, 7, 7],
            "period": pd.Categorical(["2024-01", "2024-01", 'a"b,é']),
            "period_start": [datetime.date(2024, 1, 1), datetime.date(1999, 12, 31), None],
            "code": ["", "x", None],
            "row": pd.array([2, None, 4], dtype="Int64"),
            "number": [10, 11, 12],
            "value": ["112", "-0.00005", "1.5e3"],
        }
    )
    types = {
        "upload_id": "bigint",
        "period": "varchar(7)",
        "period_start": "date",
        "code": "text",
        "row": "integer",
        "number": "bigint",
        "value": "numeric(20, 4)",
    }
    rows = _copied(frame, types)
    assert rows == [
        (7, "2024-01", datetime.date(2024, 1, 1), "", 2, 10, Decimal("112.0000")),
        (7, "2024-01", datetime.date(1999, 12, 31), "x", None, 11, Decimal("-0.0001")),
        (7, 'a"b,é', None, None, 4, 12, Decimal("1500.0000")),
    ]


def test_binary_copy_in_many_padded_chunks_keeps_every_row(monkeypatch):
    monkeypatch.setattr(pgcopy, "CHUNK_BYTES", 4096)  # ~90 rows a chunk, made ahead of the COPY
    rows = 3001
    frame = pd.DataFrame(
        {
            "key": pd.Categorical([f"k={i % 7}" + "x" * (i % 3) for i in range(rows)]),
            "row": range(rows),
            "day": [datetime.date(2024, 1 + i % 12, 1) for i in range(rows)],
        }
    )
    copied = _copied(frame, {"key": "varchar(20)", "row": "integer", "day": "date"})
    assert copied == list(frame.itertuples(index=False, name=None))


def test_a_row_number_that_does_not_fit_its_column_is_refused_not_wrapped():
    with pytest.raises(connection.Database.Error, match="does not fit in int4"):
        _copied(pd.DataFrame({"row": [1, 2**31]}), {"row": "integer"})


NUMBERS = [
    "0", "-0", "0.0", "1", "-1", "112", "9999", "10000", "10001", "0.5", "-0.5", "0.00005",
    "-0.00005", "0.00004999", "1.23456", "123456789012.3456", "9999999999999999.9999",
    "-9999999999999999.99994", ".5", "5.", "+7", "1e3", "1.5E-3", "1e-20", "12345678.00001",
    "0.0001", "100000000", "99999.99995", "1e15",
]  # fmt: skip


def test_binary_numerics_are_the_values_postgresql_reads_from_the_same_text():
    rows = _copied(pd.DataFrame({"value": NUMBERS}), {"value": "numeric(20, 4)"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::text[])::numeric(20, 4)", [NUMBERS])
        assert rows == cursor.fetchall()


def test_a_number_beyond_the_columns_precision_is_refused_by_the_database():
    with pytest.raises(connection.Database.DataError, match="numeric field overflow"):
        _copied(pd.DataFrame({"value": ["10000000000000000"]}), {"value": "numeric(20, 4)"})


def test_an_error_while_encoding_aborts_the_copy(monkeypatch):
    def broken(frame, kinds, scales):
        yield pgcopy.SIGNATURE
        raise RuntimeError("encoder broke")

    monkeypatch.setattr(pgcopy, "binary_chunks", broken)
    # psycopg2 ends the COPY with the error's text; the transaction is rolled back.
    with pytest.raises(connection.Database.Error, match="encoder broke"):
        _copied(pd.DataFrame({"number": [1, 2]}), {"number": "bigint"})


def test_a_copy_the_database_refuses_leaves_no_encoder_thread_behind():
    frame = pd.DataFrame({"number": [1, 1, 2]})
    with (
        pytest.raises(connection.Database.IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("CREATE TEMPORARY TABLE copied (number bigint UNIQUE) ON COMMIT DROP")
        pgcopy.copy_binary(cursor, "copied", ["number"], frame, kinds=["int8"], scales=[0])
    assert not [t for t in threading.enumerate() if t.name == "copy-encoder"]
