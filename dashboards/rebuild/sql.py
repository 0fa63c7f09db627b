"""The statements of a rebuild: the current cells gathered per series and year, the totals over
the dimension values, the SeriesYear rows of the organisations, and the chain's.

Aggregation (DESIGN.md): from an indicator's own frequency up to quarter and year, `sum` adds,
`last` takes the figure of the latest period present, `mean` averages. Totals over the dimension
values (dimension_key "") are summed per underlying period first and then aggregated in time.
A figure coarser than the indicator's frequency (a yearly figure of a monthly indicator) counts
for its own period and for coarser periods only; it is never spread over finer periods. `months`
counts the months that the underlying figures cover (a quarter figure covers three), a period is
complete when they cover all its months, and `mean` weighs each figure by the months it covers
(for figures of one frequency: the plain average).
"""

from __future__ import annotations

from dashboards.models import (
    Aggregation,
    CurrentCell,
    Indicator,
    Observation,
    SeriesYear,
    series_year_columns,
)

from . import digests, subtotals
from .storage import attach_rows, fill_temp, id_list, is_postgres, open_rows, quoted, rows_table

# A year's slots, in the order of `SeriesYear`'s columns. In `kp_years` (the figures as
# delivered) the quarter and year slots hold quarter and year *figures* (f1…f4, fy); in
# `SeriesYear` they hold the quarters and the year *aggregated* from everything finer or equal.
MONTH_COLUMNS = series_year_columns("m", 12)
QUARTER_COLUMNS = series_year_columns("q", 4)
FIGURE_COLUMNS = [*MONTH_COLUMNS, "f1", "f2", "f3", "f4", "fy"]
#: In kp_years, the earliest upload behind each quarter (its months and its quarter figure) and
#: behind the year's own figure: all that SeriesYear keeps of uploads (timeliness is judged per
#: quarter), so the subtotals carry five of them, not one per slot.
UPLOAD_COLUMNS = ["u1", "u2", "u3", "u4", "uy"]
#: The slots (1-17) whose figures count for each upload column.
UPLOAD_SLOTS = {f"u{q}": [3 * q - 2, 3 * q - 1, 3 * q, 12 + q] for q in range(1, 5)} | {"uy": [17]}
#: For `last`: a year's slots latest first, ordered like DESIGN.md's rule (the latest period end,
#: then the latest start): December, the fourth quarter's figure, the year's figure, November…
LAST_OF_YEAR = [
    "m12", "f4", "fy", "m11", "m10", "m09", "f3", "m08", "m07", "m06", "f2", "m05", "m04", "m03",
    "f1", "m02", "m01",
]  # fmt: skip
#: Bigger than any upload id: stands in for "no upload" inside LEAST/MIN.
NO_UPLOAD = 9_223_372_036_854_775_807


def series_key_sql(alias: str) -> str:
    """The series key of a cell (or observation) `alias` in SQL, as `models.series_key` makes it:
    its dimension key, for a forecast with its round in front ("round=2026-06;scenario=low")."""
    return f"""(CASE WHEN {alias}.round = '' THEN {alias}.dimension_key
                     WHEN {alias}.dimension_key = '' THEN 'round=' || {alias}.round
                     ELSE 'round=' || {alias}.round || ';' || {alias}.dimension_key END)"""


def collect_years(
    cursor, indicator_ids: list[int], dimensioned: list[int], *, full: bool, groups: bool = False
) -> None:
    """kp_years: per series (indicator, organisation, dimension value) and year, its figures.

    One pass over the current approved cells, grouped per series and year; a forecast's series
    are per round (`series_key_sql`), never one over several rounds. On PostgreSQL the
    figures are gathered as arrays and picked out by slot (one cheap aggregate per group instead
    of seventeen filtered ones per cell); SQLite, for the demo, pivots with FILTER.
    A figure without dimension values cannot belong to an indicator that has dimensions (the
    upload contract requires them); leaving such cells out keeps the "" key the total only.
    With `groups`, only the cells of the (indicator, organisation, year) groups in kp_groups,
    each read through the cells' unique index (a year's periods sort between "2024" and "2025").
    """
    scope = "" if full else f"AND c.indicator_id {id_list(indicator_ids)}"
    params = [] if full else (list(indicator_ids) or [0])
    join = ""
    if groups:
        join = """JOIN kp_groups g ON g.indicator_id = c.indicator_id
                       AND g.organisation_id = c.organisation_id
                       AND c.period >= g.first_period AND c.period < g.next_period"""
    if is_postgres():
        # date_part, not EXTRACT: it returns a float instead of a numeric, a second less here.
        year = "CAST(date_part('year', o.period_start) AS integer)"
        month = "CAST(date_part('month', o.period_start) AS integer)"
        # The pass sorts by series: byte order is enough for grouping, and far cheaper.
        dkey = f'{series_key_sql("c")} COLLATE "C"'
    else:
        year = "CAST(strftime('%%Y', o.period_start) AS INTEGER)"
        month = "CAST(strftime('%%m', o.period_start) AS INTEGER)"
        dkey = series_key_sql("c")
    cells = f"""
        SELECT c.indicator_id, c.organisation_id, {dkey} AS dkey, {year} AS year,
               CASE o.period_type WHEN 'month' THEN {month}
                    WHEN 'quarter' THEN 12 + ({month} + 2) / 3 ELSE 17 END AS slot,
               o.value, o.upload_id
        FROM {quoted(CurrentCell)} c
        {join}
        JOIN {quoted(Observation)} o ON o.id = c.observation_id
        WHERE NOT (c.dimension_key = '' AND c.indicator_id {id_list(dimensioned)}) {scope}
    """  # noqa: S608 (our own identifiers and fragments; values are parameters)
    params = [*(dimensioned or [0]), *params]
    if is_postgres():
        picks = ", ".join(
            [
                *(
                    f"v[array_position(s, {n})] AS {column}"
                    for n, column in enumerate(FIGURE_COLUMNS, start=1)
                ),
                *(
                    f"LEAST({', '.join(f'u[array_position(s, {n})]' for n in slots)}) AS {column}"
                    for column, slots in UPLOAD_SLOTS.items()
                ),
            ]
        )
        select = f"""
            SELECT indicator_id, organisation_id, dkey, year, {picks}
            FROM (SELECT indicator_id, organisation_id, dkey, year, array_agg(slot) AS s,
                         array_agg(value) AS v, array_agg(upload_id) AS u
                  FROM ({cells}) cells GROUP BY indicator_id, organisation_id, dkey, year) g
        """  # noqa: S608
    else:
        picks = ", ".join(
            [
                *(
                    f"MAX(value) FILTER (WHERE slot = {n}) AS {column}"
                    for n, column in enumerate(FIGURE_COLUMNS, start=1)
                ),
                *(
                    f"MIN(upload_id) FILTER (WHERE slot IN ({', '.join(map(str, slots))})) "
                    f"AS {column}"
                    for column, slots in UPLOAD_SLOTS.items()
                ),
            ]
        )
        select = f"""
            SELECT indicator_id, organisation_id, dkey, year, {picks}
            FROM ({cells}) cells GROUP BY indicator_id, organisation_id, dkey, year
        """  # noqa: S608
    cursor.execute(f"CREATE TEMP TABLE kp_years AS {select}", params)


def add_subtotals(cursor, dimensioned: list[int], averaged: list[int]) -> None:
    """The subtotals of every subset of an indicator's dimensions, as kp_years rows (key "" is
    the total over all of them): per period the figures summed (for `mean` indicators averaged),
    so a subtotal then aggregates in time like any series (DESIGN.md). Level by level from the
    finer figures (`subtotals`)."""
    if not dimensioned:
        return
    if is_postgres():
        # Without statistics the planner takes the temporary table for a few hundred rows and
        # sorts its wide rows to merge and group them, instead of hashing the few keys; and
        # even with them it overestimates the groups (the keys' combinations are not
        # independent) and sorts: hashing the groups costs a third.
        cursor.execute("ANALYZE kp_years")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute(
        f"SELECT DISTINCT indicator_id, dkey FROM kp_years WHERE indicator_id {id_list(dimensioned)}",  # noqa: S608
        dimensioned,
    )
    keys: dict[int, set[str]] = {}
    for indicator_id, key in cursor.fetchall():
        keys.setdefault(indicator_id, set()).add(key)
    steps = subtotals.subtotal_steps(keys, averaged)
    fill_temp(
        cursor,
        "kp_keys",
        {"step": "integer", "indicator_id": "bigint", "from_key": "text", "to_key": "text"},
        steps,
    )
    uploads = [f"MIN({c})" for c in UPLOAD_COLUMNS]
    # Two statements per step, so that neither computes the other's aggregate for every row.
    kinds = [
        (f"NOT IN ({', '.join(['%s'] * len(averaged))})" if averaged else "IS NOT NULL", "SUM"),
        (id_list(averaged), "AVG"),
    ]
    key = 'k.to_key COLLATE "C"' if is_postgres() else "k.to_key"
    last = max((step.step for step in steps), default=0)
    for step in range(1, last + 1):
        for scope, function in kinds:
            if function == "AVG" and not averaged:
                continue
            figures = [
                f"ROUND(AVG({c}), 4)" if function == "AVG" else f"SUM({c})" for c in FIGURE_COLUMNS
            ]
            cursor.execute(
                f"""
                INSERT INTO kp_years
                SELECT y.indicator_id, y.organisation_id, {key}, y.year,
                       {", ".join([*figures, *uploads])}
                FROM kp_years y JOIN kp_keys k ON k.indicator_id = y.indicator_id
                     AND k.from_key = y.dkey AND k.step = %s
                WHERE y.indicator_id {scope}
                GROUP BY y.indicator_id, y.organisation_id, k.to_key, y.year
                """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
                [step, *averaged],
            )


def _least(expressions: list[str]) -> str:
    """The smallest non-null of these (PostgreSQL's LEAST skips nulls, SQLite's MIN does not)."""
    function = "LEAST" if is_postgres() else "MIN"
    padded = ", ".join(f"COALESCE({e}, {NO_UPLOAD})" for e in expressions)
    return f"NULLIF({function}({padded}), {NO_UPLOAD})"


def _present(column: str, months: int = 1) -> str:
    return f"CASE WHEN {column} IS NULL THEN 0 ELSE {months} END"


def _period_value(agg: str, months: str, part: str, last: list[str]) -> str:
    """A period's figure from (the months its figures cover, their `part`, the `last` order).

    `part` is the sum of the figures for `sum` and their sum weighted by months for `mean`;
    `last` takes the first present figure of `last` (latest first). Nothing present: null.
    """
    if agg == Aggregation.LAST:
        value = f"COALESCE({', '.join(last)})"
    elif agg == Aggregation.MEAN:
        value = f"ROUND(({part}) * 1.0 / ({months}), 4)"
    else:
        value = part
    return f"CASE WHEN {months} = 0 THEN NULL ELSE {value} END"


#: A SeriesYear row's figures, with the months and earliest upload of each quarter and the year.
SERIES_YEAR_FIGURE_COLUMNS = ", ".join(
    [*MONTH_COLUMNS, *(f"{c}, {c}_months, {c}_upload" for c in [*QUARTER_COLUMNS, "y"])]
)
SERIES_YEAR_INSERT_COLUMNS = (
    "rebuild_id, written_by, indicator_id, organisation_id, dimension_key, year, "
    + SERIES_YEAR_FIGURE_COLUMNS
)


def _years_select(agg: str) -> tuple[str, str]:
    """(the per-quarter expressions, the quarters' and the year's figures) of the rows of
    indicators aggregated by `agg`: written for that one aggregation, so no row evaluates the
    others' arithmetic or asks which one it is."""
    per_quarter, quarters = [], []
    for q in range(1, 5):
        a, b, c = MONTH_COLUMNS[3 * q - 3 : 3 * q]
        figure = f"f{q}"
        months = " + ".join([_present(a), _present(b), _present(c), _present(figure, 3)])
        plain = " + ".join(f"COALESCE({x}, 0)" for x in (a, b, c))
        weight = "3 * " if agg == Aggregation.MEAN else ""
        part = "NULL" if agg == Aggregation.LAST else f"{plain} + {weight}COALESCE({figure}, 0)"
        per_quarter.append(f"{months} AS q{q}_m, {part} AS q{q}_p, u{q} AS q{q}_u")
        quarters.append(
            f"{_period_value(agg, f'q{q}_m', f'q{q}_p', [c, figure, b, a])}, NULLIF(q{q}_m, 0), "
            f"q{q}_u"
        )
    year_months = f"(q1_m + q2_m + q3_m + q4_m + {_present('fy', 12)})"
    weight = "12 * " if agg == Aggregation.MEAN else ""
    year_part = f"q1_p + q2_p + q3_p + q4_p + {weight}COALESCE(fy, 0)"
    year = (
        f"{_period_value(agg, year_months, year_part, LAST_OF_YEAR)}, NULLIF({year_months}, 0), "
        f"{_least(['q1_u', 'q2_u', 'q3_u', 'q4_u', 'uy'])}"
    )
    return ", ".join(per_quarter), ", ".join(quarters) + ", " + year


def insert_years(
    cursor, rebuild_id: int, version: int, *, patch: bool = False, sums: digests.Sums | None = None
) -> int:
    """SeriesYear rows: the month figures as they are, quarters and years aggregated from every
    figure finer or equal (a quarter figure counts for its quarter and year, never for months).

    Two steps per row: per quarter the months covered, the (weighted) sum and the earliest
    upload of its figures; then the quarters' and the year's figures from those, so the year
    reuses the quarters' work. One statement per aggregation, without a join with the
    indicators: no row asks which aggregation it follows, and the planner cannot loop over
    the indicators per row as it did for the chain (`insert_chain`).
    Returns the number of figures (a row holds up to seventeen). Into the rebuild's own table,
    or with `patch` into the partition of each indicator's base build (kp_bases); `written_by`
    is the rebuild's `version`.
    """
    # OFFSET 0 keeps PostgreSQL from folding the inner query into the outer one, which would
    # compute every per-quarter expression again wherever the outer one uses it.
    fence = "OFFSET 0" if is_postgres() else ""
    if patch:
        target, partition = quoted(SeriesYear), "base"
        bases = "JOIN kp_bases b ON b.indicator_id = y.indicator_id"
        params = [version]
    else:
        open_rows(cursor, rebuild_id)
        target, partition, bases = rows_table(rebuild_id), "%s", ""
        params = [rebuild_id, version]
    by_kind: dict[str, list[int]] = {}
    for pk, agg in Indicator.objects.values_list("pk", "aggregation").order_by("pk"):
        by_kind.setdefault(agg, []).append(pk)
    figures = 0
    for agg, ids in sorted(by_kind.items()):
        per_quarter, periods = _years_select(agg)
        insert = f"""
            INSERT INTO {target} ({SERIES_YEAR_INSERT_COLUMNS})
            SELECT {partition}, %s, indicator_id, organisation_id, dkey, year,
                   {", ".join(MONTH_COLUMNS)}, {periods}
            FROM (SELECT y.*, {"b.base, " if patch else ""}{per_quarter}
                  FROM kp_years y {bases}
                  WHERE y.indicator_id {id_list(ids)}
                  {fence}) x
        """  # noqa: S608 (our own identifiers and fragments; values are parameters)
        figures += insert_figures(
            cursor, insert, [*params, *ids], version=version, chain=False, sums=sums
        )
    return figures


#: How many figures a SeriesYear row holds (a null is a figure that is not there).
FIGURES_IN_ROW = " + ".join(
    f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in [*MONTH_COLUMNS, *QUARTER_COLUMNS, "y"]
)


def insert_figures(
    cursor,
    insert: str,
    params: list,
    *,
    version: int,
    chain: bool,
    sums: digests.Sums | None = None,
) -> int:
    """Run an INSERT into SeriesYear; return the number of figures it wrote, and add its rows'
    hashes per indicator to `sums` (`digests`)."""
    if is_postgres():  # counted on the way in, not by reading the rows back
        counted = f"""
            WITH written AS ({insert}
                 RETURNING indicator_id, {FIGURES_IN_ROW} AS n, {digests.row_hash()} AS h)
            SELECT indicator_id, SUM(n), SUM(h) FROM written GROUP BY indicator_id
        """  # noqa: S608 (our own SQL)
        cursor.execute(counted, params)
        rows = cursor.fetchall()
        digests.add(sums, [(indicator_id, h) for indicator_id, _n, h in rows])
        return sum(int(n or 0) for _i, n, _h in rows)
    count = f"""SELECT COALESCE(SUM({FIGURES_IN_ROW}), 0) FROM {quoted(SeriesYear)}
                WHERE written_by = %s AND organisation_id IS {"" if chain else "NOT "}NULL"""  # noqa: S608
    # What this statement added: a rebuild runs several of these for one version.
    cursor.execute(count, [version])
    before = int(cursor.fetchone()[0] or 0)
    cursor.execute(insert, params)
    cursor.execute(count, [version])
    return int(cursor.fetchone()[0] or 0) - before


def chain_figures(average: bool) -> str:
    """The chain's figures from its organisations' rows `s` (grouped): averaged (`mean`
    indicators) or summed."""

    def combined(column: str) -> str:
        return f"ROUND(AVG(s.{column}), 4)" if average else f"SUM(s.{column})"

    selects = [combined(column) for column in MONTH_COLUMNS]
    for column, expected in [*((q, 3) for q in QUARTER_COLUMNS), ("y", 12)]:
        selects.append(
            f"""{combined(column)},
                CASE WHEN MIN(s.{column}_months) = {expected} AND MAX(s.{column}_months) > {expected}
                     THEN MAX(s.{column}_months) ELSE MIN(s.{column}_months) END,
                MIN(s.{column}_upload)"""
        )
    return ", ".join(selects)


def insert_chain(
    cursor,
    rebuild_id: int,
    version: int,
    indicator_ids: list[int],
    averaged: list[int],
    *,
    sums: digests.Sums | None = None,
) -> int:
    """The whole chain (organisation null): the organisations' figures of this build combined.

    Summed (for a stock: the organisations' stocks added up), for a `mean` indicator (those in
    `averaged`) averaged; complete when every organisation's figure is (then `months` is the
    period's, otherwise the fewest, or the most when some cover more than the period).
    Precomputed so that a chain-wide dashboard reads a few hundred rows, not every
    organisation's.
    """
    if is_postgres():
        # The rows were just loaded: without statistics the planner sorts them to group them.
        cursor.execute(f"ANALYZE {rows_table(rebuild_id)}")
        cursor.execute("SET LOCAL enable_sort = off")
    figures = 0
    # One statement per kind, so that neither computes the other's aggregates for every row;
    # and no join with the indicators (nor an ORDER BY): to hand the rows over sorted by
    # indicator, the planner looped over every indicator for each of the organisations' rows
    # (111M rows filtered, 31 of the 33 seconds of this step on 10M cells).
    kinds = {pk in averaged for pk in indicator_ids}
    for average in sorted(kinds):
        ids = [pk for pk in indicator_ids if (pk in averaged) == average]
        insert = f"""
            INSERT INTO {rows_table(rebuild_id)} ({SERIES_YEAR_INSERT_COLUMNS})
            SELECT %s, %s, s.indicator_id, NULL, s.dimension_key, s.year,
                   {chain_figures(average)}
            FROM {rows_table(rebuild_id)} s
            WHERE s.rebuild_id = %s AND s.organisation_id IS NOT NULL
              AND s.indicator_id {id_list(ids)}
            GROUP BY s.indicator_id, s.dimension_key, s.year
        """  # noqa: S608 (our own identifiers and fragments; values are parameters)
        params = [rebuild_id, version, rebuild_id, *ids]
        figures += insert_figures(cursor, insert, params, version=version, chain=True, sums=sums)
    if is_postgres():
        cursor.execute("SET LOCAL enable_sort = on")
    attach_rows(cursor, rebuild_id)
    return figures
