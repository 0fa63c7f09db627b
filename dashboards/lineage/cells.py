"""The one reading of a figure's lineage: two queries, whatever the number of cells; of a
figure as a release froze it (`release=`), the cells of that moment, each with its correction.

A figure of period P (DESIGN.md's aggregation) is made of the current cells whose period lies
within P: the months of a quarter, a quarter figure, or for a year also its quarters and months.
A coarser figure (a year figure in a quarter) never counts for a finer period, so it is not part
of that finer figure's lineage either. For `last` indicators only the cells of the latest period
present per organisation and dimension value count; the others are listed as not counted. A
dimensioned indicator's cells without dimension values are left out, as the rebuild does.

Small-number suppression (`dashboards.suppression`) reaches lineage too: a cell is the built
figure of its organisation, dimension values and period, so a cell whose figure is suppressed
for the user shows no value (nor do the values it superseded), and when the figure asked about
is suppressed itself none of its cells shows one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from dashboards.models import (
    Aggregation,
    CurrentCell,
    Indicator,
    Observation,
    Release,
    UploadStatus,
    dimensions_of,
)
from dashboards.rebuild import series
from dashboards.suppression import rule, viewers
from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.periods import Period

#: A page lists at most this many cells; the API gives them all.
PAGE_LIMIT = 500


@dataclass(frozen=True)
class Earlier:
    """Another value of a cell: an approved observation of an earlier upload (or, for a
    release's cell, of the upload that corrected it since)."""

    #: None when suppressed for the user.
    value: Decimal | None
    upload_id: int
    submitted_at: datetime.datetime
    approved_at: datetime.datetime | None


@dataclass
class Cell:
    organisation: Organisation
    period: str
    period_start: datetime.date
    period_end: datetime.date
    dimension_key: str
    #: None when suppressed for the user (small-number suppression).
    value: Decimal | None
    upload_id: int
    submitted_at: datetime.datetime
    submitted_by: str
    approved_at: datetime.datetime | None
    approved_by: str
    counted: bool = True
    may_open_upload: bool = False
    superseded: list[Earlier] = field(default_factory=list)
    period_type: str = ""
    suppressed: bool = False
    #: Of a release's cell: the current value, when an upload approved since corrected it.
    corrected: Earlier | None = None

    @property
    def dimensions(self) -> dict[str, str]:
        return dimensions_of(self.dimension_key)


def _with_dimensions(queryset: QuerySet, selection: dict[str, str], prefix: str = "") -> QuerySet:
    """Cells whose dimension values include every chosen one (the others are summed)."""
    column = f"{prefix}dimension_key"
    for name, value in selection.items():
        part = f"{name}={value}"
        queryset = queryset.filter(
            Q(**{column: part})
            | Q(**{f"{column}__startswith": f"{part};"})
            | Q(**{f"{column}__endswith": f";{part}"})
            | Q(**{f"{column}__contains": f";{part};"})
        )
    return queryset


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _cell(observation: Observation, organisation: Organisation, opens: bool) -> Cell:
    upload = observation.upload
    return Cell(
        organisation=organisation,
        period=observation.period,
        period_start=observation.period_start,
        period_end=observation.period_end,
        dimension_key=observation.dimension_key,
        value=observation.value,
        upload_id=upload.pk,
        submitted_at=upload.uploaded_at,
        submitted_by=_name(upload.uploaded_by),
        approved_at=upload.decided_at,
        approved_by=_name(upload.decided_by),
        may_open_upload=opens,
        period_type=observation.period_type,
    )


def _earlier(observation: Observation) -> Earlier:
    upload = observation.upload
    return Earlier(observation.value, upload.pk, upload.uploaded_at, upload.decided_at)


def _key(row) -> tuple:
    """A cell's identity: organisation, period (start and type) and dimension values."""
    return (row.organisation_id, row.period_start, row.period_type, row.dimension_key)


def lineage(
    *,
    indicator: Indicator,
    period: Period,
    organisation: Organisation | None = None,
    selection: dict[str, str] | None = None,
    round_: str = "",
    user=None,
    release: Release | None = None,
) -> list[Cell]:
    """The current cells behind one figure, with the values each superseded. A forecast's
    figure is of one round (`round_`): only that round's cells, never another round's.

    With a `release`, the cells behind the figure as that release froze it: per cell the
    observation of the latest upload approved by `frozen_at` (`dashboards.releases`), each with
    the current value when a later upload corrected it (`corrected`)."""
    selection = selection or {}
    current = CurrentCell.objects.filter(
        indicator=indicator,
        observation__period_start__gte=period.start,
        observation__period_end__lte=period.end,
    )
    earlier = Observation.objects.filter(
        indicator=indicator,
        period_start__gte=period.start,
        period_end__lte=period.end,
        upload__status=UploadStatus.APPROVED,
    )
    current = current.filter(round=round_)
    earlier = earlier.filter(round=round_)
    if organisation is not None:
        current = current.filter(organisation=organisation)
        earlier = earlier.filter(organisation=organisation)
    if indicator.dimensions and not selection:
        current = current.exclude(dimension_key="")
        earlier = earlier.exclude(dimension_key="")
    current = _with_dimensions(current, selection)
    earlier = _with_dimensions(earlier, selection)
    own = roles.organisation_of(user) if user is not None else None
    sees_every_upload = user is not None and roles.is_regie(user)

    def opens(organisation_id: int) -> bool:
        return sees_every_upload or (own is not None and own.pk == organisation_id)

    current_rows = list(
        current.select_related(
            "organisation",
            "observation__upload__uploaded_by",
            "observation__upload__decided_by",
        ).order_by("organisation__code", "observation__period_start", "dimension_key")
    )
    cells: dict[tuple, Cell] = {}
    if release is None:
        for row in current_rows:
            cells[_key(row.observation)] = _cell(
                row.observation, row.organisation, opens(row.organisation_id)
            )
    else:
        frozen = (
            earlier.filter(upload__decided_at__lte=release.frozen_at)
            .select_related("organisation", "upload__uploaded_by", "upload__decided_by")
            .order_by("-upload__decided_at", "-upload_id")
        )
        for observation in frozen:
            key = _key(observation)
            if key not in cells:  # the latest approved by the moment
                cells[key] = _cell(
                    observation, observation.organisation, opens(observation.organisation_id)
                )
            else:  # what that one superseded
                cells[key].superseded.append(_earlier(observation))
        in_order = sorted(
            cells.items(), key=lambda item: (item[1].organisation.code, item[0][1], item[0][3])
        )
        cells = dict(in_order)  # as the current cells: organisation, period, dimension values
        for row in current_rows:
            cell = cells.get(_key(row.observation))
            if (
                cell is not None
                and row.observation.upload_id != cell.upload_id
                and row.observation.value != cell.value
            ):
                cell.corrected = _earlier(row.observation)
    if release is None and cells:
        for old in (
            earlier.exclude(pk__in=[row.observation_id for row in current_rows])
            .select_related("upload")
            .order_by("-upload__decided_at", "-upload_id")
        ):
            cell = cells.get(_key(old))
            if cell is None or (
                old.upload.decided_at
                and cell.approved_at
                and old.upload.decided_at > cell.approved_at
            ):
                continue
            cell.superseded.append(_earlier(old))
    result = list(cells.values())
    _suppress(result, indicator, period, organisation, selection, user, release)
    if indicator.aggregation == Aggregation.LAST:
        # DESIGN.md: the figure of the latest period present, by its end and then its start.
        latest: dict[tuple, tuple] = defaultdict(lambda: (datetime.date.min, datetime.date.min))
        for cell in result:
            series = (cell.organisation.pk, cell.dimension_key)
            latest[series] = max(latest[series], (cell.period_end, cell.period_start))
        for cell in result:
            series = (cell.organisation.pk, cell.dimension_key)
            cell.counted = (cell.period_end, cell.period_start) == latest[series]
    return result


def _suppress(
    cells: list[Cell],
    indicator: Indicator,
    period: Period,
    organisation: Organisation | None,
    selection: dict[str, str],
    user,
    release: Release | None = None,
) -> None:
    """Hide the values the user may not see (one query, none when nothing can be hidden); with
    a release, as the release's figures are suppressed."""
    if not cells or not viewers.suppressed_for(user, [indicator]):
        return
    hidden = series.suppressed_figures(
        indicators=[indicator], viewer=user, start=period.start, end=period.end, release=release
    )
    figure = (
        indicator.pk,
        organisation.pk if organisation else None,
        period.type,
        series.dimension_key(selection),
        period.canonical,
    )
    whole = figure in hidden
    limit = rule.threshold()
    for cell in cells:
        own = (indicator.pk, cell.organisation.pk, cell.period_type, cell.dimension_key,
               cell.period)  # fmt: skip
        if whole or own in hidden:
            cell.suppressed, cell.value = True, None
        for index, old in enumerate(cell.superseded):
            if cell.suppressed or (cell.dimension_key and _small(old.value, limit)):
                cell.superseded[index] = _hidden(old)
        if cell.corrected is not None and (
            cell.suppressed or (cell.dimension_key and _small(cell.corrected.value, limit))
        ):
            cell.corrected = _hidden(cell.corrected)


def _small(value: Decimal | None, limit: int) -> bool:
    """An earlier (or later) value is no figure of the build, but a small one still counts few
    people."""
    return value is not None and 1 <= value < limit


def _hidden(value: Earlier) -> Earlier:
    return Earlier(None, value.upload_id, value.submitted_at, value.approved_at)


def total(cells: list[Cell]) -> Decimal | None:
    """The sum of the counted cells (for `sum` indicators: the figure itself); None when a
    counted cell is suppressed for the user."""
    if any(cell.suppressed for cell in cells if cell.counted):
        return None
    return sum((cell.value or Decimal(0) for cell in cells if cell.counted), Decimal(0))
