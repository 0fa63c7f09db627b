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
  moves onto the new build (`share_rebuilt`, which compares the pointers' digests: `digests`),
  so nothing changed means nothing kept: releases cost their pointer rows only
  (bench/dashboards.py measures both).
"""

from __future__ import annotations

from django.db import connection

from dashboards.models import IndicatorBuild, Rebuild, ReleaseBuild, SeriesYear

from . import digests
from .storage import id_list, quoted


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
    differed from it already). Where both pointers have a digest (`digests`) the digests are
    compared; otherwise the rows, one statement per (base, version) the pointers share, however
    many indicators: the rows of either side missing from the other (EXCEPT both ways) name the
    indicators that changed (a pointer so found equal takes the new digest). Returns how many
    pointers moved."""
    version = rebuild.version or 0
    new_digests = dict(
        IndicatorBuild.objects.filter(
            indicator_id__in=list(previous), base_id=rebuild.pk
        ).values_list("indicator_id", "digest")
    )
    groups: dict[tuple[int, int], list[int]] = {}
    same: list[int] = []
    for pointer_id, indicator_id, base_id, old_version, digest in (
        ReleaseBuild.objects.filter(indicator_id__in=list(previous))
        .exclude(base_id=rebuild.pk)
        .values_list("pk", "indicator_id", "base_id", "version", "digest")
        .order_by("base_id", "version", "indicator_id")
    ):
        if previous.get(indicator_id) != base_id:
            continue
        rebuilt = new_digests.get(indicator_id)
        if digest is not None and rebuilt is not None:
            if digest == rebuilt:
                same.append(pointer_id)
        else:
            groups.setdefault((base_id, old_version), []).append(indicator_id)
    moved = ReleaseBuild.objects.filter(pk__in=same).update(
        rebuild_id=rebuild.pk, base_id=rebuild.pk, version=version
    )
    columns = ", ".join(digests.figure_columns())
    table = quoted(SeriesYear)
    with connection.cursor() as cursor:
        for (base_id, old_version), ids in groups.items():
            # Our own identifiers and fragments; values are parameters.
            old = f"SELECT {columns} FROM {table} a WHERE {_visible('a', ids)}"  # noqa: S608
            new = f"SELECT {columns} FROM {table} b WHERE {_visible('b', ids)}"  # noqa: S608
            old_params = [base_id, *ids, old_version, old_version]
            new_params = [rebuild.pk, *ids, version, version]
            cursor.execute(
                f"SELECT indicator_id FROM ({old} EXCEPT {new}) gone "  # noqa: S608
                f"UNION SELECT indicator_id FROM ({new} EXCEPT {old}) came",
                [*old_params, *new_params, *new_params, *old_params],
            )
            changed = {row[0] for row in cursor.fetchall()}
            for indicator_id in set(ids) - changed:
                moved += ReleaseBuild.objects.filter(
                    base_id=base_id, version=old_version, indicator_id=indicator_id
                ).update(
                    rebuild_id=rebuild.pk,
                    base_id=rebuild.pk,
                    version=version,
                    digest=new_digests.get(indicator_id),
                )
    return moved


def still_read() -> set[int]:
    """Every build some reader needs: the current pointers' and the releases'."""
    pointers = IndicatorBuild.objects.values_list("rebuild_id", "base_id")
    return {pk for pair in pointers for pk in pair} | held_builds()
