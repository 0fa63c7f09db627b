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
- Incremental: with `indicator_ids` only those indicators are recomputed (into a partition of
  the rebuild's own) and re-pointed; the other indicators keep pointing at the rows of earlier
  builds (nothing is copied). With `upload_ids` (after an approval) only the series-years the
  uploads' cells lie in are recomputed (indicator × organisation × dimension values × year), with
  the subtotals and chain rows above them, and patched into the partition the indicator's rows
  live in: the new rows carry the rebuild's version in `written_by`, the rows they replace get it
  in `replaced_by`, and readers, who follow the version of their pointer, see the change when the
  pointers flip and not before. The figures are identical to a full rebuild's.

Storage: one `SeriesYear` row per series (indicator, organisation, dimension value) and year holds
its twelve months, four quarters and the year; the `SeriesPoint` view unfolds it for readers. A
row per figure made a full rebuild of ten million cells write sixteen million rows, eight times
the bare GROUP BY (bench/dashboards.py). On PostgreSQL each rebuild loads a partition of its own
(`storage`); the statements are in `sql`, the burn-up in `progress`.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.models import (
    Aggregation,
    Indicator,
    IndicatorBuild,
    Observation,
    ProgressPoint,
    Rebuild,
    RebuildScope,
    RebuildStatus,
    RebuildTrigger,
)
from ketenportaal.tasks import send_on_commit

from . import digests, patching, retention, sql
from .progress import insert_progress
from .storage import drop_rows, is_postgres

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: Key of the PostgreSQL advisory lock that lets one rebuild run at a time ("KPREBLD").
ADVISORY_LOCK_KEY = 0x4B50_5245_424C_44
#: The signals are recomputed after every successful rebuild (a package above this one).
COMPUTE_SIGNALS_TASK = "governance.steering.tasks.compute_signals_task"
#: ... and what small-number suppression hides in the builds it made (`hidden`).
WORK_OUT_HIDDEN_TASK = "dashboards.rebuild.tasks.work_out_hidden"
#: How long the rows a patch replaced stay for pages that read the pointers before it flipped.
REPLACED_KEPT_SECONDS = 60


class RebuildInProgress(Exception):
    """Another rebuild holds the lock; this one has not started (it stays queued)."""


# ---------------------------------------------------------------- the service


def rebuild_dashboards(
    *,
    indicator_ids: Sequence[int] | None = None,
    upload_ids: Sequence[int] | None = None,
    triggered_by: User | None = None,
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
        rebuild = Rebuild.objects.record(
            indicator_ids=indicator_ids,
            upload_ids=upload_ids,
            trigger=trigger,
            triggered_by=triggered_by,
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


def _try_lock() -> bool:
    if not is_postgres():
        # SQLite (the one-process demo) serialises writers itself.
        return not Rebuild.objects.filter(status=RebuildStatus.RUNNING).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unlock() -> None:
    if is_postgres():
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
    """Claim the rebuild (a conditional UPDATE, which waits for a request merging another into
    this queued one) and read what it covers only then, so nothing merged is lost. Its version
    comes after every rebuild's that ran before (we hold the lock)."""
    latest = Rebuild.objects.aggregate(latest=Max("version"))["latest"] or 0
    Rebuild.objects.filter(
        pk=rebuild.pk, status__in=[RebuildStatus.QUEUED, RebuildStatus.RUNNING]
    ).update(
        status=RebuildStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        error="",
        rows=0,
        progress=0,
        step="",
        version=latest + 1,
    )
    rebuild.refresh_from_db()


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
    """Delete the rows of failed rebuilds (and take back what they patched), the rows patches
    replaced a while ago, and the builds no pointer uses any more."""
    referenced = retention.still_read()
    last = Rebuild.objects.last_succeeded()
    keep_progress = last.pk if last else None
    candidates = Rebuild.objects.filter(pruned=False).exclude(
        status__in=[RebuildStatus.QUEUED, RebuildStatus.RUNNING]
    )
    for rebuild in candidates:
        if rebuild.status == RebuildStatus.FAILED and rebuild.version is not None:
            with transaction.atomic(), connection.cursor() as cursor:
                patching.undo_patches(cursor, rebuild.pk, rebuild.version)
        if rebuild.pk not in referenced and not drop_rows(rebuild.pk):
            continue  # readers held the table; the next rebuild tries again
        if rebuild.pk != keep_progress:
            ProgressPoint.objects.filter(rebuild_id=rebuild.pk).delete()
        if rebuild.pk not in referenced and rebuild.pk != keep_progress:
            Rebuild.objects.filter(pk=rebuild.pk).update(pruned=True)
    # A page that read the pointers just before a flip may still read the rows they replaced;
    # a minute later nobody does.
    settled = Rebuild.objects.succeeded().filter(
        finished_at__lt=timezone.now() - datetime.timedelta(seconds=REPLACED_KEPT_SECONDS)
    )
    up_to = settled.aggregate(latest=Max("version"))["latest"]
    if up_to:
        with transaction.atomic(), connection.cursor() as cursor:
            retention.delete_replaced(cursor, up_to)


# ---------------------------------------------------------------- the build


def _build(rebuild: Rebuild) -> None:
    started = time.monotonic()
    version = rebuild.version or 0
    indicators = list(Indicator.objects.all())
    before = {
        i: (i, base, v or 0)
        for i, base, v in IndicatorBuild.objects.values_list(
            "indicator_id", "base_id", "rebuild__version"
        )
    }
    bases = {i: pointer[1] for i, pointer in before.items()}
    if rebuild.scope == RebuildScope.FULL:
        fresh, patched = indicators, {}
    else:
        whole = set(rebuild.indicator_ids)
        approved = set(
            Observation.objects.filter(upload_id__in=rebuild.upload_ids)
            .values_list("indicator_id", flat=True)
            .distinct()
            .order_by()
        )
        # An indicator never built yet is built whole, like one asked for by name.
        fresh = [i for i in indicators if i.pk in whole or (i.pk in approved and i.pk not in bases)]
        patched = {pk: bases[pk] for pk in approved - whole if pk in bases}
    fresh_ids = [i.pk for i in fresh]
    # The hashes of the rows this rebuild writes and replaces, per indicator (`digests`).
    written: digests.Sums | None = {} if digests.enabled() else None
    replaced_sums: digests.Sums = {}
    dimensioned = [i.pk for i in indicators if i.dimensions]
    averaged = [i.pk for i in indicators if i.dimensions and i.aggregation == Aggregation.MEAN]
    mean = [i.pk for i in indicators if i.aggregation == Aggregation.MEAN]
    steps: list[tuple[int, str, Callable]] = []
    if fresh:
        full = rebuild.scope == RebuildScope.FULL
        steps += [
            (5, _("Goedgekeurde cijfers verzamelen"), lambda c: sql.collect_years(c, fresh_ids, dimensioned, full=full)),
            (45, _("Subtotalen over de dimensies"), lambda c: sql.add_subtotals(c, dimensioned, averaged)),
            (60, _("Maand-, kwartaal- en jaarcijfers"), lambda c: sql.insert_years(c, rebuild.pk, version, sums=written)),
            (80, _("Ketentotalen"), lambda c: sql.insert_chain(c, rebuild.pk, version, fresh_ids, mean, sums=written)),
        ]  # fmt: skip
    if patched:
        patched_ids = sorted(patched)

        def gather(cursor) -> None:
            cursor.execute("DROP TABLE IF EXISTS kp_years")  # the whole indicators' are done
            patching.touched_groups(cursor, rebuild.upload_ids, patched)
            sql.collect_years(cursor, patched_ids, dimensioned, full=False, groups=True)

        def subtotals(cursor) -> None:
            sql.add_subtotals(cursor, dimensioned, averaged)
            patching.keep_affected(cursor)

        by_base: dict[int, list[int]] = {}
        for indicator_id, base in sorted(patched.items()):
            by_base.setdefault(base, []).append(indicator_id)

        def chain(cursor) -> int:
            figures = 0
            for base, ids in by_base.items():
                patching.replace_organisation_rows(cursor, version, base, ids)
                figures += patching.patch_chain(cursor, version, base, ids, sums=written)
                replaced_sums.update(digests.replaced(cursor, base, version, ids))
            return figures

        steps += [
            (86, _("Geraakte reeksen na de goedkeuring verzamelen"), gather),
            (89, _("Subtotalen over de dimensies"), subtotals),
            (91, _("Maand-, kwartaal- en jaarcijfers"), lambda c: sql.insert_years(c, rebuild.pk, version, patch=True, sums=written)),
            (93, _("Ketentotalen"), chain),
        ]  # fmt: skip
    steps.append((95, _("Voortgang van de uitvoering"), lambda c: insert_progress(rebuild.pk)))
    rows = 0
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("SET work_mem = %s", [settings.REBUILD_WORK_MEM])
            # Compiling these wide statements costs seconds and saves nothing on a single pass.
            cursor.execute("SET jit = off")
            # Let the first pass join and sort the cells in parallel workers: its ten million
            # rows through the Gather cost less than the default guess of 0.1 each.
            cursor.execute("SET parallel_tuple_cost = 0.001")
            # Each step commits (for the progress bar): without waiting for its flush to disk.
            # A crash may lose the last steps, so the rebuild is recorded failed and done again;
            # what readers see is never half of one (the pointers flip in one transaction).
            cursor.execute("SET synchronous_commit = off")
        try:
            for progress, step, run in steps:
                _report(rebuild, progress, step)
                # Each step commits on its own (so progress can be polled); a failing step
                # rolls back to here and leaves the connection usable to record the failure.
                began = time.monotonic()
                with transaction.atomic():
                    rows += run(cursor) or 0
                logger.info(
                    "Rebuild %s step %r took %.2f s", rebuild.pk, step, time.monotonic() - began
                )
        finally:
            with transaction.atomic():
                for table in TEMPORARY_TABLES:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
            if is_postgres():
                cursor.execute("RESET work_mem")
                cursor.execute("RESET jit")
                cursor.execute("RESET parallel_tuple_cost")
                cursor.execute("RESET synchronous_commit")
    replaced = {bases[pk] for pk in fresh_ids if pk in bases}
    new_digests = digests.of_pointers(fresh_ids, sorted(patched), written, replaced_sums)
    _flip(rebuild, fresh_ids, sorted(patched), rows, time.monotonic() - started, new_digests)
    send_on_commit(
        WORK_OUT_HIDDEN_TASK,
        pointers=[[pk, rebuild.pk, version] for pk in fresh_ids]
        + [[pk, base, version] for pk, base in sorted(patched.items())],
        previous={str(pk): list(before[pk]) for pk in patched},
        upload_ids=list(rebuild.upload_ids or []) if patched else [],
    )
    # Releases that read the same figures in the old builds move onto this one.
    retention.share_rebuilt(
        rebuild, {pk: bases[pk] for pk in fresh_ids if pk in bases and bases[pk] != rebuild.pk}
    )
    # The rows those indicators no longer point at, in builds other indicators or a release
    # still read (a build nobody reads any more goes whole, in `_prune_unused`).
    still_read = retention.still_read()
    held = retention.held_indicators()
    for old in (replaced - {rebuild.pk}) & still_read:
        unneeded = [pk for pk in fresh_ids if (old, pk) not in held]
        if unneeded:
            drop_rows(old, unneeded)


#: The temporary tables of a rebuild's statements (`sql`), dropped when it ends.
TEMPORARY_TABLES = [
    "kp_years", "kp_keys", "kp_bases", "kp_touched", "kp_groups", "kp_subkeys", "kp_affected",
    "kp_chain", "kp_chain_rows",
]  # fmt: skip


@transaction.atomic
def _flip(
    rebuild: Rebuild,
    fresh: Iterable[int],
    patched: Iterable[int],
    rows: int,
    duration: float,
    digests_of: dict[int, Decimal | None],
) -> None:
    """The switch readers see: all pointers and the status change in this one transaction."""
    for indicator_id in fresh:
        IndicatorBuild.objects.update_or_create(
            indicator_id=indicator_id,
            defaults={
                "rebuild_id": rebuild.pk,
                "base_id": rebuild.pk,
                "digest": digests_of.get(indicator_id),
            },
        )
    patched = list(patched)
    for indicator_id in patched:
        IndicatorBuild.objects.filter(indicator_id=indicator_id).update(
            rebuild_id=rebuild.pk, digest=digests_of.get(indicator_id)
        )
    Rebuild.objects.filter(pk=rebuild.pk).update(
        status=RebuildStatus.SUCCEEDED,
        finished_at=timezone.now(),
        duration=duration,
        rows=rows,
        progress=100,
        step="",
    )
    # Close the PDCA loop: every successful rebuild recomputes the signals (issue 5), of the
    # indicators it changed (all of them after a full rebuild).
    if rebuild.scope == RebuildScope.FULL:
        send_on_commit(COMPUTE_SIGNALS_TASK)
    else:
        send_on_commit(COMPUTE_SIGNALS_TASK, indicator_ids=sorted({*fresh, *patched}))
