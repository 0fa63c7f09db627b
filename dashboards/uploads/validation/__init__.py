"""The rules an upload must pass (DESIGN.md, "the upload contract"; issue 3, "Validation").

Pure and vectorised over the frame that `ingest.read_table` produced: no database. The caller
passes the catalogue and the organisation's current approved cells; `validate` returns every
finding (row as the user sees it, column, severity, code, its message in Dutch and in English)
and, when there is no error, the observations to store.

Errors block the whole upload; warnings do not. Error codes: missing_column, duplicate_column,
unknown_column, no_rows, unknown_indicator, foreign_indicator, wrong_organisation,
unknown_dimension_value, dimension_not_applicable, malformed_period, period_too_fine,
future_period, running_period, not_a_number, negative_count, fractional_count, value_too_large, duplicate_cell,
overlap_in_file, overlap_with_current, missing_round, malformed_round, future_round,
round_not_applicable (plus ingest's: empty_file, too_large, too_many_rows,
wrong_file_type, unreadable, unsafe_file). Warning codes: change_vs_previous, implausible,
correction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from dashboards.models import split_series_key
from dashboards.uploads.tables import ROW, Table

from .cells import cell_keys, cells_of, check_duplicate_cells
from .header import check_header
from .overlaps import check_overlaps
from .result import (
    ISSUE_COLUMNS,
    Context,
    Findings,
    IndicatorSpec,
    Result,
    empty_current,
    single_issue,
)
from .rounds import check_rounds, with_rounds
from .rules import (
    Rows,
    check_indicators,
    check_organisation,
    check_periods,
    check_values,
)
from .warnings import add_warnings

__all__ = [
    "ISSUE_COLUMNS",
    "Context",
    "IndicatorSpec",
    "Result",
    "empty_current",
    "single_issue",
    "validate",
]


def validate(table: Table, context: Context, *, defer_warnings: bool = False) -> Result:
    """Apply every rule of the contract to `table`. Observations only when there is no error.

    With `defer_warnings`, a file without errors comes back with its observations and the
    warnings still to be computed (`Result.with_warnings`); every error rule has run by then.
    """
    found = Findings()
    frame = table.frame
    current = context.current if context.current is not None else empty_current()
    spec_of = context.catalogue
    known_dimensions = {d for spec in spec_of.values() for d in spec.dimensions}
    if not check_header(table, known_dimensions, found):
        return Result(issues=found.frame(), observations=None, rows=len(frame))
    if frame.empty:
        found.error(
            [None], "", "no_rows", _("Het bestand bevat geen gegevensrijen onder de kopregel.")
        )
        return Result(issues=found.frame(), observations=None, rows=0)

    rows = Rows.of(frame, spec_of)
    check_indicators(rows, context, found)
    check_organisation(frame, context, found)
    periods = check_periods(rows, context.today, found)
    values = check_values(rows, table.decimal_comma, found)
    rounds = check_rounds(rows, context.today, found)
    key_id, dimension_keys = cell_keys(rows, table.headers, known_dimensions, found)
    key_id, dimension_keys = with_rounds(key_id, dimension_keys, rounds)
    cells = check_duplicate_cells(cells_of(rows, periods, values, key_id, dimension_keys), found)
    check_overlaps(cells, current, found)

    if found.parts and any((p["severity"] == "error").any() for p in found.parts):
        return Result(issues=found.frame(), observations=None, rows=len(frame))

    # --- warnings (only on a file without errors: they describe what approval would do)
    sound = values.ok[cells.index]
    if not sound.all():
        cells = cells[sound]

    def warnings() -> pd.DataFrame:
        # Safe in another thread: every message is rendered per language (`Findings.add`).
        add_warnings(cells, current, spec_of, found, periods.attrs["periods"])
        return found.frame()

    result = Result(
        issues=found.frame(),
        observations=observations_of(cells, spec_of),
        rows=len(frame),
        pending_warnings=warnings,
    )
    return result if defer_warnings else result.with_warnings()


def observations_of(cells: pd.DataFrame, spec_of: dict[str, IndicatorSpec]) -> pd.DataFrame:
    """The rows to store: one per cell, the dimension values as their canonical key.

    In the order of the observations' unique cell index (period_start, indicator, dimension_key,
    period_type; organisation and upload are the same for all): the COPY then inserts into
    that index page after page instead of all over it, which makes storing several times
    cheaper than in the file's order."""
    indicator_id = cells["indicator"].map({c: s.id for c, s in spec_of.items()}).astype("int64")
    order = np.lexsort(
        (
            cells["period_rank"].to_numpy(),
            cells["key_rank"].to_numpy(),
            indicator_id.to_numpy(),
            cells["start_ordinal"].to_numpy(),
        )
    )
    columns = ["period", "period_type", "period_start", "period_end", "dimension_key", "raw_value"]
    cells = cells[[*columns, ROW]].iloc[order]
    dimension_key, round_ = _split_rounds(cells["dimension_key"])
    return pd.DataFrame(
        {
            "indicator_id": indicator_id.iloc[order],
            "period": cells["period"],
            "period_type": cells["period_type"],
            "period_start": cells["period_start"],
            "period_end": cells["period_end"],
            "dimension_key": dimension_key,
            "value": cells["raw_value"],
            "row": cells[ROW].astype("int64"),
            "round": round_,
        }
    ).reset_index(drop=True)


def _split_rounds(keys: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A forecast's cell key carries its round (`rounds.with_rounds`); it is stored in a column
    of its own: (dimension keys, rounds), both categorical like the keys (what the COPY encodes
    fastest), split once per distinct key."""
    category = keys.astype("category")
    parts = [split_series_key(str(k)) for k in category.cat.categories]
    codes = category.cat.codes.to_numpy()
    if not any(r for r, _k in parts):
        rounds = pd.Categorical.from_codes(np.zeros(len(keys), dtype=np.int8), categories=[""])
        return category, pd.Series(rounds, index=keys.index)

    def column(texts: list[str]) -> pd.Series:
        per_category, uniques = pd.factorize(np.asarray(texts, dtype=object))
        return pd.Series(
            pd.Categorical.from_codes(per_category[codes], categories=uniques), index=keys.index
        )

    return column([k for _r, k in parts]), column([r for r, _k in parts])
