"""What validation takes and gives: the catalogue as it needs it, the context outside the file,
the findings as they are collected, and the result."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("organisation", "round")
MAX_ABS_VALUE = 1e16  # Observation.value: 20 digits, 4 decimals
#: Each finding's message in every language of the portal (issue 13, one language at a time):
#: rendered once per language when the finding is made, so every reader gets their own.
MESSAGE_COLUMNS = {"nl": "message", "en": "message_en"}
ISSUE_COLUMNS = ["row", "column", "severity", "code", *MESSAGE_COLUMNS.values()]

#: A message as the rules give it: a lazy text (`text`, `gettext_lazy`), a function rendering the
#: messages of a finding's rows in the active language (`fmt`), or a finished str.
Messages = str | Promise | Callable[[], list[str]]


def in_every_language(messages: Messages, n: int) -> dict[str, list[str]]:
    """The messages of `n` rows in each of the portal's languages: column → messages."""
    rendered: dict[str, list[str]] = {}
    for language, column in MESSAGE_COLUMNS.items():
        with translation.override(language):
            if callable(messages):
                rendered[column] = list(messages())
            else:
                rendered[column] = [str(messages)] * n
    return rendered


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
    #: Per dimension: each lower-cased name a file may give a value by (its code, its Dutch or
    #: English label) → the value's code (`dashboards.catalogue.labels.value_aliases`).
    value_aliases: dict[str, dict[str, str]] = field(default_factory=dict)


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


def single_issue(
    code: str, message: Messages, *, row: int | None = None, column: str = ""
) -> Result:
    """A result holding one error (for a file ingest could not read)."""
    messages = {column: texts[0] for column, texts in in_every_language(message, 1).items()}
    issues = pd.DataFrame(
        [{"row": row, "column": column, "severity": "error", "code": code, **messages}],
        columns=ISSUE_COLUMNS,
    )
    return Result(issues=issues, observations=None, rows=0)


class Findings:
    """Collects issues as frames, one per rule, and concatenates them once."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        rows: Iterable[int] | pd.Series,
        column: str | Iterable[str],
        severity: str,
        code: str,
        messages: Messages,
    ) -> None:
        """A finding on `rows`; its messages are rendered here in every language (only the
        rows of findings pay for it, and a rule never runs twice)."""
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
                    **in_every_language(messages, n),
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


def fmt(template: StrOrPromise, frame: pd.DataFrame, **columns: str) -> Callable[[], list[str]]:
    """`template` (lazy) formatted once per row with named columns of `frame`, in the language
    active when the messages are rendered (`Findings.add` renders them in each). A value may
    be lazy too (`frequency_label`): it follows the same language."""
    if frame.empty:
        return list
    values = list(zip(*(frame[c].tolist() for c in columns.values()), strict=True))
    names = list(columns)

    def render() -> list[str]:
        shown = str(template)
        return [shown % dict(zip(names, row, strict=True)) for row in values]

    return render


def lower(series: pd.Series) -> pd.Series:
    """The column lower-cased, as a categorical (computed once per distinct value)."""
    category = series.astype("category")
    lowered = np.asarray([str(c).lower() for c in category.cat.categories], dtype=object)
    uniques, inverse = (
        np.unique(lowered, return_inverse=True) if len(lowered) else (lowered, lowered)
    )
    codes = np.asarray(inverse, dtype=np.int64).reshape(-1)[category.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(uniques)), index=series.index)


def frequency_label(frequency: str) -> StrOrPromise:
    """The frequency's name, lazy: a message renders it in its own language."""
    return {"month": _("maand"), "quarter": _("kwartaal"), "year": _("jaar")}.get(
        frequency, frequency
    )


def number(value: float) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
