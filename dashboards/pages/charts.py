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
import html
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dashboards.suppression.marks import SUPPRESSED, column_label, is_suppressed, legend
from ketenportaal.exports import Column, safe_value

from .chart_notes import NOTE_SHOWN, annotate, annotation, note_column
from .summaries import fmt, number, summarise

__all__ = ["Chart", "bar", "flow_chart", "line", "number", "series_chart", "summarise"]

#: What `django.utils.html.json_script` escapes in the JSON of a script element.
JSON_SCRIPT_ESCAPES = [("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E")]

#: Colours with at least 3:1 contrast on white, distinguishable for common colour blindness.
PALETTE = ["#154273", "#e17000", "#39870c", "#a90061", "#007bc7", "#673327", "#5f6a00"]


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    caption: str
    columns: list[str]
    #: Each row: [row header, value, value, …]; None is "no figure", `SUPPRESSED` a figure
    #: hidden by small-number suppression (shown "< 5", exported empty and flagged).
    rows: list[list[Any]]
    figure: dict = field(default_factory=dict)
    #: Row headers (periods) whose figures are incomplete: the table marks them.
    incomplete: list[str] = field(default_factory=list)
    #: Beside `rows`, cell for cell: the address of the figure's lineage, or None.
    links: list[list[str | None]] = field(default_factory=list)
    #: The last column is the duiding (text, not a number).
    has_notes: bool = False

    @property
    def table(self) -> list[list[tuple[Any, str | None]]]:
        """The rows with each cell's lineage link: [(cell, link or None), …]."""
        links = self.links or [[] for _row in self.rows]
        return [
            [(cell, row_links[i] if i < len(row_links) else None) for i, cell in enumerate(row)]
            for row, row_links in zip(self.rows, links, strict=True)
        ]

    def table_body(self) -> SafeString:
        """The rows of the table as HTML (`_chart.html` shows them): the period as row header,
        marked when incomplete; each figure a link to its lineage, "no figure" or the mark of
        a suppressed one, read out in words; the duiding as text. Written here rather than in
        the template: a dashboard's tables are thousands of cells, and the template language
        took most of a page's render (the first request after every rebuild renders them).
        Every value is escaped (`_text`) as the template would."""
        if not self.rows:
            html = (
                f'<tr><td colspan="{len(self.columns)}">'
                f"{_text(_('Geen cijfers voor deze selectie.'))}</td></tr>"
            )
            return mark_safe(html)  # noqa: S308 — the one value is escaped
        incomplete = set(self.incomplete)
        flag = f' <span class="incomplete">{_text(_("onvolledig"))}</span>'
        none = (
            '<td class="num"><span aria-hidden="true">–</span>'
            f'<span class="visually-hidden">{_text(_("geen cijfer"))}</span></td>'
        )
        hidden = (
            f'<td class="num"><span class="suppressed" aria-hidden="true">{_text(SUPPRESSED)}'
            f'</span><span class="visually-hidden">{_text(_("afgeschermd klein aantal"))}'
            "</span></td>"
        )
        lines = []
        for row in self.table:
            (head, _link), *cells = row
            note = cells.pop()[0] if self.has_notes and cells else None
            parts = [f'<tr><th scope="row">{_text(head)}{flag if head in incomplete else ""}</th>']
            for cell, link in cells:
                if cell is None:
                    parts.append(none)
                elif is_suppressed(cell):
                    parts.append(hidden)
                elif link:
                    parts.append(
                        f'<td class="num"><a href="{_text(link)}" class="lineage-link">'
                        f"{_text(cell)}</a></td>"
                    )
                else:
                    parts.append(f'<td class="num">{_text(cell)}</td>')
            if note is not None:
                parts.append(f'<td class="note">{_text(note)}</td>')
            parts.append("</tr>")
            lines.append("".join(parts))
        return mark_safe("\n".join(lines))  # noqa: S308 — every value in it is escaped

    def figure_json(self) -> SafeString:
        """The figure as `json_script` writes it (`<`, `>` and `&` as unicode escapes, so the
        JSON cannot end its script element), escaped with `str.replace`: `json_script`'s
        `str.translate` took a hundred times longer on the lineage addresses in `customdata`
        (4 ms a chart)."""
        text = json.dumps(self.figure, cls=DjangoJSONEncoder)
        for character, escape in JSON_SCRIPT_ESCAPES:
            text = text.replace(character, escape)
        return mark_safe(text)  # noqa: S308 — it holds no <, > or & any more

    @property
    def dom_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def has_suppressed(self) -> bool:
        return any(is_suppressed(cell) for row in self.rows for cell in row)

    @property
    def suppression_legend(self) -> str:
        return legend() if self.has_suppressed else ""

    def export_header(self) -> list[str]:
        """The download's columns: the table's, and when a figure is suppressed one more that
        names the row's suppressed columns (their cells are empty)."""
        extra = [column_label()] if self.has_suppressed else []
        return [str(label) for label in self.columns] + extra

    def export_rows(self) -> list[list[Any]]:
        """The table's rows as downloaded: a suppressed figure has no value, only its flag."""
        if not self.has_suppressed:
            return self.rows
        return [
            [None if is_suppressed(cell) else cell for cell in row]
            + [", ".join(str(self.columns[i]) for i, c in enumerate(row) if is_suppressed(c))]
            for row in self.rows
        ]

    def csv(self) -> str:
        # Text a spreadsheet would run as a formula is neutralised (ketenportaal.exports).
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([safe_value(label) for label in self.export_header()])
        for row in self.export_rows():
            writer.writerow(["" if cell is None else safe_value(cell) for cell in row])
        return out.getvalue()

    def export_columns(self) -> list[Column]:
        """The download's columns for ketenportaal.exports (the XLSX download, of
        `export_rows`)."""
        return [Column(label, itemgetter(i)) for i, label in enumerate(self.export_header())]


def _text(value: Any) -> str:
    """A value as the template language shows it: localised, then escaped (the same five
    characters as `django.utils.html.escape`, without its lazy-string wrapper per call)."""
    return html.escape(str(localize(value)))


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


#: How an incomplete period is drawn: the series' colour, lighter and hatched (bars) or dotted
#: with open markers (lines), with one legend entry "onvolledig".
INCOMPLETE_PATTERN = "/"
INCOMPLETE_OPACITY = 0.5


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
    units: Sequence[str] | None = None,
    overlapping: bool = False,
    stock: bool = False,
    series_complete: Sequence[dict[str, bool]] | None = None,
    totals: dict[str, Any] | None = None,
    link: Callable[[int, str], str | None] | None = None,
    notes: dict[str, list[str]] | None = None,
) -> Chart:
    """Bars or lines of several named series over the same periods, and their table.

    `series` holds (name, {period: value}); `complete` says per period whether every figure in
    it covers its whole period: an incomplete period is drawn distinctly, with a legend entry,
    and marked in the table. `units` gives each series its own unit (occupancy in persons,
    capacity in places); `overlapping` series are never added up in the summary (nor are series
    in different units, or several unstacked ones); `stock` says the figures are stands;
    `series_complete` gives each series its own completeness for the drawing (a forecast is not
    incomplete because the realisation of its year is); `totals` the whole of stacked parts per
    period, for the summary where a part is suppressed.
    """
    periods = list(periods)
    incomplete = [p for p in periods if not complete.get(p, True)]
    # Each figure as shown (a number, or the suppressed mark) and its lineage address, worked
    # out once for the drawing, the table and its links alike.
    figures = [{p: shown(values.get(p)) for p in periods} for _name, values in series]
    addresses = [
        {p: link(index, p) for p in periods} if link is not None else {}
        for index in range(len(series))
    ]
    traces = []
    for index, (name, _values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        own = series_complete[index] if series_complete else complete
        partial = [p for p in periods if not own.get(p, True)]
        drawn = {p: None if is_suppressed(v) else v for p, v in figures[index].items()}
        made = _traces(kind, periods, partial, name, drawn, colour)
        if link is not None:
            for trace in made:
                trace["customdata"] = [addresses[index][p] for p in trace["x"]]
        traces += made
    legend = [t for t in traces if t.get("legendgroup") == "incomplete"]
    if legend:
        legend[0]["showlegend"] = True  # one legend entry "onvolledig" for all of them
    columns = [period_label or _("Periode"), *[name for name, _v in series], _("Volledig")]
    rows = [
        [
            p,
            *[figure_of[p] for figure_of in figures],
            _("ja") if complete.get(p, True) else _("nee"),
        ]
        for p in periods
    ]
    links: list[list[str | None]] = [
        [None, *[address.get(p) if figure_of[p] is not None and not is_suppressed(figure_of[p])
                 else None for figure_of, address in zip(figures, addresses, strict=True)], None]
        for p in periods
    ]  # fmt: skip
    axis_units = list(dict.fromkeys(units or [unit]))
    additive = (stacked or len(series) == 1) and not overlapping and len(axis_units) == 1
    layout = _layout(" / ".join(axis_units), stacked=stacked)
    notes = {p: labels for p, labels in (notes or {}).items() if labels and p in periods}
    if notes:
        columns.append(note_column())
        for row, row_links, p in zip(rows, links, periods, strict=True):
            row.append("; ".join(notes.get(p, [])))
            row_links.append(None)
        annotate(layout, notes)
    return Chart(
        slug=slug,
        title=title,
        summary=summarise(
            periods,
            series,
            unit,
            additive=additive,
            complete=complete,
            units=units,
            stock=stock,
            totals=totals,
        ),
        caption=_("%(title)s, in %(unit)s, per periode")
        % {"title": title, "unit": " / ".join(axis_units)},
        columns=columns,
        rows=rows,
        figure=figure(traces, layout),
        incomplete=incomplete,
        links=links,
        has_notes=bool(notes),
    )


def shown(value: Any) -> Any:
    """A figure as its table shows it: `number`, or the suppressed mark."""
    return SUPPRESSED if is_suppressed(value) else number(value)


def _traces(kind, periods, incomplete, name, values, colour) -> list[dict]:
    """A series as plotly traces: its complete periods, and its incomplete ones drawn apart.
    `values`: {period: number or None}, as drawn (a suppressed figure is not)."""
    whole = [None if p in incomplete else values.get(p) for p in periods]
    make = line if kind == "line" else bar
    traces = [make(x=list(periods), y=whole, name=name, color=colour)]
    part = [p for p in incomplete if values.get(p) is not None]
    if not part:
        return traces
    label = _("onvolledig")
    if kind == "line":
        # The dotted part starts at the last complete figure before it, so the line goes on.
        start = periods.index(part[0])
        before = [p for p, y in zip(periods[:start], whole[:start], strict=True) if y is not None]
        xs = before[-1:] + part
        trace = line(x=xs, y=[values.get(p) for p in xs], name=label, color=colour,
                     dash="dot")  # fmt: skip
        trace["marker"] = {"symbol": "circle-open", "size": 9}
    else:
        trace = bar(x=part, y=[values.get(p) for p in part], name=label, color=colour)
        trace["marker"]["pattern"] = {"shape": INCOMPLETE_PATTERN, "fgcolor": "#1a1a1a"}
    trace.update(
        opacity=INCOMPLETE_OPACITY,
        legendgroup="incomplete",
        showlegend=False,
        hovertemplate=f"{name} ({label}): %{{y}}<extra></extra>",
    )
    return [*traces, trace]


def flow_chart(
    *,
    slug: str,
    title: str,
    period: str,
    links: list[tuple[str, str, Any, str]],
    note: str = "",
    complete: bool = True,
    urls: Sequence[str | None] | None = None,
    notes: Sequence[str] = (),
) -> Chart:
    """A Sankey diagram (SVG) of flows in one period, and its table. Each link is (from, to,
    value, unit); `note` says plainly what the diagram compares, and an incomplete period is
    said to be so. `urls` gives each link's lineage address (table cell and `customdata`),
    `notes` the duiding of the period (drawn above the diagram, a column of the table). A
    suppressed flow is left out of the diagram and marked in the table."""
    urls = list(urls) if urls is not None else [None] * len(links)
    paired = list(zip(links, urls, strict=True))
    hidden = [(a, b, SUPPRESSED, unit) for (a, b, v, unit), _url in paired if is_suppressed(v)]
    kept = [(link, url) for link, url in paired if link[2] and not is_suppressed(link[2])]
    links = [(a, b, number(v), unit) for (a, b, v, unit), _url in kept]
    urls = [url for _link, url in kept]
    labels: list[str] = []
    for source, target, _v, _u in links:
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
            "source": [labels.index(a) for a, _b, _v, _u in links],
            "target": [labels.index(b) for _a, b, _v, _u in links],
            "value": [v for _a, _b, v, _u in links],
            "customdata": urls,
        },
    }
    layout: dict[str, Any] = {
        "height": 380,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 13},
    }
    columns = [_("Van"), _("Naar"), _("Aantal"), _("Eenheid")]
    rows: list[list[Any]] = [[a, b, v, unit] for a, b, v, unit in [*links, *hidden]]
    cell_links: list[list[str | None]] = [
        [None, None, url, None] for url in [*urls, *(None for _hidden in hidden)]
    ]
    if notes:
        text = "; ".join(notes)
        layout["annotations"] = [
            annotation(text, 2 * NOTE_SHOWN, x=0, xref="paper", xanchor="left")
        ]
        layout["margin"]["t"] = 44
        columns.append(note_column())
        for row, row_links in zip(rows, cell_links, strict=True):
            row.append(text)
            row_links.append(None)
    shown = period if complete else _("%(period)s (onvolledig)") % {"period": period}
    if links:
        biggest = max(links, key=lambda link: link[2])
        summary = _(
            "In %(period)s was de grootste stroom %(from)s → %(to)s: %(value)s %(unit)s."
        ) % {
            "period": shown,
            "from": biggest[0],
            "to": biggest[1],
            "value": fmt(biggest[2]),
            "unit": biggest[3],
        }
    else:
        summary = _("Er zijn voor %(period)s geen goedgekeurde stroomcijfers.") % {"period": shown}
    if not complete:
        summary += " " + _("Dit kwartaal is nog onvolledig: niet alle maanden zijn aangeleverd.")
    if note:
        summary += " " + note
    return Chart(
        slug=slug,
        title=title,
        summary=summary,
        caption=_("Stromen door de keten in %(period)s") % {"period": shown},
        columns=columns,
        rows=rows,
        figure=figure([trace], layout),
        links=cell_links,
        has_notes=bool(notes),
    )


def table_chart(
    *, slug: str, title: str, summary: str, caption: str, columns: list[str], rows: list[list[Any]],
    traces: list[dict], layout: dict, links: list[list[str | None]] | None = None,
) -> Chart:  # fmt: skip
    return Chart(slug=slug, title=title, summary=summary, caption=caption, columns=columns,
                 rows=rows, figure=figure(traces, layout), links=links or [])  # fmt: skip


def layout(unit: str = "", *, stacked: bool = False, date_axis: bool = False) -> dict:
    result = _layout(unit, stacked=stacked)
    if date_axis:
        result["xaxis"] = {"type": "date"}
    return result
