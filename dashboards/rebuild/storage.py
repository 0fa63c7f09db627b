"""Where a build's rows live, and the small SQL helpers every rebuild statement uses.

On PostgreSQL each rebuild writes a table of its own: loaded without indexes, indexed once, then
attached as the rebuild's partition of SeriesYear (the parent is partitioned by rebuild). Loading
into an indexed table cost three times the load itself, most of it write-ahead log for index
pages touched all over; and a build nobody reads any more is dropped as a whole, leaving no
million dead rows behind. SQLite (the one-machine demo) writes SeriesYear itself.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.db.models import Q

from dashboards.models import SeriesYear

logger = logging.getLogger(__name__)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def quoted(model: type[models.Model]) -> str:
    """The model's table name, quoted for SQL."""
    return connection.ops.quote_name(model._meta.db_table)


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's fields (a field without one is a mistake)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} has no column of its own")
    return field.column


def id_list(ids: Sequence[int]) -> str:
    """`IN (%s, …)` for these ids (never empty: an empty scope matches nothing)."""
    return f"IN ({', '.join(['%s'] * max(len(ids), 1))})"


def rows_table(rebuild_id: int) -> str:
    if is_postgres():
        return connection.ops.quote_name(f"{SeriesYear._meta.db_table}_{int(rebuild_id)}")
    return quoted(SeriesYear)


def rows_named_by(
    pointers: Iterable[tuple[int, int, int]], keys: Mapping[int, Sequence[str]] | None = None
) -> Q:
    """The rows (of SeriesYear or the SeriesPoint view) that these pointers (indicator, base
    build, version) name: the base build's rows as the pointer's rebuild left them, written by
    it or before and not replaced by then (a patch that runs now or failed changes neither).
    With `keys` (indicator id → dimension keys), only those keys of each indicator: a condition
    of each pointer's own, so the index is searched for an indicator's keys only."""
    current = Q()
    for indicator_id, base_id, version in pointers:
        named = Q(indicator_id=indicator_id, rebuild_id=base_id, written_by__lte=version)
        if keys is not None:
            named &= Q(dimension_key__in=keys.get(indicator_id, ()))
        current |= named & (Q(replaced_by__isnull=True) | Q(replaced_by__gt=version))
    return current


def open_rows(cursor, rebuild_id: int) -> None:
    """Create the rebuild's own table (a leftover of a killed run with this id is replaced)."""
    if is_postgres():
        table = rows_table(rebuild_id)
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} (LIKE {quoted(SeriesYear)} INCLUDING DEFAULTS)")


def attach_rows(cursor, rebuild_id: int) -> None:
    """Index the loaded table like SeriesYear and attach it as the rebuild's partition (its
    statistics were gathered before its chain rows were added, `sql.insert_chain`: enough).

    Attaching takes no lock that stops readers; they see the rows once the pointers flip.
    """
    if is_postgres():
        table = rows_table(rebuild_id)
        editor = connection.SchemaEditorClass(connection)
        # Sorting a few million rows per index in memory, not in 64 MB runs on disk.
        cursor.execute("SET LOCAL maintenance_work_mem = %s", [settings.REBUILD_WORK_MEM])
        for index in SeriesYear._meta.indexes:  # each partition repeats the parent's indexes
            columns = ", ".join(column_of(SeriesYear, name) for name in index.fields)
            condition = index._get_condition_sql(SeriesYear, editor)
            where = f" WHERE {condition}" if condition else ""
            cursor.execute(f"CREATE INDEX ON {table} ({columns}){where}")
        cursor.execute(
            f"ALTER TABLE {quoted(SeriesYear)} ATTACH PARTITION {table} "
            f"FOR VALUES IN ({int(rebuild_id)})"
        )


def fill_temp(cursor, table: str, columns: dict[str, str], rows: Iterable[Sequence]) -> None:
    """A temporary table of these rows (`columns`: name → SQL type), replacing one of that name;
    COPY on PostgreSQL, so thousands of rows cost milliseconds."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    cursor.execute(f"CREATE TEMP TABLE {table} ({definition})")
    rows = list(rows)
    if not rows:
        return
    if is_postgres():
        text = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
        cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(text))
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 (our table)
    cursor.execute(f"ANALYZE {table}")


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def drop_rows(rebuild_id: int, indicator_ids: Sequence[int] | None = None) -> bool:
    """Delete a build's rows, or only those of some indicators. False when readers held the
    table longer than the lock timeout (PostgreSQL drops a partition under an exclusive lock)."""
    if indicator_ids is not None or not is_postgres():
        rows = SeriesYear.objects.filter(rebuild_id=rebuild_id)
        if indicator_ids is not None:
            rows = rows.filter(indicator_id__in=indicator_ids)
        rows._raw_delete(rows.db)
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute(f"DROP TABLE IF EXISTS {rows_table(rebuild_id)}")
    except OperationalError:
        logger.warning("Rows of rebuild %s not dropped yet: the table was in use", rebuild_id)
        return False
    return True
