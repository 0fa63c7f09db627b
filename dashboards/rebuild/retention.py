"""What releases keep of the built figures, and how a full rebuild lets them share its rows.

A release (`dashboards.models.releases`) holds, per indicator, a pointer like `IndicatorBuild`:
the base build whose partition holds the rows, and the version it reads them at. The pruning
keeps what those pointers can see and nothing more:

- a partition a release points at is not dropped (`held_builds`); after a full rebuild only the
  rows of the indicators some pointer still needs stay in the old partition (`held_indicators`);
- a row a patch replaced is deleted once no reader needs it, unless a release reads it: written
  at or before the release's version, replaced after it (`delete_replaced`). A one-cell
  correction after a release so keeps just the few series-year rows it replaced (the cell's, the
  subtotals above it and the chain's), not the indicator;
- a full rebuild computes every figure again into a partition of its own; where an indicator's
  new rows equal, figure for figure, the rows a release reads in the old partition, the release
  moves onto the new build (`share_rebuilt`), so nothing changed means nothing kept: releases
  cost their pointer rows only (bench/dashboards.py measures both).
"""

from __future__ import annotations

from django.db import connection

from dashboards.models import IndicatorBuild, Rebuild, ReleaseBuild, SeriesYear

from .storage import id_list, quoted

#: The columns that make a figure: everything but the id and the build's bookkeeping.
_BOOKKEEPING = {"id", "rebuild_id", "written_by", "replaced_by"}


def held_builds() -> set[int]:
    """The builds whose rows some release reads (as its pointers' rebuild or base)."""
    return {pk for pair in ReleaseBuild.objects.values_list("rebuild_id", "base_id") for pk in pair}


def held_indicators() -> set[tuple[int, int]]:
    """(base build, indicator) of every release pointer."""
    return set(ReleaseBuild.objects.values_list("base_id", "indicator_id").distinct())


def delete_replaced(cursor, up_to_version: int) -> int:
    """Delete the rows replaced by rebuilds up to this version (all of which succeeded: a failed
    one's replacements are undone first), through the index of replaced rows; a row some release
    reads stays."""
    table = quoted(SeriesYear)
    pointers = quoted(ReleaseBuild)
    cursor.execute(
        f"""
        DELETE FROM {table} WHERE replaced_by <= %s AND NOT EXISTS (
            SELECT 1 FROM {pointers} r
            WHERE r.indicator_id = {table}.indicator_id AND r.base_id = {table}.rebuild_id
              AND {table}.written_by <= r.version AND {table}.replaced_by > r.version)
        """,  # noqa: S608 (our own identifiers; values are parameters)
        [up_to_version],
    )
    return cursor.rowcount


def _figure_columns() -> str:
    return ", ".join(
        str(field.column)
        for field in SeriesYear._meta.concrete_fields
        if field.column and field.column not in _BOOKKEEPING
    )


def _visible(alias: str, ids: list[int]) -> str:
    """The rows of a build (`rebuild_id`) that a reader at a version sees, of these indicators."""
    return (
        f"{alias}.rebuild_id = %s AND {alias}.indicator_id {id_list(ids)} "
        f"AND {alias}.written_by <= %s AND ({alias}.replaced_by IS NULL OR {alias}.replaced_by > %s)"
    )


def share_rebuilt(rebuild: Rebuild, previous: dict[int, int]) -> int:
    """Move release pointers onto `rebuild`'s rows wherever the figures they read are identical
    to the new ones, so the old rows can go. `previous`: indicator → the base it was just
    computed whole instead of; only pointers on that base are compared (one on an older base
    differed from it already). One statement per (base, version) the pointers share, however
    many indicators: the series-years missing on either side, or whose figures differ, name
    the indicators that changed. Returns how many pointers moved."""
    version = rebuild.version or 0
    groups: dict[tuple[int, int], list[int]] = {}
    for indicator_id, base_id, old_version in (
        ReleaseBuild.objects.filter(indicator_id__in=list(previous))
        .exclude(base_id=rebuild.pk)
        .values_list("indicator_id", "base_id", "version")
        .distinct()
        .order_by("base_id", "version", "indicator_id")
    ):
        if previous.get(indicator_id) == base_id:
            groups.setdefault((base_id, old_version), []).append(indicator_id)
    table = quoted(SeriesYear)
    # Matched on the series-year (a build holds one row for each), then compared figure for
    # figure: one hash join of both sides instead of sorting every column of both twice.
    on = """a.indicator_id = b.indicator_id AND a.year = b.year AND a.dimension_key = b.dimension_key
            AND COALESCE(a.organisation_id, 0) = COALESCE(b.organisation_id, 0)"""
    figures = _figure_columns().split(", ")
    differ = (
        f"ROW({', '.join(f'a.{c}' for c in figures)}) IS DISTINCT FROM "
        f"ROW({', '.join(f'b.{c}' for c in figures)})"
    )
    moved = 0
    with connection.cursor() as cursor:
        for (base_id, old_version), ids in groups.items():
            # Our own identifiers and fragments; values are parameters.
            cursor.execute(
                f"""SELECT DISTINCT COALESCE(a.indicator_id, b.indicator_id)
                    FROM (SELECT * FROM {table} a WHERE {_visible("a", ids)}) a
                    FULL JOIN (SELECT * FROM {table} b WHERE {_visible("b", ids)}) b ON {on}
                    WHERE a.indicator_id IS NULL OR b.indicator_id IS NULL OR {differ}""",  # noqa: S608
                [base_id, *ids, old_version, old_version, rebuild.pk, *ids, version, version],
            )
            changed = {row[0] for row in cursor.fetchall()}
            moved += ReleaseBuild.objects.filter(
                base_id=base_id, version=old_version, indicator_id__in=set(ids) - changed
            ).update(rebuild_id=rebuild.pk, base_id=rebuild.pk, version=version)
    return moved


def still_read() -> set[int]:
    """Every build some reader needs: the current pointers' and the releases'."""
    pointers = IndicatorBuild.objects.values_list("rebuild_id", "base_id")
    return {pk for pair in pointers for pk in pair} | held_builds()
