""" "Datakwaliteit": per organisation and quarter, how timely and how complete the deliveries were.

Both come from the one delivery rule (`dashboards.uploads.deliveries`), per indicator: timeliness
from the uploads' history against the indicator's own deadline, completeness from the current
figures. A running quarter is not due yet; its figures are not counted as late or as missing.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.consistency.checks import as_seen_by, evaluate_all
from dashboards.consistency.services import consistency_version
from dashboards.models import ConsistencyRule
from dashboards.rebuild import series
from dashboards.suppression.marks import SUPPRESSED
from dashboards.uploads import deliveries
from governance.models import Organisation
from ketenportaal.periods import QUARTER, Period, recent

from . import charts
from .base import DASHBOARD_TEMPLATE, lineage_link, render_dashboard
from .filters import DashboardFilterForm

#: Quarters shown when the filter gives no years: the running one and the seven before it.
RECENT_QUARTERS = 8
TIMELINESS = [
    (deliveries.ON_TIME, "#39870c"),
    (deliveries.LATE, "#a90061"),
    (deliveries.MISSING, "#e17000"),
]


def quarters_between(
    start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> list[Period]:
    """The quarters of the chosen years (up to the running one), or the most recent ones."""
    if start is None and end is None:
        return recent(QUARTER, today, RECENT_QUARTERS)
    last = Period.of(min(end or today, today), QUARTER)
    first = Period.of(start, QUARTER) if start else last.shifted(1 - RECENT_QUARTERS)
    quarters = []
    while first <= last:
        quarters.append(first)
        first = first.next()
    return quarters


def figures(
    *,
    chosen: Organisation | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
    viewer=None,
) -> dict[str, Any]:
    """Two charts with their tables: timeliness and completeness per organisation and quarter;
    and the consistency rules' latest findings as `viewer` may see them."""
    today = today or timezone.localdate()
    quarters = quarters_between(start, end, today)
    owners = [chosen] if chosen else list(Organisation.objects.order_by("code"))
    indicators = deliveries.indicators_owned_by(owners)
    found = deliveries.deliveries(indicators=indicators, quarters=quarters, today=today)
    codes = {i.owner_id: i.owner.code for i in indicators}
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for delivery in found:
        key = (codes[delivery.organisation_id], delivery.in_quarter.canonical)
        counts[key][delivery.status] += 1
        counts[key]["complete"] += delivery.complete
        counts[key]["indicators"] += 1
    organisations = sorted({code for code, _q in counts})
    labels = [_quarter_label(q, today) for q in quarters]
    return {
        "charts": [
            _timeliness(organisations, quarters, labels, counts),
            _completeness(organisations, quarters, labels, counts, today),
            *_consistency(viewer),
        ],
        "built_at": series.built_at(),
    }


def _quarter_label(quarter: Period, today: datetime.date) -> str:
    if quarter.has_ended(today):
        return quarter.canonical
    return _("%(quarter)s (lopend)") % {"quarter": quarter.canonical}


def _timeliness(organisations, quarters, labels, counts) -> charts.Chart:
    totals = {
        status: [sum(counts[(o, q.canonical)][status] for o in organisations) for q in quarters]
        for status, _colour in TIMELINESS
    }
    traces = [
        charts.bar(x=labels, y=totals[status], name=str(deliveries.STATUS_LABELS[status]),
                   color=colour)
        for status, colour in TIMELINESS
    ]  # fmt: skip
    due = sum(sum(values) for values in totals.values())
    on_time, late, missing = (sum(totals[s]) for s, _c in TIMELINESS)
    rows = []
    for organisation in organisations:
        for quarter, label in zip(quarters, labels, strict=True):
            c = counts[(organisation, quarter.canonical)]
            if not c["indicators"]:
                continue
            rows.append(
                [organisation, label, c[deliveries.ON_TIME], c[deliveries.LATE],
                 c[deliveries.MISSING], c[deliveries.NOT_DUE]]
            )  # fmt: skip
    summary = (
        _(
            "Van de %(due)s aanleveringen (indicator per kwartaal) die verschuldigd waren, kwamen "
            "%(on_time)s op tijd, %(late)s te laat en ontbreken er %(missing)s."
        )
        % {"due": due, "on_time": on_time, "late": late, "missing": missing}
        if due
        else _("Er waren in deze kwartalen nog geen aanleveringen verschuldigd.")
    )
    return charts.table_chart(
        slug="tijdigheid",
        title=_("Tijdigheid van de aanleveringen per kwartaal"),
        summary=summary,
        caption=_("Aanleveringen per organisatie en kwartaal, naar tijdigheid (per indicator)"),
        columns=[_("Organisatie"), _("Kwartaal"), _("Op tijd"), _("Te laat"), _("Ontbreekt"),
                 _("Nog niet verschuldigd")],
        rows=rows,
        traces=traces,
        layout=charts.layout(_("aanleveringen"), stacked=True),
    )  # fmt: skip


def _completeness(organisations, quarters, labels, counts, today) -> charts.Chart:
    rows, traces = [], []
    for n, organisation in enumerate(organisations):
        percents = []
        for quarter, label in zip(quarters, labels, strict=True):
            c = counts[(organisation, quarter.canonical)]
            percent = round(100 * c["complete"] / c["indicators"]) if c["indicators"] else None
            percents.append(percent)
            if c["indicators"]:
                rows.append([organisation, label, c["complete"], c["indicators"], percent])
        traces.append(
            charts.bar(x=labels, y=percents, name=organisation,
                       color=charts.PALETTE[n % len(charts.PALETTE)])
        )  # fmt: skip
    last = next((q for q in reversed(quarters) if q.has_ended(today)), None)
    if last is not None:
        complete = sum(counts[(o, last.canonical)]["complete"] for o in organisations)
        expected = sum(counts[(o, last.canonical)]["indicators"] for o in organisations)
        summary = _(
            "In %(quarter)s, het laatste afgesloten kwartaal, zijn %(complete)s van de "
            "%(expected)s kwartaalcijfers (indicator per organisatie) volledig."
        ) % {"quarter": last.canonical, "complete": complete, "expected": expected}
    else:
        summary = _("In deze periode is nog geen kwartaal afgesloten.")
    layout = charts.layout("%")
    layout["yaxis"]["range"] = [0, 105]
    return charts.table_chart(
        slug="volledigheid",
        title=_("Volledigheid van de cijfers per kwartaal"),
        summary=summary,
        caption=_(
            "Indicatoren met alle maanden of het kwartaalcijfer, per organisatie en kwartaal"
        ),
        columns=[_("Organisatie"), _("Kwartaal"), _("Volledig"), _("Verwacht"), _("% volledig")],
        rows=rows,
        traces=traces,
        layout=layout,
    )


@login_required
def view(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(
            chosen=form.values.get("organisation"),
            start=start,
            end=end,
            today=today,
            viewer=request.user,
        )

    context = {
        "title": _("Datakwaliteit"),
        "intro": _(
            "Hoe tijdig en hoe volledig elke organisatie haar cijfers per kwartaal aanlevert: per "
            "indicator, tegen de termijn van die indicator. Een lopend kwartaal is nog niet "
            "verschuldigd."
        ),
        "form": form,
        "page": "quality",
        # Statuses move with the calendar (a term passes), not only with a rebuild; the
        # consistency rules with their edits.
        "cache_extra": f"{today.isoformat()}-{consistency_version()}",
    }
    return render_dashboard(request, DASHBOARD_TEMPLATE, context, build=build)


def _consistency(viewer) -> list[charts.Chart]:
    """Chain consistency (issue 12): per active rule its latest judged quarter, with the figures
    on both sides; the rules' page shows every quarter."""
    rows, names, ratios, colours = [], [], [], []
    links: list[list[str | None]] = []
    outside = 0
    rules = list(ConsistencyRule.objects.filter(active=True).select_related("left", "right"))
    found = as_seen_by(evaluate_all(rules), viewer)
    for rule in rules:
        judged = [f for f in found[rule.pk] if f.ratio is not None or f.suppressed]
        if not judged:
            continue
        last = judged[-1]
        ratio = last.ratio
        outside += last.outside
        band = " ".join(
            part
            for part in (
                f"≥ {rule.low.normalize()}" if rule.low is not None else "",
                f"≤ {rule.high.normalize()}" if rule.high is not None else "",
            )
            if part
        )
        verdict = _("buiten de grenzen") if last.outside else _("binnen de grenzen")
        if last.suppressed:
            # Small-number suppression: the verdict only, no figure and no ratio.
            rows.append([rule.display_name, last.period, SUPPRESSED, SUPPRESSED, SUPPRESSED, band,
                         verdict])  # fmt: skip
        else:
            assert ratio is not None and last.left is not None
            rows.append(
                [rule.display_name, last.period, f"{rule.left.display_label}: {last.left.normalize():f}",
                 f"{rule.right.display_label}: {last.right.normalize():f}" if last.right is not None else "",
                 f"{ratio.normalize():f}", band, verdict]
            )  # fmt: skip
        # Each side opens its lineage (not a suppressed one); the right side only when it is
        # one quarter's figure (a window of lags compares with a mean of several).
        left_link = right_link = None
        if not last.suppressed:
            left_link = lineage_link(rule.left, QUARTER, dimension_key=rule.left_key)(last.period)
            if last.right_period and last.right is not None:
                right_link = lineage_link(rule.right, QUARTER, dimension_key=rule.right_key)(
                    last.right_period
                )
        links.append([None, None, left_link, right_link, None, None, None])
        names.append(rule.display_name)
        ratios.append(None if ratio is None else float(ratio))
        colours.append("#a90061" if last.outside else "#39870c")
    if not rows:
        return []
    summary = _(
        "Van de %(rules)s regels die de cijfers van ketenpartners met elkaar vergelijken, vallen er "
        "%(outside)s buiten hun grenzen in het laatste beoordeelde kwartaal."
    ) % {"rules": len(rows), "outside": outside}
    trace = {"type": "bar", "x": names, "y": ratios, "marker": {"color": colours},
             "name": _("verhouding links / rechts")}  # fmt: skip
    return [
        charts.table_chart(
            slug="consistentie",
            title=_("Consistentie tussen de ketenpartners"),
            summary=summary,
            caption=_(
                "Per regel het laatste beoordeelde kwartaal, met de cijfers aan beide kanten"
            ),
            columns=[
                _("Regel"),
                _("Kwartaal"),
                _("Links"),
                _("Rechts"),
                _("Verhouding"),
                _("Grenzen"),
                _("Oordeel"),
            ],
            rows=rows,
            traces=[trace],
            layout=charts.layout(_("verhouding")),
            links=links,
        )
    ]
