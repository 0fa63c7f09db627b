"""The chain's quarterly figures as they were current at a moment, for the report's key figures.

A figure was current at a moment when it came from the latest upload holding its cell that had
been approved by then; a later correction does not rewrite an earlier report. The quarters are
aggregated by the indicator's rule, as the rebuild does (DESIGN.md): per organisation the
dimension values are summed per period; `sum` adds the quarter's figures, `last` takes the
latest, `mean` averages them weighted by the months each covers; the chain adds the
organisations (averages them for `mean`). A quarter is complete when every organisation that
has figures in it covers its three months.

One query, over the figures of the years the report looks at. A report or pack that cites a
release takes its quarters from the release instead (`release_quarter_rows`): the built figures
exactly as frozen, through the same reader as the dashboards.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from dashboards.models import Frequency, Indicator, Observation, Release, UploadStatus
from dashboards.rebuild import series
from ketenportaal.periods import QUARTER, Period

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def release_quarter_rows(
    *,
    indicators: list[Indicator],
    release: Release,
    start: datetime.date,
    end: datetime.date,
) -> list[series.PointRow]:
    """The chain's quarters from `start` to `end` as the release froze them (two queries):
    totals over all dimension values, which small-number suppression never hides, so the
    strictest view (viewer None) reads them whole."""
    return series.point_rows(
        indicators=indicators,
        frequency=Frequency.QUARTER,
        viewer=None,
        dimension_keys=[""],
        start=start,
        end=end,
        release=release,
    )


def quarter_rows(
    *,
    indicators: list[Indicator],
    cutoff: datetime.datetime,
    start: datetime.date,
    end: datetime.date,
) -> list[dict[str, Any]]:
    """Rows like `series.point_rows` (indicator_id, period, period_start, value, all_complete)
    for the chain's quarters from `start` to `end`, as current at `cutoff`."""
    by_id = {i.pk: i for i in indicators}
    cells: dict[tuple, tuple] = {}
    for row in (
        Observation.objects.filter(
            indicator_id__in=by_id,
            upload__status=UploadStatus.APPROVED,
            upload__decided_at__lte=cutoff,
            period_start__gte=start,
            period_end__lte=end,
        )
        .exclude(period_type="year")  # a yearly figure counts for the year, never a quarter
        .values_list(
            "indicator_id",
            "organisation_id",
            "period_type",
            "period_start",
            "period_end",
            "dimension_key",
            "value",
            "upload__decided_at",
            "upload_id",
        )
        .order_by()
    ):
        *cell, value, decided_at, upload_id = row
        key = tuple(cell)
        kept = cells.get(key)
        if kept is None or (decided_at, upload_id) > kept[1]:
            cells[key] = (Decimal(value), (decided_at, upload_id))

    # (indicator, organisation, quarter start) → period (start, end, months) → value over dims
    periods: dict[tuple[int, int, datetime.date], dict[tuple, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for (indicator_id, organisation_id, kind, p_start, p_end, _key), (value, _) in cells.items():
        quarter = Period.of(p_start, QUARTER)
        periods[(indicator_id, organisation_id, quarter.start)][
            (p_start, p_end, _MONTHS[kind])
        ] += value

    chain: dict[tuple[int, datetime.date], list[tuple[Decimal, bool]]] = defaultdict(list)
    for (indicator_id, _organisation_id, quarter_start), figures in periods.items():
        aggregation = by_id[indicator_id].aggregation
        ordered = sorted(figures.items(), key=lambda item: (item[0][1], item[0][0]))
        months = sum(m for (_s, _e, m), _v in ordered)
        if aggregation == "sum":
            value = sum((v for _p, v in ordered), Decimal(0))
        elif aggregation == "mean":
            value = sum((v * m for (_s, _e, m), v in ordered), Decimal(0)) / months
        else:
            value = ordered[-1][1]
        chain[(indicator_id, quarter_start)].append((value, months >= 3))

    rows = []
    for (indicator_id, quarter_start), values in sorted(chain.items()):
        total = sum((v for v, _c in values), Decimal(0))
        if by_id[indicator_id].aggregation == "mean":
            total = total / len(values)
        rows.append(
            {
                "indicator_id": indicator_id,
                "dimension_key": "",
                "period": str(Period.of(quarter_start, QUARTER)),
                "period_start": quarter_start,
                "value": total,
                "all_complete": all(c for _v, c in values),
            }
        )
    return rows
