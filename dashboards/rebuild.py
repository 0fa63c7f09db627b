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
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CurrentCell,
    Frequency,
    Indicator,
    IndicatorBuild,
    Observation,
    ProgressKind,
    ProgressPoint,
    Rebuild,
    RebuildScope,
    RebuildStatus,
    RebuildTrigger,
    SeriesPoint,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

#: Key of the PostgreSQL advisory lock that lets one rebuild run at a time ("KPREBLD").
ADVISORY_LOCK_KEY = 0x4B50_5245_424C_44
MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}
FINER_OR_EQUAL = {
    Frequency.MONTH: ("month",),
    Frequency.QUARTER: ("month", "quarter"),
    Frequency.YEAR: ("month", "quarter", "year"),
}


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
        if rebuild.pk not in referenced:
            _delete_rows(SeriesPoint, rebuild)
        if rebuild.pk != keep_progress:
            ProgressPoint.objects.filter(rebuild_id=rebuild.pk).delete()
        if rebuild.pk not in referenced and rebuild.pk != keep_progress:
            Rebuild.objects.filter(pk=rebuild.pk).update(pruned=True)


def _delete_rows(model: type[SeriesPoint], rebuild: Rebuild) -> None:
    rows = model.objects.filter(rebuild_id=rebuild.pk)
    if rebuild.scope == RebuildScope.INCREMENTAL and rebuild.indicator_ids:
        # Lets PostgreSQL use the (indicator, rebuild, …) index instead of scanning everything.
        rows = rows.filter(indicator_id__in=rebuild.indicator_ids)
    rows._raw_delete(rows.db)


# ---------------------------------------------------------------- the build


def _build(rebuild: Rebuild) -> None:
    started = time.monotonic()
    indicators = list(Indicator.objects.all())
    if rebuild.scope == RebuildScope.INCREMENTAL:
        wanted = set(rebuild.indicator_ids)
        indicators = [i for i in indicators if i.pk in wanted]
    scope_ids = [i.pk for i in indicators]
    full = rebuild.scope == RebuildScope.FULL
    steps = [
        (
            5,
            _("Goedgekeurde cijfers verzamelen"),
            lambda c: _collect_cells(c, indicators, full=full),
        ),
        (20, _("Maandcijfers"), lambda c: _insert_month(c, rebuild.pk)),
        (35, _("Kwartaalcijfers"), lambda c: _insert_aggregated(c, rebuild.pk, Frequency.QUARTER)),
        (50, _("Jaarcijfers"), lambda c: _insert_aggregated(c, rebuild.pk, Frequency.YEAR)),
        (
            60,
            _("Ketentotalen per maand"),
            lambda c: _insert_chain(c, rebuild.pk, Frequency.MONTH, scope_ids),
        ),
        (
            75,
            _("Ketentotalen per kwartaal"),
            lambda c: _insert_chain(c, rebuild.pk, Frequency.QUARTER, scope_ids),
        ),
        (
            85,
            _("Ketentotalen per jaar"),
            lambda c: _insert_chain(c, rebuild.pk, Frequency.YEAR, scope_ids),
        ),
        (95, _("Voortgang van de uitvoering"), lambda c: _insert_progress(rebuild.pk)),
    ]
    rows = 0
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute("SET work_mem = %s", [settings.REBUILD_WORK_MEM])
        try:
            for progress, step, run in steps:
                _report(rebuild, progress, step)
                # Each step commits on its own (so progress can be polled); a failing step
                # rolls back to here and leaves the connection usable to record the failure.
                with transaction.atomic():
                    rows += run(cursor) or 0
        finally:
            with transaction.atomic():
                cursor.execute("DROP TABLE IF EXISTS kp_cells")
            if _is_postgres():
                cursor.execute("RESET work_mem")
    replaced = set(
        IndicatorBuild.objects.filter(indicator_id__in=scope_ids).values_list(
            "rebuild_id", flat=True
        )
    )
    _flip(rebuild, scope_ids, rows, time.monotonic() - started)
    # The rows those indicators no longer point at; the index on (indicator, rebuild) finds them.
    for old in replaced - {rebuild.pk}:
        rows_of_old = SeriesPoint.objects.filter(indicator_id__in=scope_ids, rebuild_id=old)
        rows_of_old._raw_delete(rows_of_old.db)


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


def _collect_cells(cursor, indicators: list[Indicator], *, full: bool) -> None:
    """kp_cells: the current approved cells in scope, plus per period the totals over dimensions."""
    ids = [i.pk for i in indicators] or [0]
    dimensioned = [i.pk for i in indicators if i.dimensions] or [0]
    scope = "" if full else f"AND c.indicator_id IN ({', '.join(['%s'] * len(ids))})"
    params: list = [] if full else list(ids)
    months = "CASE o.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END"
    # A figure without dimension values cannot belong to an indicator that has dimensions (the
    # upload contract requires them); leaving such cells out keeps the "" key the total only.
    cursor.execute(
        f"""
        CREATE TEMP TABLE kp_cells AS
        SELECT c.indicator_id, c.organisation_id, c.dimension_key AS dkey, o.period_type,
               o.period_start, o.period_end, {months} AS months, o.value, i.aggregation AS agg,
               o.upload_id AS first_upload
        FROM {_table(CurrentCell)} c
        JOIN {_table(Observation)} o ON o.id = c.observation_id
        JOIN {_table(Indicator)} i ON i.id = c.indicator_id
        WHERE NOT (c.dimension_key = '' AND c.indicator_id IN ({", ".join(["%s"] * len(dimensioned))}))
        {scope}
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        [*dimensioned, *params],
    )
    cursor.execute(
        f"""
        INSERT INTO kp_cells
        SELECT indicator_id, organisation_id, '', period_type, period_start, MAX(period_end),
               MAX(months), SUM(value), MAX(agg), MIN(first_upload)
        FROM kp_cells
        WHERE indicator_id IN ({", ".join(["%s"] * len(dimensioned))})
        GROUP BY indicator_id, organisation_id, period_type, period_start
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        dimensioned,
    )
    if _is_postgres():
        cursor.execute("ANALYZE kp_cells")


def _period_sql(frequency: str, column: str) -> tuple[str, str]:
    """(start of the enclosing period, its canonical label) as SQL for this database."""
    if _is_postgres():
        start = f"CAST(date_trunc('{frequency}', {column}) AS date)"
        label = {
            Frequency.MONTH: f"to_char({column}, 'YYYY-MM')",
            Frequency.QUARTER: f"to_char({column}, 'YYYY') || '-Q' || to_char({column}, 'Q')",
            Frequency.YEAR: f"to_char({column}, 'YYYY')",
        }[frequency]
        return start, label
    month = f"CAST(strftime('%%m', {column}) AS INTEGER)"
    start = {
        Frequency.MONTH: f"date({column}, 'start of month')",
        Frequency.QUARTER: f"date({column}, 'start of month', printf('-%%d months', ({month} - 1) %% 3))",
        Frequency.YEAR: f"date({column}, 'start of year')",
    }[frequency]
    label = {
        Frequency.MONTH: f"strftime('%%Y-%%m', {column})",
        Frequency.QUARTER: f"strftime('%%Y', {column}) || '-Q' || (({month} + 2) / 3)",
        Frequency.YEAR: f"strftime('%%Y', {column})",
    }[frequency]
    return start, label


# Every INSERT below is ordered like the read index (indicator, rebuild, frequency, organisation,
# dimension, period): rows then land on neighbouring index pages instead of all over the index.
INSERT_COLUMNS = (
    "rebuild_id, indicator_id, organisation_id, frequency, period, period_start, dimension_key, "
    "value, months, complete, first_upload_id"
)


def _insert_month(cursor, rebuild_id: int) -> int:
    """Month figures are the monthly cells themselves: nothing finer can be aggregated."""
    _, label = _period_sql(Frequency.MONTH, "period_start")
    cursor.execute(
        f"""
        INSERT INTO {_table(SeriesPoint)} ({INSERT_COLUMNS})
        SELECT %s, indicator_id, organisation_id, 'month', {label}, period_start, dkey,
               value, 1, %s, first_upload
        FROM kp_cells WHERE period_type = 'month'
        ORDER BY indicator_id, organisation_id, dkey, period_start
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        [rebuild_id, True],
    )
    return max(cursor.rowcount, 0)


def _insert_aggregated(cursor, rebuild_id: int, frequency: str) -> int:
    start, _unused = _period_sql(frequency, "period_start")
    _s, label = _period_sql(frequency, "t.tstart")
    types = ", ".join(f"'{t}'" for t in FINER_OR_EQUAL[frequency])
    expected = MONTHS[frequency]
    cursor.execute(
        f"""
        INSERT INTO {_table(SeriesPoint)} ({INSERT_COLUMNS})
        SELECT %s, t.indicator_id, t.organisation_id, %s, {label}, t.tstart, t.dkey,
               CASE WHEN t.agg = 'mean' THEN ROUND(SUM(t.value * t.months) * 1.0 / SUM(t.months), 4)
                    ELSE SUM(t.value) END,
               SUM(t.months), SUM(t.months) = %s, MIN(t.first_upload)
        FROM (SELECT kp_cells.*, {start} AS tstart FROM kp_cells
              WHERE period_type IN ({types}) AND agg IN ('sum', 'mean')) t
        GROUP BY t.indicator_id, t.organisation_id, t.dkey, t.tstart, t.agg
        ORDER BY t.indicator_id, t.organisation_id, t.dkey, t.tstart
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        [rebuild_id, frequency, expected],
    )
    rows = max(cursor.rowcount, 0)
    # `last`: the figure of the latest period present; ties (none under the upload contract)
    # go to the finer period, so the result is deterministic.
    cursor.execute(
        f"""
        INSERT INTO {_table(SeriesPoint)} ({INSERT_COLUMNS})
        SELECT %s, t.indicator_id, t.organisation_id, %s, {label}, t.tstart, t.dkey,
               t.value, t.covered, t.covered = %s, t.first_of_period
        FROM (
            SELECT indicator_id, organisation_id, dkey, value, tstart,
                   ROW_NUMBER() OVER (PARTITION BY indicator_id, organisation_id, dkey, tstart
                                      ORDER BY period_end DESC, period_start DESC) AS rn,
                   SUM(months) OVER (PARTITION BY indicator_id, organisation_id, dkey, tstart) AS covered,
                   MIN(first_upload) OVER (PARTITION BY indicator_id, organisation_id, dkey, tstart) AS first_of_period
            FROM (SELECT kp_cells.*, {start} AS tstart FROM kp_cells
                  WHERE period_type IN ({types}) AND agg = 'last') c
        ) t
        WHERE t.rn = 1
        ORDER BY t.indicator_id, t.organisation_id, t.dkey, t.tstart
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        [rebuild_id, frequency, expected],
    )
    return rows + max(cursor.rowcount, 0)


def _insert_chain(cursor, rebuild_id: int, frequency: str, indicator_ids: list[int]) -> int:
    """The whole chain (organisation null): the organisations' figures of this build combined.

    Summed (for a stock: the organisations' stocks added up), for a `mean` indicator averaged;
    complete when every organisation's figure is. Precomputed so that a chain-wide dashboard
    reads a few thousand rows, not every organisation's.
    """
    indicator_ids = indicator_ids or [0]
    cursor.execute(
        f"""
        INSERT INTO {_table(SeriesPoint)} ({INSERT_COLUMNS})
        SELECT %s, p.indicator_id, NULL, p.frequency, p.period, p.period_start, p.dimension_key,
               CASE WHEN i.aggregation = 'mean' THEN ROUND(AVG(p.value), 4) ELSE SUM(p.value) END,
               MIN(p.months), MIN(CASE WHEN p.complete THEN 1 ELSE 0 END) = 1, MIN(p.first_upload_id)
        FROM {_table(SeriesPoint)} p JOIN {_table(Indicator)} i ON i.id = p.indicator_id
        WHERE p.rebuild_id = %s AND p.frequency = %s AND p.organisation_id IS NOT NULL
          AND p.indicator_id IN ({", ".join(["%s"] * len(indicator_ids))})
        GROUP BY p.indicator_id, i.aggregation, p.frequency, p.period, p.period_start, p.dimension_key
        ORDER BY p.indicator_id, p.dimension_key, p.period_start
        """,  # noqa: S608 (our own identifiers and fragments; values are parameters)
        [rebuild_id, rebuild_id, frequency, *indicator_ids],
    )
    return max(cursor.rowcount, 0)


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
