"""The rules an upload must pass (DESIGN.md, "the upload contract"; issue 3, "Validation").

Pure and vectorised over the frame that `ingest.read_table` produced: no database. The caller
passes the catalogue and the organisation's current approved cells; `validate` returns every
finding (row as the user sees it, column, severity, code, translated message) and, when there is
no error, the observations to store.

Errors block the whole upload; warnings do not. Error codes: missing_column, duplicate_column,
unknown_column, no_rows, unknown_indicator, foreign_indicator, wrong_organisation,
unknown_dimension_value, dimension_not_applicable, malformed_period, period_too_fine,
future_period, not_a_number, negative_count, fractional_count, value_too_large, duplicate_cell,
overlap_in_file, overlap_with_current (plus ingest's: empty_file, too_large, too_many_rows,
wrong_file_type, unreadable, unsafe_file). Warning codes: change_vs_previous, implausible,
correction.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils import translation
from django.utils.translation import gettext as _

from .ingest import ROW, Table, parse_periods

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("organisation",)
RANK = {"month": 1, "quarter": 2, "year": 3}
MAX_ABS_VALUE = 1e16  # Observation.value: 20 digits, 4 decimals
ISSUE_COLUMNS = ["row", "column", "severity", "code", "message"]
NUMBER_PATTERN = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"


@dataclass(frozen=True)
class IndicatorSpec:
    """What validation needs to know of an Indicator (built from the model by the service)."""

    id: int
    code: str
    owner: str
    frequency: str
    dimensions: dict[str, list[str]] = field(default_factory=dict)
    is_count: bool = True
    is_forecast: bool = False
    tolerance_percent: int = 50
    plausible_min: float | None = None
    plausible_max: float | None = None
    active: bool = True


@dataclass
class Context:
    """Everything outside the file that the rules depend on.

    `current`: the organisation's current approved cells for the file's indicators, with columns
    indicator (code), period, period_type, dimension_key, value (float) and upload_id.
    """

    organisation: str
    catalogue: dict[str, IndicatorSpec]
    today: datetime.date
    current: pd.DataFrame | None = None


@dataclass
class Result:
    issues: pd.DataFrame
    observations: pd.DataFrame | None
    rows: int
    #: Only from `validate(..., defer_warnings=True)` on a file without errors: computes the
    #: issues with the warnings (see `with_warnings`).
    pending_warnings: Callable[[], pd.DataFrame] | None = None

    def with_warnings(self) -> Result:
        """The result with its deferred warnings computed: they never block storing, so the
        service computes them in a thread while the observations are being stored."""
        if self.pending_warnings is None:
            return self
        return dataclasses.replace(self, issues=self.pending_warnings(), pending_warnings=None)

    @property
    def error_count(self) -> int:
        return int((self.issues["severity"] == "error").sum())

    @property
    def warning_count(self) -> int:
        return int((self.issues["severity"] == "warning").sum())

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0


def empty_current() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype=object),
            "period": pd.Series(dtype=object),
            "period_type": pd.Series(dtype=object),
            "dimension_key": pd.Series(dtype=object),
            "value": pd.Series(dtype=float),
            "upload_id": pd.Series(dtype="int64"),
        }
    )


def single_issue(code: str, message: str, *, row: int | None = None, column: str = "") -> Result:
    """A result holding one error (for a file ingest could not read)."""
    issues = pd.DataFrame([[row, column, "error", code, message]], columns=ISSUE_COLUMNS)
    return Result(issues=issues, observations=None, rows=0)


class _Findings:
    """Collects issues as frames, one per rule, and concatenates them once."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        rows: Iterable[int] | pd.Series,
        column: str | Iterable[str],
        severity: str,
        code: str,
        messages: Iterable[str] | str,
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        n = len(rows)
        self.parts.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "column": [column] * n if isinstance(column, str) else list(column),
                    "severity": severity,
                    "code": code,
                    "message": [messages] * n if isinstance(messages, str) else list(messages),
                }
            )
        )

    def error(self, rows, column, code, messages) -> None:
        self.add(rows, column, "error", code, messages)

    def warning(self, rows, column, code, messages) -> None:
        self.add(rows, column, "warning", code, messages)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=ISSUE_COLUMNS)
        issues = pd.concat(self.parts, ignore_index=True)
        issues["sev_order"] = (issues["severity"] != "error").astype(int)
        issues = issues.sort_values(["sev_order", "row"], kind="stable", na_position="first")
        return issues.drop(columns="sev_order").reset_index(drop=True)


def _fmt(template: str, frame: pd.DataFrame, **columns: str) -> list[str]:
    """Format `template` once per row with named columns of `frame` (few distinct rows)."""
    if frame.empty:
        return []
    values = zip(*(frame[c].tolist() for c in columns.values()), strict=True)
    names = list(columns)
    return [template % dict(zip(names, row, strict=True)) for row in values]


def validate(table: Table, context: Context, *, defer_warnings: bool = False) -> Result:
    """Apply every rule of the contract to `table`. Observations only when there is no error.

    With `defer_warnings`, a file without errors comes back with its observations and the
    warnings still to be computed (`Result.with_warnings`); every error rule has run by then.
    """
    found = _Findings()
    frame = table.frame
    headers = table.headers
    current = context.current if context.current is not None else empty_current()

    # --- the header: required, duplicated and unknown columns
    known_dimensions = {d for spec in context.catalogue.values() for d in spec.dimensions}
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            found.error(
                [1],
                header,
                "duplicate_column",
                _('De kolom "%(column)s" staat meer dan eens in de kopregel.') % {"column": header},
            )
        seen.add(header)
    missing = [c for c in REQUIRED if c not in headers]
    for column in missing:
        found.error(
            [1],
            column,
            "missing_column",
            _('De verplichte kolom "%(column)s" ontbreekt in de kopregel.') % {"column": column},
        )
    for index, header in enumerate(headers, start=1):
        if header in REQUIRED or header in OPTIONAL or header in known_dimensions:
            continue
        if not header:
            name = f"#{index}"
            if name in frame.columns and (frame[name] != "").any():
                found.error(
                    [1],
                    f"{index}",
                    "unknown_column",
                    _("Kolom %(index)s heeft geen naam in de kopregel maar bevat wel waarden.")
                    % {"index": index},
                )
            continue
        found.error(
            [1],
            header,
            "unknown_column",
            _(
                'De kolom "%(column)s" is onbekend. Toegestaan zijn: indicator, period, value, organisation en de dimensies van de indicatoren.'
            )
            % {"column": header},
        )
    if missing or len(seen) != len([h for h in headers if h]):
        return Result(issues=found.frame(), observations=None, rows=len(frame))
    if frame.empty:
        found.error(
            [None], "", "no_rows", _("Het bestand bevat geen gegevensrijen onder de kopregel.")
        )
        return Result(issues=found.frame(), observations=None, rows=0)

    rows = frame[ROW]
    ok = pd.Series(True, index=frame.index)  # rows whose cell key is sound so far

    # Columns of few distinct values are handled as categoricals: every string operation and
    # lookup below runs once per distinct value, then is taken back to the rows by code.
    # --- indicator
    spec_of = context.catalogue
    codes = _lower(frame["indicator"])
    ind_code = codes.cat.codes.to_numpy()
    categories = list(codes.cat.categories)
    spec_per_cat = [spec_of.get(c) for c in categories]

    def per_indicator(attribute, default):
        values = [getattr(s, attribute) if s is not None else default for s in spec_per_cat]
        return pd.Series(np.asarray([*values, default], dtype=object)[ind_code], index=frame.index)

    known = pd.Series(
        np.asarray([s is not None and s.active for s in spec_per_cat] + [False])[ind_code],
        index=frame.index,
    )
    bad = frame[~known]
    found.error(
        bad[ROW],
        "indicator",
        "unknown_indicator",
        _fmt(
            _('Onbekende indicator "%(code)s": gebruik een code uit de indicatorcatalogus.'),
            bad,
            code="indicator",
        ),
    )
    owner = per_indicator("owner", "")
    foreign = known & (owner != context.organisation)
    bad = frame[foreign].assign(owner=owner[foreign], organisation_=context.organisation)
    found.error(
        bad[ROW],
        "indicator",
        "foreign_indicator",
        _fmt(
            _(
                'De indicator "%(code)s" is van %(owner)s; %(organisation)s mag hiervoor geen cijfers aanleveren.'
            ),
            bad,
            code="indicator",
            owner="owner",
            organisation="organisation_",
        ),
    )
    ok &= known & ~foreign

    # --- organisation column
    if "organisation" in frame.columns:
        given = frame["organisation"].astype("category")
        wrong_values = [
            v for v in given.cat.categories if v != "" and v.upper() != context.organisation.upper()
        ]
        wrong = given.isin(wrong_values)
        bad = frame[wrong].assign(own_=context.organisation)
        found.error(
            bad[ROW],
            "organisation",
            "wrong_organisation",
            _fmt(
                _(
                    'De organisatie "%(given)s" is niet de organisatie van deze aanlevering (%(own)s).'
                ),
                bad,
                given="organisation",
                own="own_",
            ),
        )

    # --- period
    periods = parse_periods(frame["period"])
    malformed = periods["period"].isna()
    bad = frame[malformed]
    found.error(
        bad[ROW],
        "period",
        "malformed_period",
        _fmt(
            _('De periode "%(value)s" is ongeldig: gebruik JJJJ-MM, JJJJ-Qn, JJJJ-Kn of JJJJ.'),
            bad,
            value="period",
        ),
    )
    frequency = per_indicator("frequency", "")
    frequency_rank = np.asarray(
        [RANK.get(s.frequency, 0) if s is not None else 0 for s in spec_per_cat] + [0]
    )[ind_code]
    too_fine = ~malformed & known & (periods["rank"].to_numpy() < frequency_rank)
    bad = frame[too_fine].assign(freq=frequency[too_fine].map(_frequency_label))
    found.error(
        bad[ROW],
        "period",
        "period_too_fine",
        _fmt(
            _('De periode "%(value)s" is fijner dan de indicator toestaat (per %(freq)s).'),
            bad,
            value="period",
            freq="freq",
        ),
    )
    forecast = per_indicator("is_forecast", False).astype(bool)
    future = ~malformed & ~forecast & (periods["start_ordinal"] > context.today.toordinal())
    bad = frame[future]
    found.error(
        bad[ROW],
        "period",
        "future_period",
        _fmt(_('De periode "%(value)s" ligt in de toekomst.'), bad, value="period"),
    )
    ok &= ~malformed & ~too_fine & ~future

    # --- value (parsed once per distinct text)
    raw_cat = frame["value"].astype("category")
    texts = pd.Series(raw_cat.cat.categories, dtype=object)
    if table.decimal_comma:
        has_comma = texts.str.contains(",", regex=False)
        texts = texts.where(
            ~has_comma,
            texts.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
        )
    is_number = texts.str.fullmatch(NUMBER_PATTERN).fillna(False).astype(bool).to_numpy()
    numbers = pd.to_numeric(texts.where(is_number), errors="coerce").to_numpy(dtype=float)
    value_code = raw_cat.cat.codes.to_numpy()
    raw_codes, raw_texts = pd.factorize(texts.to_numpy(dtype=object))
    raw = pd.Series(
        pd.Categorical.from_codes(raw_codes[value_code], categories=raw_texts), index=frame.index
    )
    numeric = pd.Series(is_number[value_code], index=frame.index)
    values = pd.Series(numbers[value_code], index=frame.index)
    bad = frame[~numeric]
    found.error(
        bad[ROW],
        "value",
        "not_a_number",
        _fmt(_('De waarde "%(value)s" is geen getal.'), bad, value="value"),
    )
    too_large = numeric & (values.abs() >= MAX_ABS_VALUE)
    bad = frame[too_large]
    found.error(
        bad[ROW],
        "value",
        "value_too_large",
        _fmt(_('De waarde "%(value)s" is te groot.'), bad, value="value"),
    )
    is_count = per_indicator("is_count", False).astype(bool)
    negative = numeric & is_count & (values < 0)
    bad = frame[negative]
    found.error(
        bad[ROW],
        "value",
        "negative_count",
        _fmt(
            _("De waarde %(value)s is negatief; deze indicator telt aantallen (0 of meer)."),
            bad,
            value="value",
        ),
    )
    fractional = numeric & is_count & ~too_large & (values != np.floor(values))
    bad = frame[fractional]
    found.error(
        bad[ROW],
        "value",
        "fractional_count",
        _fmt(
            _("De waarde %(value)s is geen geheel getal; deze indicator telt aantallen."),
            bad,
            value="value",
        ),
    )
    value_ok = numeric & ~too_large & ~negative & ~fractional

    # --- dimensions, and the cell key (dimension keys numbered in `dimension_keys`)
    dimension_keys: list[str] = [""]
    key_id = np.zeros(len(frame), dtype=np.int64)
    dimension_columns = [h for h in headers if h in known_dimensions]
    lowered = {dim: _lower(frame[dim]) for dim in dimension_columns}
    for index, code in enumerate(categories):
        spec = spec_per_cat[index]
        if spec is None or not spec.active:
            continue
        mine = pd.Series(ind_code == index, index=frame.index)
        first_row = int(rows[mine].iloc[0])
        combo = np.zeros(len(frame), dtype=np.int64)
        parts: list[tuple[str, list[str]]] = []
        for dim in sorted(spec.dimensions):
            if dim not in frame.columns:
                found.error(
                    [first_row],
                    dim,
                    "missing_column",
                    _('De kolom "%(dim)s" ontbreekt; de indicator "%(code)s" heeft die dimensie.')
                    % {"dim": dim, "code": code},
                )
                ok &= ~mine
                continue
            given = lowered[dim]
            allowed = [v.lower() for v in spec.dimensions[dim]]
            unknown = mine & ~given.isin(allowed)
            bad = frame[unknown].assign(dim_=dim, allowed_=", ".join(spec.dimensions[dim]))
            found.error(
                bad[ROW],
                dim,
                "unknown_dimension_value",
                _fmt(
                    _(
                        '"%(value)s" is geen toegestane waarde voor %(dim)s. Toegestaan: %(allowed)s.'
                    ),
                    bad,
                    value=dim,
                    dim="dim_",
                    allowed="allowed_",
                ),
            )
            ok &= ~unknown
            dim_categories = list(given.cat.categories)
            combo = combo * (len(dim_categories) + 1) + given.cat.codes.to_numpy() + 1
            parts.append((dim, dim_categories))
        for dim in dimension_columns:
            if dim in spec.dimensions:
                continue
            extra = mine & (frame[dim] != "")
            bad = frame[extra].assign(dim_=dim)
            found.error(
                bad[ROW],
                dim,
                "dimension_not_applicable",
                _fmt(
                    _('De indicator "%(code)s" heeft geen dimensie %(dim)s; laat deze cel leeg.'),
                    bad,
                    code="indicator",
                    dim="dim_",
                ),
            )
            ok &= ~extra
        if parts:
            uniques, inverse = np.unique(combo[mine.to_numpy()], return_inverse=True)
            keys = []
            for value in uniques:
                labels = []
                for dim, dim_categories in reversed(parts):
                    value, position = divmod(int(value), len(dim_categories) + 1)
                    labels.append(f"{dim}={dim_categories[position - 1]}")
                keys.append(";".join(reversed(labels)))
            start = len(dimension_keys)
            dimension_keys.extend(keys)
            key_id[mine.to_numpy()] = inverse.reshape(-1) + start

    key_strings = np.asarray(dimension_keys, dtype=object)
    key_codes, key_texts = pd.factorize(key_strings)  # one category per distinct key text
    cells = pd.DataFrame(
        {
            ROW: rows,
            "indicator": codes,
            "dimension_key": pd.Categorical.from_codes(key_codes[key_id], categories=key_texts),
            "period": periods["period"],
            "period_type": periods["period_type"],
            "period_start": periods["period_start"],
            "period_end": periods["period_end"],
            "previous_period": periods["previous_period"],
            "value": values,
            "raw_value": raw,
            "cell": ind_code.astype(np.int64) * len(key_strings) + key_id,
            "key_rank": np.argsort(np.argsort(key_strings, kind="stable"))[key_id],
            "start_ordinal": periods["start_ordinal"],
            "period_rank": periods["rank"],
            "period_id": periods["period_id"],
            "previous_id": periods["previous_id"],
        }
    )
    if not ok.all():
        cells = cells[ok]

    # --- the same cell twice
    dupes = cells.duplicated(["cell", "period_id"], keep="first")
    if dupes.any():
        first = cells[~dupes].drop_duplicates(["cell", "period_id"])
        bad = cells[dupes].merge(
            first[["cell", "period_id", ROW]], on=["cell", "period_id"], suffixes=("", "_first")
        )
        found.error(
            bad[ROW],
            "period",
            "duplicate_cell",
            _fmt(
                _("Dezelfde cel (%(code)s, %(period)s) staat ook in rij %(first)s."),
                bad,
                code="indicator",
                period="period",
                first=f"{ROW}_first",
            ),
        )
        cells = cells[~dupes]

    # --- a period and periods inside it would count twice
    _overlaps(cells, current, found)

    if found.parts and any((p["severity"] == "error").any() for p in found.parts):
        return Result(issues=found.frame(), observations=None, rows=len(frame))

    # --- warnings (only on a file without errors: they describe what approval would do)
    sound = value_ok[cells.index]
    if not sound.all():
        cells = cells[sound]
    language = translation.get_language()  # the report's; a thread has none of its own

    def warnings() -> pd.DataFrame:
        with translation.override(language):
            _warnings(cells, current, spec_of, found, periods.attrs["periods"])
            return found.frame()

    result = Result(
        issues=found.frame(),
        observations=_observations(cells, spec_of),
        rows=len(frame),
        pending_warnings=warnings,
    )
    return result if defer_warnings else result.with_warnings()


def _lower(series: pd.Series) -> pd.Series:
    """The column lower-cased, as a categorical (computed once per distinct value)."""
    category = series.astype("category")
    lowered = np.asarray([str(c).lower() for c in category.cat.categories], dtype=object)
    uniques, inverse = (
        np.unique(lowered, return_inverse=True) if len(lowered) else (lowered, lowered)
    )
    codes = np.asarray(inverse, dtype=np.int64).reshape(-1)[category.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(uniques)), index=series.index)


def _frequency_label(frequency: str) -> str:
    return {"month": _("maand"), "quarter": _("kwartaal"), "year": _("jaar")}.get(
        frequency, frequency
    )


def _containers(periods: pd.DataFrame) -> pd.DataFrame:
    """For each cell: the quarter (for a month) and the year (for a month or quarter) holding it."""
    year = periods["period"].str.slice(0, 4)
    month = pd.to_numeric(
        periods["period"].str.slice(5, 7).where(periods["period_type"] == "month"), errors="coerce"
    )
    in_quarter = (year + "-Q" + ((month - 1) // 3 + 1).astype("Int64").astype(str)).where(
        periods["period_type"] == "month"
    )
    in_year = year.where(periods["period_type"] != "year")
    return periods.assign(in_quarter=in_quarter, in_year=in_year)


def _overlaps(cells: pd.DataFrame, current: pd.DataFrame, found: _Findings) -> None:
    keys = ["indicator", "dimension_key"]
    # Only an indicator with more than one period type (in the file and the approved figures
    # together) can overlap; usually there is none and the work below is skipped.
    types = pd.concat(
        [
            cells[["indicator", "period_type"]].drop_duplicates(),
            current[["indicator", "period_type"]].drop_duplicates(),
        ]
    ).drop_duplicates()
    mixed = types["indicator"][types["indicator"].duplicated()].unique()
    if len(mixed) == 0:
        return
    cells = cells[cells["indicator"].isin(mixed)]
    current = current[current["indicator"].isin(mixed)]
    mine = _containers(cells[[ROW, *keys, "period", "period_type"]])
    for container, coarse in (("in_quarter", "quarter"), ("in_year", "year")):
        coarse_cells = mine[mine["period_type"] == coarse][[*keys, "period", ROW]]
        # within the file
        hit = mine.dropna(subset=[container]).merge(
            coarse_cells.rename(columns={"period": container, ROW: "coarse_row"}),
            on=[*keys, container],
        )
        found.error(
            hit[ROW],
            "period",
            "overlap_in_file",
            _fmt(
                _(
                    "De periode %(period)s valt binnen %(coarse)s, dat ook in dit bestand staat (rij %(row)s): de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                coarse=container,
                row="coarse_row",
            ),
        )
        if current.empty:
            continue
        theirs = _containers(current[[*keys, "period", "period_type"]].assign(**{ROW: 0}))
        # a finer period in the file, a coarser one approved
        approved_coarse = theirs[theirs["period_type"] == coarse][[*keys, "period"]]
        hit = mine.dropna(subset=[container]).merge(
            approved_coarse.rename(columns={"period": container}), on=[*keys, container]
        )
        hit = hit[~hit[container].isin(mine["period"])]  # replaced by this file: reported above
        found.error(
            hit[ROW],
            "period",
            "overlap_with_current",
            _fmt(
                _(
                    "De periode %(period)s valt binnen %(coarse)s, waarvoor al goedgekeurde cijfers zijn: de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                coarse=container,
            ),
        )
        # a coarser period in the file, finer ones approved
        approved_fine = theirs.dropna(subset=[container])[[*keys, "period", container]]
        approved_fine = approved_fine.drop_duplicates([*keys, container])
        hit = mine[mine["period_type"] == coarse].merge(
            approved_fine.rename(columns={"period": "fine", container: "period"}),
            on=[*keys, "period"],
        )
        found.error(
            hit[ROW],
            "period",
            "overlap_with_current",
            _fmt(
                _(
                    "Voor perioden binnen %(period)s (bijvoorbeeld %(fine)s) zijn al goedgekeurde cijfers: de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                fine="fine",
            ),
        )


def _number(value: float) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _warnings(
    cells: pd.DataFrame,
    current: pd.DataFrame,
    spec_of: dict[str, IndicatorSpec],
    found: _Findings,
    periods: list[str],
) -> None:
    # Cells and periods are integers here (key = cell * n + period): every lookup is a hash
    # join on integers, not on strings.
    n = len(periods) + 1
    period_id = {p: i for i, p in enumerate(periods)}
    pairs = cells.drop_duplicates("cell")
    cell_of = dict(
        zip(
            zip(pairs["indicator"], pairs["dimension_key"], strict=True), pairs["cell"], strict=True
        )
    )
    approved = current.assign(
        cell=[
            cell_of.get(pair, -1)
            for pair in zip(current["indicator"], current["dimension_key"], strict=True)
        ],
        period_id=current["period"].map(period_id).fillna(-1).astype(np.int64),
    )
    approved = approved[(approved["cell"] >= 0) & (approved["period_id"] >= 0)]
    approved_key = approved["cell"].to_numpy(np.int64) * n + approved["period_id"].to_numpy(
        np.int64
    )
    cell = cells["cell"].to_numpy(np.int64)
    file_key = cell * n + cells["period_id"].to_numpy(np.int64)
    value = cells["value"].to_numpy(float)

    # change against the previous period: from this file, else from the approved figures
    known = pd.Series(
        np.concatenate([value, approved["value"].to_numpy(float)]),
        index=np.concatenate([file_key, approved_key]),
    )
    known = known[~known.index.duplicated(keep="first")]
    previous_key = cell * n + cells["previous_id"].to_numpy(np.int64)
    previous = known.reindex(previous_key).to_numpy(float)
    tolerance = (
        cells["indicator"].map({c: s.tolerance_percent for c, s in spec_of.items()}).to_numpy(float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.abs(value - previous) / np.abs(previous) * 100
    jumps = ~np.isnan(previous) & (previous != 0) & (change > tolerance)
    jump = cells[jumps].assign(
        change=np.round(change[jumps]).astype(np.int64).astype(str),
        tolerance=tolerance[jumps].astype(np.int64).astype(str),
        shown=[_number(v) for v in value[jumps]],
        previous_shown=[_number(v) for v in previous[jumps]],
    )
    found.warning(
        jump[ROW],
        "value",
        "change_vs_previous",
        _fmt(
            _(
                "De waarde %(value)s wijkt %(change)s%% af van de vorige periode %(previous_period)s (%(previous)s); de tolerantie is %(tolerance)s%%."
            ),
            jump,
            value="shown",
            change="change",
            previous_period="previous_period",
            previous="previous_shown",
            tolerance="tolerance",
        ),
    )

    # a correction of an approved value
    old = pd.Series(approved["value"].to_numpy(float), index=approved_key).reindex(file_key)
    source = pd.Series(approved["upload_id"].to_numpy(), index=approved_key).reindex(file_key)
    corrected = ~np.isnan(old.to_numpy()) & (np.abs(value - old.to_numpy()) > 1e-9)
    fixed = cells[corrected].assign(
        shown=[_number(v) for v in value[corrected]],
        approved=[_number(v) for v in old.to_numpy()[corrected]],
        upload_id=[str(int(u)) for u in source.to_numpy()[corrected]],
    )
    found.warning(
        fixed[ROW],
        "value",
        "correction",
        _fmt(
            _(
                "Corrigeert de goedgekeurde waarde %(approved)s (aanlevering #%(upload)s) naar %(value)s."
            ),
            fixed,
            approved="approved",
            upload="upload_id",
            value="shown",
        ),
    )

    # outside the plausible range
    low = cells["indicator"].map({c: s.plausible_min for c, s in spec_of.items()}).astype(float)
    high = cells["indicator"].map({c: s.plausible_max for c, s in spec_of.items()}).astype(float)
    outside = (low.notna() & (cells["value"] < low)) | (high.notna() & (cells["value"] > high))
    bad = cells[outside].assign(
        shown=lambda f: f["value"].map(_number),
        low=low[outside].map(lambda v: "…" if pd.isna(v) else _number(v)),
        high=high[outside].map(lambda v: "…" if pd.isna(v) else _number(v)),
    )
    found.warning(
        bad[ROW],
        "value",
        "implausible",
        _fmt(
            _("De waarde %(value)s ligt buiten het plausibele bereik %(low)s tot %(high)s."),
            bad,
            value="shown",
            low="low",
            high="high",
        ),
    )


def _observations(cells: pd.DataFrame, spec_of: dict[str, IndicatorSpec]) -> pd.DataFrame:
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
    return pd.DataFrame(
        {
            "indicator_id": indicator_id.iloc[order],
            "period": cells["period"],
            "period_type": cells["period_type"],
            "period_start": cells["period_start"],
            "period_end": cells["period_end"],
            "dimension_key": cells["dimension_key"],
            "value": cells["raw_value"],
            "row": cells[ROW].astype("int64"),
        }
    ).reset_index(drop=True)
