"""Charts of the dashboards: one `Chart` holds a plotly figure and the table of the same numbers.

Pure functions over rows already read from the build. Figures are plotly's JSON figure format,
written as plain dicts: building `plotly.graph_objects.Figure`s validated every property and
cost a tenth of a second per page; the tests validate the same dicts with plotly instead. The
figure is drawn in the browser by static/js/charts.js with the plotly.js of our own static
files, with SVG trace types only (bar, scatter, sankey; no WebGL, which would need what the
Content-Security-Policy forbids) and without the mode bar.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ketenportaal.exports import Column, safe_value

#: Colours with at least 3:1 contrast on white, distinguishable for common colour blindness.
PALETTE = ["#154273", "#e17000", "#39870c", "#a90061", "#007bc7", "#673327", "#5f6a00"]


def number(value: Any) -> int | float | None:
    """A figure as shown and exported: whole numbers without decimals, others to one decimal."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), 1)


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    caption: str
    columns: list[str]
    #: Each row: [row header, value, value, …]; None is "no figure".
    rows: list[list[Any]]
    figure: dict = field(default_factory=dict)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.slug}"

    def csv(self) -> str:
        # Text a spreadsheet would run as a formula is neutralised (ketenportaal.exports).
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([safe_value(label) for label in self.columns])
        for row in self.rows:
            writer.writerow(["" if cell is None else safe_value(cell) for cell in row])
        return out.getvalue()

    def export_columns(self) -> list[Column]:
        """The table's columns for ketenportaal.exports (the XLSX download)."""
        return [Column(str(label), itemgetter(i)) for i, label in enumerate(self.columns)]


def _layout(title_y: str = "", *, stacked: bool = False, height: int = 340) -> dict:
    return {
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#1a1a1a"},
        "yaxis": {
            "title": {"text": title_y},
            "rangemode": "tozero",
            "gridcolor": "#d9d9d9",
            "linecolor": "#1a1a1a",
            "ticks": "outside",
        },
        "xaxis": {"type": "category", "linecolor": "#1a1a1a", "ticks": "outside"},
        "legend": {"orientation": "h", "y": -0.2},
        "barmode": "stack" if stacked else "group",
        "hovermode": "x unified",
    }


def figure(traces: list[dict], layout: dict) -> dict:
    return {"data": traces, "layout": layout}


def bar(*, x: list, y: list, name: str, color: str, orientation: str = "v") -> dict:
    return {"type": "bar", "x": x, "y": y, "name": name, "orientation": orientation,
            "marker": {"color": color}}  # fmt: skip


def line(
    *, x: list, y: list, name: str, color: str, markers: bool = True, dash: str = "solid"
) -> dict:
    return {"type": "scatter", "x": x, "y": y, "name": name,
            "mode": "lines+markers" if markers else "lines", "line": {"color": color, "dash": dash}}  # fmt: skip


def series_chart(
    *,
    slug: str,
    title: str,
    unit: str,
    periods: Sequence[str],
    series: list[tuple[str, dict[str, Any]]],
    complete: dict[str, bool],
    kind: str = "bar",
    stacked: bool = False,
    period_label: str | None = None,
) -> Chart:
    """Bars or lines of several named series over the same periods, and their table.

    `series` holds (name, {period: value}); `complete` says per period whether every figure in
    it covers its whole period.
    """
    traces = []
    for index, (name, values) in enumerate(series):
        ys = [number(values.get(p)) for p in periods]
        colour = PALETTE[index % len(PALETTE)]
        if kind == "line":
            traces.append(line(x=list(periods), y=ys, name=name, color=colour))
        else:
            traces.append(bar(x=list(periods), y=ys, name=name, color=colour))
    columns = [period_label or _("Periode"), *[name for name, _v in series], _("Volledig")]
    rows = [
        [
            p,
            *[number(values.get(p)) for _n, values in series],
            _("ja") if complete.get(p, True) else _("nee"),
        ]
        for p in periods
    ]
    return Chart(
        slug=slug,
        title=title,
        summary=summarise(periods, series, unit, additive=stacked or len(series) == 1),
        caption=_("%(title)s, in %(unit)s, per periode") % {"title": title, "unit": unit},
        columns=columns,
        rows=rows,
        figure=figure(traces, _layout(unit, stacked=stacked)),
    )


def summarise(
    periods: Sequence[str],
    series: list[tuple[str, dict[str, Any]]],
    unit: str,
    *,
    additive: bool = True,
) -> str:
    """One sentence in words. Additive series (parts of a whole, stacked): the latest period's
    total and its change since the first. Overlapping series (scenarios, occupancy against
    capacity): each series' latest value, since their sum would mean nothing."""
    if not periods:
        return _("Er zijn nog geen goedgekeurde cijfers voor deze selectie.")

    def fmt(value: int | float | None) -> str:
        return "-" if value is None else number_format(value, use_l10n=True, force_grouping=True)

    if not additive:
        latest = []
        for name, values in series:
            present = [p for p in periods if number(values.get(p)) is not None]
            if present:
                latest.append(
                    _("%(name)s %(value)s (%(period)s)")
                    % {
                        "name": name,
                        "value": fmt(number(values[present[-1]])),
                        "period": present[-1],
                    }
                )
        return _("Laatste cijfers in %(unit)s: %(list)s.") % {
            "unit": unit,
            "list": "; ".join(latest),
        }

    def total(period: str) -> int | float | None:
        values = [number(values.get(period)) for _n, values in series]
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    last, first = periods[-1], periods[0]
    last_total, first_total = total(last), total(first)
    if len(periods) == 1 or first_total in (None, 0) or last_total is None:
        return _("In %(period)s: %(value)s %(unit)s.") % {
            "period": last,
            "value": fmt(last_total),
            "unit": unit,
        }
    change = round((last_total - first_total) / first_total * 100)
    direction = _("meer") if change >= 0 else _("minder")
    return _("In %(last)s: %(value)s %(unit)s, %(change)s%% %(direction)s dan in %(first)s.") % {
        "last": last,
        "value": fmt(last_total),
        "unit": unit,
        "change": abs(change),
        "direction": direction,
        "first": first,
    }


def flow_chart(*, slug: str, title: str, period: str, links: list[tuple[str, str, Any]]) -> Chart:
    """A Sankey diagram (SVG) of the flows through the chain in one period, and its table."""
    links = [(a, b, number(v)) for a, b, v in links if v]
    labels: list[str] = []
    for source, target, _v in links:
        for name in (source, target):
            if name not in labels:
                labels.append(name)
    trace = {
        "type": "sankey",
        "node": {
            "label": labels,
            "color": [PALETTE[i % len(PALETTE)] for i in range(len(labels))],
            "pad": 18,
        },
        "link": {
            "source": [labels.index(a) for a, _b, _v in links],
            "target": [labels.index(b) for _a, b, _v in links],
            "value": [v for _a, _b, v in links],
        },
    }
    layout = {"height": 380, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "font": {"size": 13}}
    if links:
        biggest = max(links, key=lambda link: link[2])
        summary = _(
            "In %(period)s was de grootste stroom %(from)s → %(to)s: %(value)s personen."
        ) % {
            "period": period,
            "from": biggest[0],
            "to": biggest[1],
            "value": biggest[2],
        }
    else:
        summary = _("Er zijn voor %(period)s geen goedgekeurde stroomcijfers.") % {"period": period}
    return Chart(
        slug=slug,
        title=title,
        summary=summary,
        caption=_("Stromen door de keten in %(period)s") % {"period": period},
        columns=[_("Van"), _("Naar"), _("Aantal")],
        rows=[[a, b, v] for a, b, v in links],
        figure=figure([trace], layout),
    )


def table_chart(
    *, slug: str, title: str, summary: str, caption: str, columns: list[str], rows: list[list[Any]],
    traces: list[dict], layout: dict,
) -> Chart:  # fmt: skip
    return Chart(slug=slug, title=title, summary=summary, caption=caption, columns=columns,
                 rows=rows, figure=figure(traces, layout))  # fmt: skip


def layout(unit: str = "", *, stacked: bool = False, date_axis: bool = False) -> dict:
    result = _layout(unit, stacked=stacked)
    if date_axis:
        result["xaxis"] = {"type": "date"}
    return result
