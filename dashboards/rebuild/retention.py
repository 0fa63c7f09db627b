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

from .storage import quoted

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


def _visible(alias: str) -> str:
    return (
        f"{alias}.indicator_id = %s AND {alias}.rebuild_id = %s AND {alias}.written_by <= %s "
        f"AND ({alias}.replaced_by IS NULL OR {alias}.replaced_by > %s)"
    )


def share_rebuilt(rebuild: Rebuild, indicator_ids: list[int]) -> int:
    """Move release pointers of these indicators (just computed whole by `rebuild`) onto its
    build wherever the figures they read are identical to the new ones; the old rows can then
    go. One comparison (counts and an EXCEPT, in the database) per distinct pointer; returns how many
    pointers moved."""
    version = rebuild.version or 0
    pointers = (
        ReleaseBuild.objects.filter(indicator_id__in=indicator_ids)
        .exclude(base_id=rebuild.pk)
        .values_list("indicator_id", "base_id", "version")
        .distinct()
    )
    columns = _figure_columns()
    table = quoted(SeriesYear)
    moved = 0
    with connection.cursor() as cursor:
        for indicator_id, base_id, old_version in list(pointers):
            old = [indicator_id, base_id, old_version, old_version]
            new = [indicator_id, rebuild.pk, version, version]
            # A build holds a series-year once: equal counts and nothing of the old rows
            # missing from the new ones means the same figures.
            cursor.execute(
                f"""
                SELECT (SELECT COUNT(*) FROM {table} a WHERE {_visible("a")})
                     = (SELECT COUNT(*) FROM {table} b WHERE {_visible("b")})
                   AND NOT EXISTS (
                       SELECT {columns} FROM {table} a WHERE {_visible("a")}
                       EXCEPT SELECT {columns} FROM {table} b WHERE {_visible("b")})
                """,  # noqa: S608 (our own identifiers; values are parameters)
                [*old, *new, *old, *new],
            )
            if cursor.fetchone()[0]:
                moved += ReleaseBuild.objects.filter(
                    indicator_id=indicator_id, base_id=base_id, version=old_version
                ).update(rebuild_id=rebuild.pk, base_id=rebuild.pk, version=version)
    return moved


def still_read() -> set[int]:
    """Every build some reader needs: the current pointers' and the releases'."""
    pointers = IndicatorBuild.objects.values_list("rebuild_id", "base_id")
    return {pk for pair in pointers for pk in pair} | held_builds()
