"""The statements of a patch after an approval: what the approved uploads touch, and the
SeriesYear rows of those series-years (and the chain rows above them) written again in the base
build, versioned so readers see them only when the pointers flip; undone when a patch fails.
"""

from __future__ import annotations

from dashboards.models import Aggregation, Indicator, Observation, SeriesYear
from governance.models import Organisation

from . import digests, subtotals
from .sql import (
    SERIES_YEAR_FIGURE_COLUMNS,
    SERIES_YEAR_INSERT_COLUMNS,
    chain_figures,
    insert_figures,
    series_key_sql,
)
from .storage import fill_temp, id_list, is_postgres, quoted, rows_table


def touched_groups(cursor, upload_ids: list[int], bases: dict[int, int]) -> int:
    """What the approved uploads touch, of the indicators patched into their base (`bases`:
    indicator id → base build): kp_touched, their cells' series-years (indicator,
    organisation, dimension value, year), and kp_groups, the (indicator, organisation, year)
    groups around them whose cells the subtotals need. Returns the number of groups."""
    fill_temp(cursor, "kp_bases", {"indicator_id": "bigint", "base": "bigint"}, bases.items())
    year = (
        "CAST(date_part('year', o.period_start) AS integer)"
        if is_postgres()
        else "CAST(strftime('%%Y', o.period_start) AS INTEGER)"
    )
    cursor.execute("DROP TABLE IF EXISTS kp_touched")
    cursor.execute(
        f"""
        CREATE TEMP TABLE kp_touched AS
        SELECT DISTINCT o.indicator_id, o.organisation_id, {series_key_sql("o")} AS dkey,
               {year} AS year
        FROM {quoted(Observation)} o JOIN kp_bases b ON b.indicator_id = o.indicator_id
        WHERE o.upload_id {id_list(upload_ids)}
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        upload_ids or [0],
    )
    cursor.execute("DROP TABLE IF EXISTS kp_groups")
    cursor.execute(
        """
        CREATE TEMP TABLE kp_groups AS
        SELECT DISTINCT indicator_id, organisation_id, year,
               CAST(year AS text) AS first_period, CAST(year + 1 AS text) AS next_period
        FROM kp_touched
        """
    )
    if is_postgres():
        cursor.execute("ANALYZE kp_touched")
        cursor.execute("ANALYZE kp_groups")
    cursor.execute("SELECT COUNT(*) FROM kp_groups")
    return int(cursor.fetchone()[0])


def keep_affected(cursor) -> None:
    """Reduce kp_years to the series-years the approval changes: each touched key and every
    subtotal above it ("nationality=SY;type=first" changes "nationality=SY", "type=first" and
    ""); the group's other subtotals are as they were."""
    cursor.execute("SELECT DISTINCT indicator_id, dkey FROM kp_touched")
    fill_temp(
        cursor,
        "kp_subkeys",
        {"indicator_id": "bigint", "from_key": "text", "to_key": "text"},
        (
            (indicator_id, key, sub)
            for indicator_id, key in cursor.fetchall()
            for sub in subtotals.subsets_of(key)
        ),
    )
    cursor.execute("DROP TABLE IF EXISTS kp_affected")
    cursor.execute(
        """
        CREATE TEMP TABLE kp_affected AS
        SELECT DISTINCT t.indicator_id, t.organisation_id, m.to_key AS dkey, t.year
        FROM kp_touched t JOIN kp_subkeys m
             ON m.indicator_id = t.indicator_id AND m.from_key = t.dkey
        """
    )
    cursor.execute(
        """
        DELETE FROM kp_years WHERE NOT EXISTS (
            SELECT 1 FROM kp_affected a
            WHERE a.indicator_id = kp_years.indicator_id
              AND a.organisation_id = kp_years.organisation_id
              AND a.dkey = kp_years.dkey AND a.year = kp_years.year)
        """
    )
    if is_postgres():
        cursor.execute("ANALYZE kp_years")


def _stored(key: str) -> str:
    """A key of our temporary tables (byte order, "C") compared as SeriesYear stores it, so the
    comparison can use SeriesYear's indexes."""
    return f'({key} COLLATE "default")' if is_postgres() else key


def replace_organisation_rows(cursor, version: int, base: int, indicator_ids: list[int]) -> int:
    """Mark the rows the patch replaced (those of the series-years in kp_years) in the partition
    of `base`: readers of the earlier build still see them, readers of this one the new rows."""
    table = quoted(SeriesYear)
    cursor.execute(
        f"""
        UPDATE {table} SET replaced_by = %s
        FROM kp_years y
        WHERE {table}.indicator_id = y.indicator_id AND {table}.rebuild_id = %s
          AND {table}.organisation_id = y.organisation_id
          AND {table}.dimension_key = {_stored("y.dkey")} AND {table}.year = y.year
          AND {table}.written_by < %s AND {table}.replaced_by IS NULL
          AND y.indicator_id {id_list(indicator_ids)}
        """,  # noqa: S608 (our own identifiers; values are parameters)
        [version, base, version, *indicator_ids],
    )
    return cursor.rowcount


def patch_chain(
    cursor, version: int, base: int, indicator_ids: list[int], *, sums: digests.Sums | None = None
) -> int:
    """The chain rows of the patched series-years in the partition of `base`, combined from
    every organisation's current row (the patched ones and those untouched), replacing the
    chain rows they had."""
    cursor.execute("DROP TABLE IF EXISTS kp_chain")
    cursor.execute(
        f"""
        CREATE TEMP TABLE kp_chain AS
        SELECT DISTINCT indicator_id, {_stored("dkey")} AS dkey, year
        FROM kp_years WHERE indicator_id {id_list(indicator_ids)}
        """,  # noqa: S608 (our own fragments; values are parameters)
        indicator_ids,
    )
    if is_postgres():
        cursor.execute("ANALYZE kp_chain")
    table = quoted(SeriesYear)
    # One statement per kind (summed, averaged), as the full rebuild's chain, and no join with
    # the indicators: the planner, guessing a few rows, looped over every indicator for each
    # of the 170,000 organisation rows of a 10,000-cell correction (2 of its 3 seconds).
    averaged = set(
        Indicator.objects.filter(pk__in=indicator_ids, aggregation=Aggregation.MEAN).values_list(
            "pk", flat=True
        )
    )
    figures = 0
    for average in (False, True):
        ids = [pk for pk in indicator_ids if (pk in averaged) == average]
        if not ids:
            continue
        if is_postgres() and _scan_whole_partition(cursor, base, ids):
            _combine_in_one_scan(cursor, base, ids, average=average)
            insert = f"""
                INSERT INTO {table} ({SERIES_YEAR_INSERT_COLUMNS})
                SELECT rebuild_id, %s, indicator_id, NULL, dimension_key, year,
                       {SERIES_YEAR_FIGURE_COLUMNS}
                FROM kp_chain_rows
            """  # noqa: S608 (our own identifiers)
            params = [version]
        else:  # the planner goes through the index for a few keys
            insert = f"""
                INSERT INTO {table} ({SERIES_YEAR_INSERT_COLUMNS})
                SELECT s.rebuild_id, %s, s.indicator_id, NULL, s.dimension_key, s.year,
                       {chain_figures(average)}
                FROM kp_chain k
                JOIN {table} s ON s.indicator_id = k.indicator_id AND s.rebuild_id = %s
                     AND s.dimension_key = k.dkey AND s.year = k.year
                WHERE s.organisation_id IS NOT NULL AND s.replaced_by IS NULL
                  AND k.indicator_id {id_list(ids)}
                GROUP BY s.rebuild_id, s.indicator_id, s.dimension_key, s.year
            """  # noqa: S608 (our own identifiers and fragments; values are parameters)
            params = [version, base, *ids]
        figures += insert_figures(cursor, insert, params, version=version, chain=True, sums=sums)
    cursor.execute(
        f"""
        UPDATE {table} SET replaced_by = %s
        FROM kp_chain k
        WHERE {table}.indicator_id = k.indicator_id AND {table}.rebuild_id = %s
          AND {table}.organisation_id IS NULL AND {table}.dimension_key = k.dkey
          AND {table}.year = k.year AND {table}.written_by < %s
          AND {table}.replaced_by IS NULL
        """,  # noqa: S608 (our own identifiers; values are parameters)
        [version, base, version],
    )
    return figures


def _combine_in_one_scan(cursor, base: int, indicator_ids: list[int], *, average: bool) -> None:
    """kp_chain_rows: the chain rows under kp_chain's keys of these indicators, combined from
    the organisations' rows read in one scan of the partition of `base` that parallel workers
    share (a 10,000-cell correction on 10M cells: 0.38 s, against 0.67 s in one process and
    0.43 s through the index). An INSERT and a join with a temporary table both keep the
    workers out, so the keys come as arrays and the rows go into a temporary table."""
    cursor.execute(
        f"""SELECT array_agg(indicator_id), array_agg(dkey), array_agg(year)
            FROM kp_chain WHERE indicator_id {id_list(indicator_ids)}""",  # noqa: S608
        indicator_ids,
    )
    keys = list(cursor.fetchone())
    cursor.execute("DROP TABLE IF EXISTS kp_chain_rows")
    plans = ("enable_nestloop", "enable_mergejoin", "enable_sort")
    for setting in plans:
        cursor.execute(f"SET LOCAL {setting} = off")
    cursor.execute(
        f"""
        CREATE TEMP TABLE kp_chain_rows
            (rebuild_id, indicator_id, dimension_key, year, {SERIES_YEAR_FIGURE_COLUMNS}) AS
        SELECT s.rebuild_id, s.indicator_id, s.dimension_key, s.year, {chain_figures(average)}
        FROM unnest(%s::bigint[], %s::text[], %s::integer[]) k(indicator_id, dkey, year)
        JOIN {quoted(SeriesYear)} s ON s.indicator_id = k.indicator_id AND s.rebuild_id = %s
             AND s.dimension_key = k.dkey AND s.year = k.year
        WHERE s.organisation_id IS NOT NULL AND s.replaced_by IS NULL
          AND s.indicator_id {id_list(indicator_ids)}
        GROUP BY s.rebuild_id, s.indicator_id, s.dimension_key, s.year
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        # The indicators once more as constants: joined only through the arrays, the planner
        # hashed the partition's rows in one process instead (0.8 s).
        [*keys, base, *indicator_ids],
    )
    for setting in plans:
        cursor.execute(f"SET LOCAL {setting} = on")


#: How much dearer a row read through the index is than a row of a parallel scan (measured on
#: 10M cells: 2.5 µs against 0.25 µs, with two workers).
INDEX_ROW_COST = 10


def _scan_whole_partition(cursor, base: int, indicator_ids: list[int]) -> bool:
    """Whether the organisations' rows under kp_chain's keys are cheaper read in one scan of
    the partition of `base` than one key at a time through its index: when there are more of
    them (the keys × every organisation, an upper bound) than a tenth of its rows."""
    cursor.execute(
        f"SELECT count(*) FROM kp_chain WHERE indicator_id {id_list(indicator_ids)}",  # noqa: S608
        indicator_ids,
    )
    keys = int(cursor.fetchone()[0])
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [rows_table(base)])
    found = cursor.fetchone()
    partition_rows = float(found[0]) if found else 0.0
    return keys * Organisation.objects.count() * INDEX_ROW_COST > partition_rows


def undo_patches(cursor, rebuild_id: int, version: int) -> None:
    """Take back what a failed rebuild patched into other builds' partitions: its rows go, the
    rows it meant to replace are current again (readers never saw either change)."""
    table = quoted(SeriesYear)
    cursor.execute(
        f"DELETE FROM {table} WHERE written_by = %s AND rebuild_id <> %s",  # noqa: S608
        [version, rebuild_id],
    )
    cursor.execute(
        f"UPDATE {table} SET replaced_by = NULL WHERE replaced_by = %s",  # noqa: S608
        [version],
    )
