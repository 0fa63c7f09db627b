"""A digest of the rows a pointer names, per indicator, so that a full rebuild tells at once
whether an indicator's new figures are those a release reads (`retention.share_rebuilt`),
instead of comparing both builds' rows column by column (a third of the rebuild on 1M cells).

The digest of a set of SeriesYear rows is the sum of a 64-bit hash of each row's figures (every
column but the id and the build's bookkeeping: `row_hash`). Being a sum, it is worked out on the
way in (the rebuild's INSERTs return each row's hash) and a patch updates it from the rows it
wrote and those it replaced, without reading the rest. Equal digests mean equal rows but for a chance of the
order of 2⁻⁶⁴; a pointer without a digest (SQLite, the one-machine demo, or a release frozen
before digests) is compared row by row.
"""

from __future__ import annotations

from decimal import Decimal

from dashboards.models import IndicatorBuild, SeriesYear

from .storage import id_list, is_postgres, quoted

#: The columns that make a figure: everything but the id and the build's bookkeeping.
_BOOKKEEPING = {"id", "rebuild_id", "written_by", "replaced_by"}

#: indicator id → the sum of its rows' hashes (of the rows some statements wrote or replaced).
Sums = dict[int, Decimal]


def figure_columns() -> list[str]:
    return [
        str(field.column)
        for field in SeriesYear._meta.concrete_fields
        if field.column and field.column not in _BOOKKEEPING
    ]


def row_hash() -> str:
    """The SQL of one row's hash (of the row in scope: a table's, or an INSERT's RETURNING).

    The columns' own hashes combined (`hash_record_extended`), so equal figures hash alike
    however their numbers are written (5 and 5.0000), as `retention`'s row-by-row EXCEPT
    compares them; hashing the row's text cost 6 of the 15 seconds of a full rebuild's year
    rows on 10M cells (migration 0020 forgot the digests made that way).
    """
    return f"hash_record_extended(ROW({', '.join(figure_columns())}), 0)::numeric"


def enabled() -> bool:
    return is_postgres()


def add(sums: Sums | None, rows) -> None:
    """Add (indicator id, hash sum) rows to `sums`."""
    if sums is None:
        return
    for indicator_id, total in rows:
        sums[indicator_id] = sums.get(indicator_id, Decimal(0)) + Decimal(total or 0)


def replaced(cursor, base: int, version: int, indicator_ids: list[int]) -> Sums:
    """The hash sums of the rows a patch (`version`) replaced in the partition of `base`,
    through the index of replaced rows."""
    sums: Sums = {}
    if not enabled() or not indicator_ids:
        return sums
    cursor.execute(
        f"""SELECT indicator_id, SUM({row_hash()}) FROM {quoted(SeriesYear)}
            WHERE rebuild_id = %s AND replaced_by = %s AND indicator_id {id_list(indicator_ids)}
            GROUP BY indicator_id""",  # noqa: S608 (our own identifiers; values are parameters)
        [base, version, *indicator_ids],
    )
    add(sums, cursor.fetchall())
    return sums


def of_pointers(
    fresh: list[int], patched: list[int], written: Sums | None, replaced: Sums
) -> dict[int, Decimal | None]:
    """The digest of each pointer this rebuild makes: of the rows it wrote for an indicator
    computed whole; for a patched one, the earlier digest with the rows written added and
    those replaced taken away (unknown when the earlier one was)."""
    if written is None:
        return dict.fromkeys([*fresh, *patched])
    found: dict[int, Decimal | None] = {pk: written.get(pk, Decimal(0)) for pk in fresh}
    earlier = dict(
        IndicatorBuild.objects.filter(indicator_id__in=patched).values_list(
            "indicator_id", "digest"
        )
    )
    for pk in patched:
        old = earlier.get(pk)
        found[pk] = (
            None
            if old is None
            else old + written.get(pk, Decimal(0)) - replaced.get(pk, Decimal(0))
        )
    return found
