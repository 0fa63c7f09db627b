"""What small-number suppression hides in a build, worked out once per pointer and year, and kept.

The rule (`dashboards.suppression.rule`) judges one year of one indicator as a whole: every
organisation, the chain, every dimension key and frequency of that year. What it hides depends
only on the rows a pointer names (indicator, base build, version) and on the threshold, so it is
worked out once per pointer and year and kept in the cache, where every reader finds it:

- after every successful rebuild a task works it out for the pointers that rebuild made
  (`work_out_after`), so no page waits for it; after a patch only the years its approved cells
  lie in are worked out again, every other year is the previous version's, carried over (a patch
  changes no row of another year);
- a reader that finds it missing (before that task ran, for a release's older pointer, or after
  the cache lost it) works it out itself (`hidden`), so a figure is never shown unsuppressed.

Kept per pointer, year and organisation (the chain is one of them): a marker per pointer and
year names the organisations with hidden figures, and an entry per such organisation holds them,
so a chain page reads the chain's hidden figures, not those of a hundred organisations.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear

from dashboards.models import Indicator, Observation, SeriesPoint, SeriesYear
from dashboards.suppression import rule

from .storage import is_postgres, rows_named_by

if TYPE_CHECKING:
    from .series import Figure, Pointer

logger = logging.getLogger(__name__)

#: A pointer's hidden figures in one year: organisation id (None: the chain) → the figures.
YearMask = dict[int | None, frozenset[tuple[str, str, str]]]


def hidden(
    pointers: list[Pointer],
    aggregations: Mapping[int, str],
    years: Iterable[int],
    organisation_ids: set[int | None] | None = None,
) -> set[Figure]:
    """The figures the rule hides in these pointers' rows in `years`, of these organisations
    (None: all of them): from the cache, whatever is missing worked out now and kept."""
    years = sorted(set(years))
    markers = cache.get_many([_marker(p, y) for p in pointers for y in years])
    wanted: dict[str, tuple[Pointer, int, int | None]] = {}
    missing: list[Pointer] = []
    for pointer in pointers:
        keys = [_marker(pointer, y) for y in years]
        if any(key not in markers for key in keys):
            missing.append(pointer)
            continue
        for year, key in zip(years, keys, strict=True):
            for org in markers[key]:
                if organisation_ids is None or org in organisation_ids:
                    wanted[_entry(pointer, year, org)] = (pointer, year, org)
    entries = cache.get_many(list(wanted))
    found: set[Figure] = set()
    for key, (pointer, _year, org) in wanted.items():
        figures = entries.get(key)
        if figures is None:  # evicted on its own: the pointer is worked out again
            missing.append(pointer)
            continue
        found |= _figures(pointer[0], org, figures)
    if missing:
        missing = sorted(set(missing))
        worked_out = work_out(missing, aggregations, years)
        for (pointer, _year), mask in worked_out.items():
            if pointer in missing:
                for org, figures in mask.items():
                    if organisation_ids is None or org in organisation_ids:
                        found |= _figures(pointer[0], org, figures)
    return found


def work_out(
    pointers: list[Pointer], aggregations: Mapping[int, str], years: Iterable[int]
) -> dict[tuple[Pointer, int], YearMask]:
    """Apply the rule to these pointers' rows in `years` (one read) and keep what it hides."""
    years = sorted(set(years))
    if not pointers or not years:
        return {}
    frame = _frame(_rows_of(pointers, years[0], years[-1]))
    masks: dict[tuple[Pointer, int], YearMask] = {(p, y): {} for p in pointers for y in years}
    if not frame.empty:
        ids = {p[0] for p in pointers}
        flags = rule.suppress(frame, aggregations={i: aggregations[i] for i in ids})
        hidden_rows = frame[flags.to_numpy()]
        by_indicator = {p[0]: p for p in pointers}
        grouped: dict[tuple[Pointer, int, int | None], set[tuple[str, str, str]]] = {}
        for i, o, f, k, p, start in zip(
            hidden_rows["indicator_id"], hidden_rows["organisation_id"], hidden_rows["frequency"],
            hidden_rows["dimension_key"], hidden_rows["period"], hidden_rows["period_start"],
            strict=True,
        ):  # fmt: skip
            org = None if o != o or o is None else int(o)
            grouped.setdefault((by_indicator[int(i)], _year_of(start), org), set()).add((f, k, p))
        for (pointer, year, org), figures in grouped.items():
            masks.setdefault((pointer, year), {})[org] = frozenset(figures)
    keep(masks)
    return masks


def keep(masks: Mapping[tuple[Pointer, int], YearMask]) -> None:
    """Store worked-out years: each entry before the marker that names it."""
    timeout = settings.SUPPRESSION_CACHE_SECONDS
    cache.set_many(
        {
            _entry(pointer, year, org): figures
            for (pointer, year), mask in masks.items()
            for org, figures in mask.items()
        },
        timeout,
    )
    cache.set_many(
        {_marker(pointer, year): frozenset(mask) for (pointer, year), mask in masks.items()},
        timeout,
    )


def work_out_after(
    pointers: list[Pointer],
    *,
    previous: Mapping[int, Pointer] | None = None,
    touched: Mapping[int, Iterable[int]] | None = None,
) -> int:
    """After a rebuild: work out what the rule hides in the pointers it made, for every year
    their rows cover. An indicator in `previous` (its pointer before a patch) keeps the years
    the patch did not touch (`touched`: indicator id → years): carried over, not worked out.
    Returns the number of pointer-years worked out."""
    previous, touched = previous or {}, touched or {}
    concerned = {
        i.pk: i
        for i in Indicator.objects.filter(pk__in=[p[0] for p in pointers])
        if rule.applies_to(i)
    }
    if not concerned or rule.threshold() <= 1:
        return 0
    pointers = [p for p in pointers if p[0] in concerned]
    aggregations = {pk: i.aggregation for pk, i in concerned.items()}
    years_of = _years(pointers)
    to_work_out: dict[int, list[Pointer]] = {}
    for pointer in pointers:
        old = previous.get(pointer[0])
        changed = set(touched.get(pointer[0], ())) if old is not None else None
        for year in years_of.get(pointer, []):
            if changed is not None and year not in changed and _carry(old, pointer, year):
                continue
            to_work_out.setdefault(year, []).append(pointer)
    # A year at a time: a frame of one year of every indicator, not of all of them.
    for year, year_pointers in sorted(to_work_out.items()):
        work_out(year_pointers, aggregations, [year])
    return sum(len(ps) for ps in to_work_out.values())


def touched_years(upload_ids: list[int]) -> dict[int, set[int]]:
    """indicator id → the years the cells of these uploads lie in (one query)."""
    found: dict[int, set[int]] = {}
    rows = (
        Observation.objects.filter(upload_id__in=upload_ids)
        .values_list("indicator_id", ExtractYear("period_start"))
        .distinct()
        .order_by()
    )
    for indicator_id, year in rows:
        found.setdefault(indicator_id, set()).add(int(year))
    return found


def _carry(old: Pointer | None, new: Pointer, year: int) -> bool:
    """Copy the old pointer's year to the new one; False when the cache no longer has it."""
    if old is None:
        return False
    orgs = cache.get(_marker(old, year))
    if orgs is None:
        return False
    entries = cache.get_many([_entry(old, year, org) for org in orgs])
    if len(entries) != len(orgs):
        return False
    keep({(new, year): {org: entries[_entry(old, year, org)] for org in orgs}})
    return True


def _years(pointers: list[Pointer]) -> dict[Pointer, list[int]]:
    """The years each pointer's rows cover (one query over the builds' chain rows)."""
    rows = (
        SeriesYear.objects.filter(rows_named_by(pointers), organisation__isnull=True)
        .values_list("indicator_id", "rebuild_id", "year")
        .distinct()
        .order_by()
    )
    by_base = {(p[0], p[1]): p for p in pointers}
    found: dict[Pointer, list[int]] = {}
    for indicator_id, base_id, year in rows:
        found.setdefault(by_base[(indicator_id, base_id)], []).append(year)
    return {p: sorted(ys) for p, ys in found.items()}


def _rows_of(pointers: list[Pointer], first: int, last: int) -> QuerySet[SeriesPoint]:
    return SeriesPoint.objects.filter(
        rows_named_by(pointers),
        period_start__gte=datetime.date(first, 1, 1),
        period_start__lte=datetime.date(last, 12, 31),
    )


def _frame(rows: QuerySet[SeriesPoint]) -> pd.DataFrame:
    """The rows as the rule's frame; on PostgreSQL read with COPY (a million rows through the
    ORM cost seconds of Python objects)."""
    values = rows.values_list(*rule.COLUMNS)
    if not is_postgres():
        return pd.DataFrame.from_records(list(values), columns=rule.COLUMNS)
    statement, params = values.query.sql_with_params()
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        query = cursor.mogrify(statement, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER false)", buffer)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer,
        names=rule.COLUMNS,
        dtype={"frequency": str, "period": str, "dimension_key": str, "period_start": str},
        keep_default_na=False,
        na_values={"organisation_id": [""], "value": [""]},
    )
    return frame


def _year_of(start) -> int:
    """The year of a period's first day (a date, or its ISO text as COPY gives it)."""
    return start.year if isinstance(start, datetime.date) else int(str(start)[:4])


def _figures(indicator_id: int, org: int | None, figures) -> set[Figure]:
    return {(indicator_id, org, f, k, p) for f, k, p in figures}


def _marker(pointer: Pointer, year: int) -> str:
    indicator_id, base_id, version = pointer
    return f"kp:hidden:{rule.threshold()}:{indicator_id}:{base_id}:{version}:{year}"


def _entry(pointer: Pointer, year: int, org: int | None) -> str:
    return f"{_marker(pointer, year)}:{'chain' if org is None else org}"
