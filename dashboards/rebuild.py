"""The dashboard rebuild: aggregate the current approved figures into the dashboard tables.

Guarantees of `rebuild_dashboards`:

- It reads only `CurrentCell` ⋈ `Observation`: approved figures, never an upload under review.
- Atomic for readers. Every row it writes carries its rebuild's id; readers follow
  `IndicatorBuild` (one pointer per indicator) and the last succeeded rebuild (burn-up). Those
  pointers are flipped, and the rebuild marked succeeded, in one transaction at the very end, so
  a rebuild that fails or is killed part-way changes nothing readers see. It is recorded failed
  (a killed one by the next rebuild, which also deletes its rows).
- One at a time: a PostgreSQL advisory lock is held for the whole run; a second rebuild is
  refused with `RebuildInProgress` (the Celery task retries it later, so it waits).
- Idempotent: the same current figures give identical rows (deterministic SQL, ties broken).
- Incremental: with `indicator_ids` only those indicators are recomputed and re-pointed; the
  other indicators keep pointing at the rows of earlier builds (nothing is copied).

Storage: one `SeriesYear` row per series (indicator, organisation, dimension value) and year holds
its twelve months, four quarters and the year; the `SeriesPoint` view unfolds it for readers. A
row per figure made a full rebuild of ten million cells write sixteen million rows, eight times
the bare GROUP BY (bench/dashboards.py). On PostgreSQL each rebuild loads a partition of its own
(see "where a build's rows live").

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

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CurrentCell,
    Indicator,
    IndicatorBuild,
    Observation,
    ProgressKind,
    ProgressPoint,
    Rebuild,
    RebuildScope,
    RebuildStatus,
    RebuildTrigger,
    SeriesYear,
    series_year_columns,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

#: Key of the PostgreSQL advisory lock that lets one rebuild run at a time ("KPREBLD").
ADVISORY_LOCK_KEY = 0x4B50_5245_424C_44


class RebuildInProgress(Exception):
    """Another rebuild holds the lock; this one has not started (it stays queued)."""


# ---------------------------------------------------------------- queueing


@transaction.atomic
def queue_rebuild(
    *,
    indicator_ids: Sequence[int] | None = None,
    trigger: str = RebuildTrigger.PORTAL,
    triggered_by: AbstractBaseUser | None = None,
) -> Rebuild:
    """Record a queued rebuild and send it to the worker once this transaction commits."""
    from . import tasks

    rebuild = Rebuild.objects.create(
        scope=RebuildScope.INCREMENTAL if indicator_ids else RebuildScope.FULL,
        indicator_ids=sorted({int(pk) for pk in indicator_ids or []}),
        trigger=trigger,
        triggered_by=triggered_by if triggered_by and triggered_by.is_authenticated else None,
    )
    transaction.on_commit(lambda: tasks.run_rebuild.delay(rebuild.pk))
    return rebuild


#: Set by `rebuilds_deferred()`: approvals then queue no rebuild of their own.
_rebuilds_deferred: ContextVar[bool] = ContextVar("rebuilds_deferred", default=False)


@contextmanager
def rebuilds_deferred() -> Iterator[None]:
    """Approve many uploads without a rebuild per approval (the demo loader); the caller runs
    one full rebuild afterwards."""
    token = _rebuilds_deferred.set(True)
    try:
        yield
    finally:
        _rebuilds_deferred.reset(token)


def queue_incremental_rebuild(indicator_ids: list[int]) -> None:
    """After an approval: queue a rebuild of just these indicators (the uploads service calls it)."""
    if indicator_ids and not _rebuilds_deferred.get():
        queue_rebuild(indicator_ids=indicator_ids, trigger=RebuildTrigger.APPROVAL)


# ---------------------------------------------------------------- the service


def rebuild_dashboards(
    *,
    indicator_ids: Sequence[int] | None = None,
    triggered_by: AbstractBaseUser | None = None,
    rebuild_id: int | None = None,
    trigger: str = RebuildTrigger.COMMAND,
) -> Rebuild:
    """Run a rebuild now (see the module docstring for what it guarantees).

    With `rebuild_id`, runs that queued rebuild (a rebuild that already finished is returned as
    it is, so a task delivered twice does no work twice); otherwise records a new one. Raises
    `RebuildInProgress` when another rebuild runs, and re-raises whatever made it fail after
    recording the failure.
    """
    if rebuild_id is not None:
        rebuild = Rebuild.objects.get(pk=rebuild_id)
        if rebuild.is_done:
            return rebuild
    else:
        rebuild = Rebuild.objects.create(
            scope=RebuildScope.INCREMENTAL if indicator_ids else RebuildScope.FULL,
            indicator_ids=sorted({int(pk) for pk in indicator_ids or []}),
            trigger=trigger,
            triggered_by=triggered_by if triggered_by and triggered_by.is_authenticated else None,
        )
    if not _try_lock():
        raise RebuildInProgress(_("Er loopt al een herberekening; deze wacht tot die klaar is."))
    try:
        _fail_interrupted(exclude=rebuild.pk)
        _prune_unused()
        _start(rebuild)
        started = time.monotonic()
        try:
            _build(rebuild)
        except BaseException as exc:
            _record_failure(rebuild, exc, started)
            raise
        _prune_unused()
    finally:
        _unlock()
    rebuild.refresh_from_db()
    return rebuild


# ---------------------------------------------------------------- one at a time


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _try_lock() -> bool:
    if not _is_postgres():
        # SQLite (the one-process demo) serialises writers itself.
        return not Rebuild.objects.filter(status=RebuildStatus.RUNNING).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unlock() -> None:
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def _fail_interrupted(*, exclude: int) -> None:
    """A rebuild still marked running while we hold the lock was killed: record it failed."""
    Rebuild.objects.filter(status=RebuildStatus.RUNNING).exclude(pk=exclude).update(
        status=RebuildStatus.FAILED,
        finished_at=timezone.now(),
        error=_("Afgebroken: het proces van deze herberekening is gestopt voordat die klaar was."),
    )


def _start(rebuild: Rebuild) -> None:
    rebuild.status = RebuildStatus.RUNNING
    rebuild.started_at = timezone.now()
    rebuild.finished_at = None
    rebuild.error = ""
    rebuild.rows = 0
    rebuild.progress = 0
    rebuild.step = ""
    rebuild.save(
        update_fields=["status", "started_at", "finished_at", "error", "rows", "progress", "step"]
    )


def _record_failure(rebuild: Rebuild, exc: BaseException, started: float) -> None:
    logger.exception("Dashboard rebuild %s failed", rebuild.pk)
    Rebuild.objects.filter(pk=rebuild.pk).update(
        status=RebuildStatus.FAILED,
        finished_at=timezone.now(),
        duration=time.monotonic() - started,
        error=f"{type(exc).__name__}: {exc}"[:2000],
    )


def _report(rebuild: Rebuild, progress: int, step: str) -> None:
    """Progress for the portal's polling: committed at once, outside the build's rows."""
    Rebuild.objects.filter(pk=rebuild.pk).update(progress=progress, step=step)


def _prune_unused() -> None:
    """Delete the rows of failed rebuilds and of rebuilds no pointer uses any more."""
    referenced = set(IndicatorBuild.objects.values_list("rebuild_id", flat=True).distinct())
    last = Rebuild.objects.last_succeeded()
    keep_progress = last.pk if last else None
    candidates = Rebuild.objects.filter(pruned=False).exclude(
        status__in=[RebuildStatus.QUEUED, RebuildStatus.RUNNING]
    )
    for rebuild in candidates:
        if rebuild.pk not in referenced and not _drop_rows(rebuild.pk):
            continue  # readers held the table; the next rebuild tries again
        if rebuild.pk != keep_progress:
            ProgressPoint.objects.filter(rebuild_id=rebuild.pk).delete()
        if rebuild.pk not in referenced and rebuild.pk != keep_progress:
            Rebuild.objects.filter(pk=rebuild.pk).update(pruned=True)


# ---------------------------------------------------------------- where a build's rows live
#
# On PostgreSQL each rebuild writes a table of its own: loaded without indexes, indexed once,
# then attached as the rebuild's partition of SeriesYear (the parent is partitioned by rebuild).
# Loading into an indexed table cost three times the load itself, most of it write-ahead log for
# index pages touched all over; and a build nobody reads any more is dropped as a whole, leaving
# no million dead rows behind. SQLite (the one-machine demo) writes SeriesYear itself.


def _rows_table(rebuild_id: int) -> str:
    if _is_postgres():
        return connection.ops.quote_name(f"{SeriesYear._meta.db_table}_{int(rebuild_id)}")
    return _table(SeriesYear)


def _open_rows(cursor, rebuild_id: int) -> None:
    """Create the rebuild's own table (a leftover of a killed run with this id is replaced)."""
    if _is_postgres():
        table = _rows_table(rebuild_id)
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} (LIKE {_table(SeriesYear)} INCLUDING DEFAULTS)")


def _attach_rows(cursor, rebuild_id: int) -> None:
    """Index the loaded table like SeriesYear and attach it as the rebuild's partition.

    Attaching takes no lock that stops readers; they see the rows once the pointers flip.
    """
    if _is_postgres():
        table = _rows_table(rebuild_id)
        (read_index,) = SeriesYear._meta.indexes  # each partition repeats the parent's index
        columns = ", ".join(SeriesYear._meta.get_field(name).column for name in read_index.fields)
        cursor.execute(f"CREATE INDEX ON {table} ({columns})")
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            f"ALTER TABLE {_table(SeriesYear)} ATTACH PARTITION {table} "
            f"FOR VALUES IN ({int(rebuild_id)})"
        )


def _drop_rows(rebuild_id: int, indicator_ids: Sequence[int] | None = None) -> bool:
    """Delete a build's rows, or only those of some indicators. False when readers held the
    table longer than the lock timeout (PostgreSQL drops a partition under an exclusive lock)."""
    if indicator_ids is not None or not _is_postgres():
        rows = SeriesYear.objects.filter(rebuild_id=rebuild_id)
        if indicator_ids is not None:
            rows = rows.filter(indicator_id__in=indicator_ids)
        rows._raw_delete(rows.db)
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute(f"DROP TABLE IF EXISTS {_rows_table(rebuild_id)}")
    except OperationalError:
        logger.warning("Rows of rebuild %s not dropped yet: the table was in use", rebuild_id)
        return False
    return True


# ---------------------------------------------------------------- the build


def _build(rebuild: Rebuild) -> None:
    started = time.monotonic()
    indicators = list(Indicator.objects.all())
    if rebuild.scope == RebuildScope.INCREMENTAL:
        wanted = set(rebuild.indicator_ids)
        indicators = [i for i in indicators if i.pk in wanted]
    scope_ids = [i.pk for i in indicators]
    dimensioned = [i.pk for i in indicators if i.dimensions]
    full = rebuild.scope == RebuildScope.FULL
    steps = [
        (
            5,
            _("Goedgekeurde cijfers verzamelen"),
            lambda c: _collect_years(c, scope_ids, dimensioned, full=full),
        ),
        (55, _("Totalen over de dimensies"), lambda c: _add_totals(c, dimensioned)),
        (65, _("Maand-, kwartaal- en jaarcijfers"), lambda c: _insert_years(c, rebuild.pk)),
        (85, _("Ketentotalen"), lambda c: _insert_chain(c, rebuild.pk, scope_ids)),
        (95, _("Voortgang van de uitvoering"), lambda c: _insert_progress(rebuild.pk)),
    ]
    rows = 0
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute("SET work_mem = %s", [settings.REBUILD_WORK_MEM])
            # Compiling these wide statements costs seconds and saves nothing on a single pass.
            cursor.execute("SET jit = off")
            # Let the first pass join and sort the cells in parallel workers: its ten million
            # rows through the Gather cost less than the default guess of 0.1 each.
            cursor.execute("SET parallel_tuple_cost = 0.001")
        try:
            for progress, step, run in steps:
                _report(rebuild, progress, step)
                # Each step commits on its own (so progress can be polled); a failing step
                # rolls back to here and leaves the connection usable to record the failure.
                with transaction.atomic():
                    rows += run(cursor) or 0
        finally:
            with transaction.atomic():
                cursor.execute("DROP TABLE IF EXISTS kp_years")
            if _is_postgres():
                cursor.execute("RESET work_mem")
                cursor.execute("RESET jit")
                cursor.execute("RESET parallel_tuple_cost")
    replaced = set(
        IndicatorBuild.objects.filter(indicator_id__in=scope_ids).values_list(
            "rebuild_id", flat=True
        )
    )
    _flip(rebuild, scope_ids, rows, time.monotonic() - started)
    # The rows those indicators no longer point at, in builds other indicators still read (a
    # build nobody reads any more goes whole, in `_prune_unused`).
    still_read = set(IndicatorBuild.objects.values_list("rebuild_id", flat=True).distinct())
    for old in (replaced - {rebuild.pk}) & still_read:
        _drop_rows(old, scope_ids)


@transaction.atomic
def _flip(rebuild: Rebuild, indicator_ids: Iterable[int], rows: int, duration: float) -> None:
    """The switch readers see: all pointers and the status change in this one transaction."""
    for indicator_id in indicator_ids:
        IndicatorBuild.objects.update_or_create(
            indicator_id=indicator_id, defaults={"rebuild_id": rebuild.pk}
        )
    Rebuild.objects.filter(pk=rebuild.pk).update(
        status=RebuildStatus.SUCCEEDED,
        finished_at=timezone.now(),
        duration=duration,
        rows=rows,
        progress=100,
        step="",
    )
    # Close the PDCA loop: every successful rebuild recomputes the signals (issue 5).
    from governance.tasks import compute_signals_task

    transaction.on_commit(compute_signals_task.delay)


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(ids: Sequence[int]) -> str:
    """`IN (%s, …)` for these ids (never empty: an empty scope matches nothing)."""
    return f"IN ({', '.join(['%s'] * max(len(ids), 1))})"


# A year's slots, in the order of `SeriesYear`'s columns. In `kp_years` (the figures as
# delivered) the quarter and year slots hold quarter and year *figures* (f1…f4, fy); in
# `SeriesYear` they hold the quarters and the year *aggregated* from everything finer or equal.
MONTH_COLUMNS = series_year_columns("m", 12)
QUARTER_COLUMNS = series_year_columns("q", 4)
FIGURE_COLUMNS = [*MONTH_COLUMNS, "f1", "f2", "f3", "f4", "fy"]
#: For `last`: a year's slots latest first, ordered like DESIGN.md's rule (the latest period end,
#: then the latest start): December, the fourth quarter's figure, the year's figure, November…
LAST_OF_YEAR = [
    "m12", "f4", "fy", "m11", "m10", "m09", "f3", "m08", "m07", "m06", "f2", "m05", "m04", "m03",
    "f1", "m02", "m01",
]  # fmt: skip
#: Bigger than any upload id: stands in for "no upload" inside LEAST/MIN.
NO_UPLOAD = 9_223_372_036_854_775_807


def _collect_years(cursor, indicator_ids: list[int], dimensioned: list[int], *, full: bool) -> None:
    """kp_years: per series (indicator, organisation, dimension value) and year, its figures.

    One pass over the current approved cells, grouped per series and year. On PostgreSQL the
    figures are gathered as arrays and picked out by slot (one cheap aggregate per group instead
    of seventeen filtered ones per cell); SQLite, for the demo, pivots with FILTER.
    A figure without dimension values cannot belong to an indicator that has dimensions (the
    upload contract requires them); leaving such cells out keeps the "" key the total only.
    """
    scope = "" if full else f"AND c.indicator_id {_in(indicator_ids)}"
    params = [] if full else (list(indicator_ids) or [0])
    if _is_postgres():
        # date_part, not EXTRACT: it returns a float instead of a numeric, a second less here.
        year = "CAST(date_part('year', o.period_start) AS integer)"
        month = "CAST(date_part('month', o.period_start) AS integer)"
        # The pass sorts by series: byte order is enough for grouping, and far cheaper.
        dkey = 'c.dimension_key COLLATE "C"'
    else:
        year = "CAST(strftime('%%Y', o.period_start) AS INTEGER)"
        month = "CAST(strftime('%%m', o.period_start) AS INTEGER)"
        dkey = "c.dimension_key"
    cells = f"""
        SELECT c.indicator_id, c.organisation_id, {dkey} AS dkey, {year} AS year,
               CASE o.period_type WHEN 'month' THEN {month}
                    WHEN 'quarter' THEN 12 + ({month} + 2) / 3 ELSE 17 END AS slot,
               o.value, o.upload_id
        FROM {_table(CurrentCell)} c
        JOIN {_table(Observation)} o ON o.id = c.observation_id
        WHERE NOT (c.dimension_key = '' AND c.indicator_id {_in(dimensioned)}) {scope}
    """  # noqa: S608 (our own identifiers and fragments; values are parameters)
    params = [*(dimensioned or [0]), *params]
    if _is_postgres():
        picks = ", ".join(
            f"v[array_position(s, {n})] AS {column}, u[array_position(s, {n})] AS {column}_upload"
            for n, column in enumerate(FIGURE_COLUMNS, start=1)
        )
        select = f"""
            SELECT indicator_id, organisation_id, dkey, year, {picks}
            FROM (SELECT indicator_id, organisation_id, dkey, year, array_agg(slot) AS s,
                         array_agg(value) AS v, array_agg(upload_id) AS u
                  FROM ({cells}) cells GROUP BY indicator_id, organisation_id, dkey, year) g
        """  # noqa: S608
    else:
        picks = ", ".join(
            f"MAX(value) FILTER (WHERE slot = {n}) AS {column}, "
            f"MIN(upload_id) FILTER (WHERE slot = {n}) AS {column}_upload"
            for n, column in enumerate(FIGURE_COLUMNS, start=1)
        )
        select = f"""
            SELECT indicator_id, organisation_id, dkey, year, {picks}
            FROM ({cells}) cells GROUP BY indicator_id, organisation_id, dkey, year
        """  # noqa: S608
    cursor.execute(f"CREATE TEMP TABLE kp_years AS {select}", params)


def _add_totals(cursor, dimensioned: list[int]) -> None:
    """The totals over the dimension values (key ""): per period the figures summed, so a
    total then aggregates in time like any series (DESIGN.md)."""
    if not dimensioned:
        return
    sums = ", ".join(f"SUM({c}), MIN({c}_upload)" for c in FIGURE_COLUMNS)
    cursor.execute(
        f"""
        INSERT INTO kp_years
        SELECT indicator_id, organisation_id, '', year, {sums}
        FROM kp_years WHERE indicator_id {_in(dimensioned)}
        GROUP BY indicator_id, organisation_id, year
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        dimensioned,
    )


def _least(expressions: list[str]) -> str:
    """The smallest non-null of these (PostgreSQL's LEAST skips nulls, SQLite's MIN does not)."""
    function = "LEAST" if _is_postgres() else "MIN"
    padded = ", ".join(f"COALESCE({e}, {NO_UPLOAD})" for e in expressions)
    return f"NULLIF({function}({padded}), {NO_UPLOAD})"


def _present(column: str, months: int = 1) -> str:
    return f"CASE WHEN {column} IS NULL THEN 0 ELSE {months} END"


def _period_value(months: str, part: str, last: list[str]) -> str:
    """A period's figure from (the months its figures cover, their `part`, the `last` order).

    `part` is the sum of the figures for `sum` and their sum weighted by months for `mean`;
    `last` takes the first present figure of `last` (latest first). Nothing present: null.
    """
    return f"""CASE WHEN {months} = 0 THEN NULL
                    WHEN agg = 'last' THEN COALESCE({", ".join(last)})
                    WHEN agg = 'mean' THEN ROUND(({part}) * 1.0 / ({months}), 4)
                    ELSE {part} END"""


SERIES_YEAR_INSERT_COLUMNS = ", ".join(
    [
        "rebuild_id, indicator_id, organisation_id, dimension_key, year",
        *MONTH_COLUMNS,
        *(f"{c}, {c}_months, {c}_upload" for c in [*QUARTER_COLUMNS, "y"]),
    ]
)


def _insert_years(cursor, rebuild_id: int) -> int:
    """SeriesYear rows: the month figures as they are, quarters and years aggregated from every
    figure finer or equal (a quarter figure counts for its quarter and year, never for months).

    Two steps per row: per quarter the months covered, the (weighted) sum and the earliest
    upload of its figures; then the quarters' and the year's figures from those, so the year
    reuses the quarters' work. Returns the number of figures (a row holds up to seventeen).
    """
    per_quarter, quarters = [], []
    for q in range(1, 5):
        a, b, c = MONTH_COLUMNS[3 * q - 3 : 3 * q]
        figure = f"f{q}"
        months = " + ".join([_present(a), _present(b), _present(c), _present(figure, 3)])
        plain = " + ".join(f"COALESCE({x}, 0)" for x in (a, b, c))
        per_quarter.append(
            f"""{months} AS q{q}_m,
                CASE agg WHEN 'sum' THEN {plain} + COALESCE({figure}, 0)
                         WHEN 'mean' THEN {plain} + 3 * COALESCE({figure}, 0) END AS q{q}_p,
                {_least([f"{x}_upload" for x in (a, b, c, figure)])} AS q{q}_u"""
        )
        quarters.append(
            f"{_period_value(f'q{q}_m', f'q{q}_p', [c, figure, b, a])}, NULLIF(q{q}_m, 0), q{q}_u"
        )
    year_months = f"(q1_m + q2_m + q3_m + q4_m + {_present('fy', 12)})"
    year_part = """q1_p + q2_p + q3_p + q4_p
                    + CASE agg WHEN 'mean' THEN 12 ELSE 1 END * COALESCE(fy, 0)"""
    year = (
        f"{_period_value(year_months, year_part, LAST_OF_YEAR)}, NULLIF({year_months}, 0), "
        f"{_least(['q1_u', 'q2_u', 'q3_u', 'q4_u', 'fy_upload'])}"
    )
    # OFFSET 0 keeps PostgreSQL from folding the inner query into the outer one, which would
    # compute every per-quarter expression again wherever the outer one uses it.
    fence = "OFFSET 0" if _is_postgres() else ""
    _open_rows(cursor, rebuild_id)
    insert = f"""
        INSERT INTO {_rows_table(rebuild_id)} ({SERIES_YEAR_INSERT_COLUMNS})
        SELECT %s, indicator_id, organisation_id, dkey, year, {", ".join(MONTH_COLUMNS)},
               {", ".join(quarters)}, {year}
        FROM (SELECT y.*, i.agg, {", ".join(per_quarter)}
              FROM kp_years y JOIN (SELECT id, aggregation AS agg FROM {_table(Indicator)}) i
                   ON i.id = y.indicator_id
              {fence}) x
    """  # noqa: S608 (our own identifiers and fragments; values are parameters)
    return _insert_figures(cursor, insert, [rebuild_id], rebuild_id=rebuild_id, chain=False)


#: How many figures a SeriesYear row holds (a null is a figure that is not there).
FIGURES_IN_ROW = " + ".join(
    f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in [*MONTH_COLUMNS, *QUARTER_COLUMNS, "y"]
)


def _insert_figures(cursor, insert: str, params: list, *, rebuild_id: int, chain: bool) -> int:
    """Run an INSERT into SeriesYear; return the number of figures it wrote."""
    if _is_postgres():  # counted on the way in, not by reading the rows back
        counted = (
            f"WITH written AS ({insert} RETURNING {FIGURES_IN_ROW} AS n) SELECT SUM(n) FROM written"  # noqa: S608 (our own SQL)
        )
        cursor.execute(counted, params)
    else:
        cursor.execute(insert, params)
        cursor.execute(
            f"""SELECT COALESCE(SUM({FIGURES_IN_ROW}), 0) FROM {_rows_table(rebuild_id)}
                WHERE rebuild_id = %s AND organisation_id IS {"" if chain else "NOT "}NULL""",  # noqa: S608
            [rebuild_id],
        )
    return int(cursor.fetchone()[0] or 0)


def _insert_chain(cursor, rebuild_id: int, indicator_ids: list[int]) -> int:
    """The whole chain (organisation null): the organisations' figures of this build combined.

    Summed (for a stock: the organisations' stocks added up), for a `mean` indicator averaged;
    complete when every organisation's figure is (then `months` is the period's, otherwise the
    fewest, or the most when some cover more than the period). Precomputed so that a chain-wide
    dashboard reads a few hundred rows, not every organisation's.
    """
    selects = []
    for column in MONTH_COLUMNS:
        selects.append(
            f"CASE WHEN i.aggregation = 'mean' THEN ROUND(AVG(s.{column}), 4) "
            f"ELSE SUM(s.{column}) END"
        )
    for column, expected in [*((q, 3) for q in QUARTER_COLUMNS), ("y", 12)]:
        selects.append(
            f"""CASE WHEN i.aggregation = 'mean' THEN ROUND(AVG(s.{column}), 4)
                     ELSE SUM(s.{column}) END,
                CASE WHEN MIN(s.{column}_months) = {expected} AND MAX(s.{column}_months) > {expected}
                     THEN MAX(s.{column}_months) ELSE MIN(s.{column}_months) END,
                MIN(s.{column}_upload)"""
        )
    insert = f"""
        INSERT INTO {_rows_table(rebuild_id)} ({SERIES_YEAR_INSERT_COLUMNS})
        SELECT %s, s.indicator_id, NULL, s.dimension_key, s.year, {", ".join(selects)}
        FROM {_rows_table(rebuild_id)} s JOIN {_table(Indicator)} i ON i.id = s.indicator_id
        WHERE s.rebuild_id = %s AND s.organisation_id IS NOT NULL
          AND s.indicator_id {_in(indicator_ids)}
        GROUP BY s.indicator_id, i.aggregation, s.dimension_key, s.year
        ORDER BY s.indicator_id, s.dimension_key, s.year
    """  # noqa: S608 (our own identifiers and fragments; values are parameters)
    params = [rebuild_id, rebuild_id, *(indicator_ids or [0])]
    figures = _insert_figures(cursor, insert, params, rebuild_id=rebuild_id, chain=True)
    _attach_rows(cursor, rebuild_id)
    return figures


# ---------------------------------------------------------------- implementation progress


def _insert_progress(rebuild_id: int) -> int:
    """Burn-up per day for the chain and per theme, perspective and organisation.

    Milestones number in the hundreds, so their membership of groups is gathered in Python;
    `total` counts the group's milestones that are not cancelled, `due` those due by that day,
    `done` those completed by that day (a done milestone without a date counts from its due date).
    """
    from actions.models import Action, Milestone, MilestoneStatus
    from governance.models import ActionPerspective

    milestones = list(
        Milestone.objects.exclude(status=MilestoneStatus.CANCELLED).values_list(
            "id", "action_id", "action__owner_id", "due_date", "status", "completed_on"
        )
    )
    if not milestones:
        return 0
    perspectives_of_action: dict[int, set[int]] = defaultdict(set)
    for action_id, perspective_id in Action.recommendations.through.objects.values_list(
        "action_id", "recommendation__perspective_id"
    ):
        perspectives_of_action[action_id].add(perspective_id)
    themes_of_perspective: dict[int, set[int]] = defaultdict(set)
    for perspective_id, theme_id in ActionPerspective.themes.through.objects.values_list(
        "actionperspective_id", "theme_id"
    ):
        themes_of_perspective[perspective_id].add(theme_id)

    # group → list of (due day, done day or None)
    groups: dict[tuple[str, int], list[tuple[datetime.date, datetime.date | None]]] = defaultdict(
        list
    )
    for _id, action_id, owner_id, due, status, completed in milestones:
        done = (completed or due) if status == MilestoneStatus.DONE else None
        perspectives = perspectives_of_action.get(action_id, set())
        themes = (
            set().union(*(themes_of_perspective[p] for p in perspectives))
            if perspectives
            else set()
        )
        keys = [(ProgressKind.CHAIN, 0), (ProgressKind.ORGANISATION, owner_id)]
        keys += [(ProgressKind.PERSPECTIVE, p) for p in perspectives]
        keys += [(ProgressKind.THEME, t) for t in themes]
        for key in keys:
            groups[key].append((due, done))

    dates = [d for _i, _a, _o, due, _s, completed in milestones for d in (due, completed) if d]
    first = min(dates)
    last = max([*dates, timezone.localdate()])
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    points = []
    for (kind, group_id), items in sorted(groups.items()):
        due_per_day: dict[datetime.date, int] = defaultdict(int)
        done_per_day: dict[datetime.date, int] = defaultdict(int)
        for due, done in items:
            due_per_day[due] += 1
            if done:
                done_per_day[done] += 1
        due_total = done_total = 0
        for day in days:
            due_total += due_per_day.get(day, 0)
            done_total += done_per_day.get(day, 0)
            points.append(
                ProgressPoint(
                    rebuild_id=rebuild_id,
                    kind=kind,
                    group_id=group_id,
                    day=day,
                    total=len(items),
                    due=due_total,
                    done=done_total,
                )
            )
    ProgressPoint.objects.bulk_create(points, batch_size=5000)
    return len(points)
