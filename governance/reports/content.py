"""What a progress report says for a reporting moment, as plain JSON-ready data.

Everything is computed as of the moment's date ("peildatum"): recommendation statuses from their
history (django-simple-history) at the end of that day, or now if that day has not ended;
milestones by their dates (`completed_on`, `due_date`). Compared with the previous moment, the
report shows what changed: status changes, milestones completed since, milestones that became
overdue since, decisions taken since, and the trend of the key figures.

The queries are a fixed number per report, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import rag
from actions.models import MilestoneStatus, ProgressUpdate
from actions.progress import Counts, Progress
from dashboards.annotations.notes import Notes, notes_as_of
from dashboards.models import Indicator, Release
from dashboards.rebuild import series
from governance.models import (
    ActionPerspective,
    Board,
    DecisionStatus,
    RecommendationStatus,
    Theme,
)
from governance.models.reports import ReportingMoment
from ketenportaal.periods import QUARTER, Period

from .deliveries import delivery_section
from .figures import quarter_rows, release_quarter_rows
from .state import ChainState, state_at, structure

STATUS_LABELS = {code: str(label) for code, label in RecommendationStatus.choices}
MILESTONE_LABELS = {code: str(label) for code, label in MilestoneStatus.choices}
DECISION_LABELS = {code: str(label) for code, label in DecisionStatus.choices}


def end_of_day(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.max))


def build_report_data(
    moment: ReportingMoment,
    *,
    now: datetime.datetime | None = None,
    release: Release | None = None,
) -> dict[str, Any]:
    """The report's content for `moment`, compared with the moment before it. Every section
    reads one reconstruction of the state at the moment (`state.state_at`); the key figures
    come from `release` when the report cites one."""
    now = now or timezone.now()
    previous = moment.previous()
    cutoff = min(now, end_of_day(moment.date))
    since = previous.date if previous else None
    fixed = structure()
    chain = state_at(cutoff, fixed)
    before = state_at(min(now, end_of_day(previous.date)), fixed) if previous else None

    recommendations = recommendation_rows(chain, before)
    completed = completed_milestones(chain, before)
    overdue = overdue_milestones(chain, moment.date, since)
    decisions = decisions_taken(chain, moment.date, since)
    figures = key_figures(moment.date, since, cutoff, release=release)
    counted = chain.progress()
    themes = theme_tree(recommendations, counted)

    status_counts = Counter(row["status"] for row in recommendations)
    changed = [row for row in recommendations if row["changed"]]
    return {
        "moment": {"id": moment.pk, "title": moment.title, "date": moment.date.isoformat()},
        "previous": (
            {"id": previous.pk, "title": previous.title, "date": previous.date.isoformat()}
            if previous
            else None
        ),
        "as_of": timezone.localtime(cutoff).isoformat(timespec="seconds"),
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "summary": {
            "recommendations": len(recommendations),
            "by_status": [
                {"status": code, "label": label, "count": status_counts.get(code, 0)}
                for code, label in STATUS_LABELS.items()
            ],
            "status_changes": len(changed),
            "milestones": counted.chain.total,
            "milestones_done": counted.chain.n_done,
            "milestones_completed": len(completed),
            "milestones_overdue": len(overdue),
            "milestones_newly_overdue": sum(1 for row in overdue if row["new"]),
            "decisions": len(decisions),
        },
        "themes": themes,
        "changes": changed,
        "completed": completed,
        "overdue": overdue,
        "decisions": decisions,
        "figures": figures,
        "figures_built_at": _figures_built_at(release),
        "release": release_citation(release),
        "deliveries": delivery_section(moment.date, cutoff),
    }


def release_citation(release: Release | None) -> dict[str, Any] | None:
    """What a report or pack says of the release it cites ("Cijfers: release …")."""
    if release is None:
        return None
    return {
        "id": release.pk,
        "name": release.name,
        "frozen_at": timezone.localtime(release.frozen_at).isoformat(timespec="seconds"),
    }


def _figures_built_at(release: Release | None = None) -> str | None:
    built = series.built_at(release=release)
    return timezone.localtime(built).isoformat(timespec="seconds") if built else None


def recommendation_rows(chain: ChainState, before: ChainState | None) -> list[dict[str, Any]]:
    """Each recommendation that existed at the moment, with its status then and at the previous
    moment, and its milestones (not cancelled) and how many of them were done, all as recorded
    at the moment."""
    owners = chain.owners
    totals: Counter[int] = Counter()
    done: Counter[int] = Counter()
    for milestone in chain.milestones.values():
        if milestone["status"] == MilestoneStatus.CANCELLED:
            continue
        for recommendation_id in chain.links.action_recommendations.get(milestone["action_id"], ()):
            totals[recommendation_id] += 1
            if milestone["status"] == MilestoneStatus.DONE:
                done[recommendation_id] += 1

    rows = []
    for pk, rec in sorted(chain.recommendations.items(), key=lambda item: item[1]["code"]):
        earlier = before.recommendations.get(pk) if before is not None else None
        previous_status = earlier["status"] if earlier is not None else None
        rows.append(
            {
                "id": pk,
                "code": rec["code"],
                "text": rec["text"],
                "perspective_id": rec["perspective_id"],
                "owner": owners.get(rec["owner_id"], ""),
                "status": rec["status"],
                "status_label": STATUS_LABELS.get(rec["status"], rec["status"]),
                "previous_status": previous_status,
                "previous_status_label": (
                    STATUS_LABELS.get(previous_status, previous_status) if previous_status else None
                ),
                # Compared with the previous moment: a new recommendation is not a status change.
                "new": before is not None and previous_status is None,
                "changed": previous_status is not None and previous_status != rec["status"],
                "milestones": totals[pk],
                "milestones_done": done[pk],
            }
        )
    return rows


def theme_tree(recommendations: list[dict[str, Any]], counted: Progress) -> list[dict[str, Any]]:
    """Theme → perspective → recommendations; perspective 3 appears under both its themes. The
    milestone counts are the overview's (`actions.progress`): each milestone once per theme,
    follow-up actions of decisions included."""
    by_perspective: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in recommendations:
        by_perspective[row["perspective_id"]].append(row)
    perspectives = list(ActionPerspective.objects.prefetch_related("themes").order_by("number"))
    tree = []
    for theme in Theme.objects.order_by("number"):
        theme_perspectives = []
        for perspective in perspectives:
            if theme not in perspective.themes.all():
                continue
            rows = by_perspective.get(perspective.pk, [])
            theme_perspectives.append(
                {
                    "number": perspective.number,
                    "title": perspective.title,
                    "recommendations": rows,
                    **_counts(rows, counted.perspectives.get(perspective.pk, Counts())),
                }
            )
        all_rows = [r for p in theme_perspectives for r in p["recommendations"]]
        tree.append(
            {
                "number": theme.number,
                "title": theme.title,
                "perspectives": theme_perspectives,
                **_counts(all_rows, counted.themes.get(theme.pk, Counts())),
            }
        )
    return tree


def _counts(rows: list[dict[str, Any]], counted: Counts) -> dict[str, Any]:
    counts = Counter(row["status"] for row in rows)
    return {
        "n_recommendations": counted.n_recommendations,
        "n_implemented": counts.get(RecommendationStatus.IMPLEMENTED, 0),
        "n_in_progress": counts.get(RecommendationStatus.IN_PROGRESS, 0),
        "n_open": counts.get(RecommendationStatus.OPEN, 0),
        "n_not_adopted": counts.get(RecommendationStatus.NOT_ADOPTED, 0),
        "milestones": counted.total,
        "milestones_done": counted.n_done,
        "percent_done": counted.percent_done,
    }


def _milestone_row(chain: ChainState, pk: int, milestone: dict[str, Any]) -> dict[str, Any]:
    action = chain.actions.get(milestone["action_id"], {})
    completed_on = milestone["completed_on"]
    return {
        "id": pk,
        "title": milestone["title"],
        "action": action.get("title", ""),
        "owner": chain.owners.get(action.get("owner_id", 0), ""),
        "due_date": milestone["due_date"].isoformat(),
        "completed_on": completed_on.isoformat() if completed_on else None,
        "status": milestone["status"],
        "status_label": MILESTONE_LABELS.get(milestone["status"], milestone["status"]),
        "percent_complete": milestone["percent_complete"],
        "done_late": rag.is_done_late(milestone),
    }


def completed_milestones(chain: ChainState, before: ChainState | None) -> list[dict[str, Any]]:
    """Milestones done at the moment that were not done at the previous one (all done ones for
    the first moment)."""
    rows = []
    for pk, milestone in chain.milestones.items():
        if milestone["status"] != MilestoneStatus.DONE:
            continue
        earlier = before.milestones.get(pk) if before is not None else None
        if earlier is not None and earlier["status"] == MilestoneStatus.DONE:
            continue
        rows.append(_milestone_row(chain, pk, milestone))
    return sorted(rows, key=lambda row: (row["completed_on"] or row["due_date"], row["id"]))


def overdue_milestones(
    chain: ChainState, date: datetime.date, since: datetime.date | None
) -> list[dict[str, Any]]:
    """Milestones past their deadline on `date` and not done then, as recorded then, with the
    reason given: the risk explanation recorded then, else the latest progress report up to
    `date`."""
    open_statuses = {MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS}
    late = {
        pk: m
        for pk, m in chain.milestones.items()
        if m["status"] in open_statuses and m["due_date"] < date
    }
    latest_text: dict[int, str] = {}
    for milestone_id, text in (
        ProgressUpdate.objects.filter(milestone_id__in=late, date__lte=date)
        .order_by("milestone_id", "-date", "-created_at")
        .values_list("milestone_id", "text")
    ):
        latest_text.setdefault(milestone_id, text)
    rows = []
    for pk, milestone in sorted(late.items(), key=lambda item: (item[1]["due_date"], item[0])):
        row = _milestone_row(chain, pk, milestone)
        if milestone["at_risk"] and milestone["risk_reason"]:
            reason = milestone["risk_reason"]
        else:
            reason = latest_text.get(pk, "")
        row["reason"] = reason
        row["days_overdue"] = (date - milestone["due_date"]).days
        row["new"] = since is None or milestone["due_date"] >= since
        rows.append(row)
    return rows


def decisions_taken(
    chain: ChainState, date: datetime.date, since: datetime.date | None
) -> list[dict[str, Any]]:
    """Decisions of the boards dated after the previous moment, up to `date`, that were taken
    (not mere proposals), with their status as recorded at the moment, so a later withdrawal
    does not rewrite this report."""
    boards = dict(Board.objects.values_list("id", "code"))
    rows = []
    for decision in sorted(chain.decisions.values(), key=lambda d: (d["date"], d["id"])):
        if decision["date"] > date or (since is not None and decision["date"] <= since):
            continue
        if decision["status"] == DecisionStatus.PROPOSED:
            continue
        rows.append(
            {
                "number": decision["number"],
                "title": decision["title"],
                "board": boards.get(decision["board_id"], ""),
                "date": decision["date"].isoformat(),
                "status": decision["status"],
                "status_label": DECISION_LABELS.get(decision["status"], decision["status"]),
            }
        )
    return rows


TREND_LABELS = {"up": _("stijgend"), "down": _("dalend"), "flat": _("gelijk"), "none": "—"}


def key_figures(
    date: datetime.date,
    since: datetime.date | None,
    cutoff: datetime.datetime,
    *,
    release: Release | None = None,
) -> list[dict[str, Any]]:
    """The chain's key figures: per indicator (not forecasts) the chain-wide value of the last
    quarter that ended by `date`, the quarter before it with the trend, and the value that was
    the latest at the previous moment; all as the figures were current at `cutoff` (the
    uploads approved by then: `figures.quarter_rows`), or as `release` froze them; each with
    the duiding of its quarters as it stood at `cutoff` (`notes`). Three queries for all
    indicators (four with a release)."""
    indicators = list(Indicator.objects.active().filter(is_forecast=False).order_by("code"))
    first_year = min(date, since or date).year - 1
    start = datetime.date(first_year, 1, 1)
    rows: list[dict[str, Any]] = (
        [
            dict(row)
            for row in release_quarter_rows(
                indicators=indicators, release=release, start=start, end=date
            )
        ]
        if release is not None
        else quarter_rows(indicators=indicators, cutoff=cutoff, start=start, end=date)
    )
    by_indicator: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if Period.of(row["period_start"], QUARTER).end <= date:
            by_indicator[row["indicator_id"]].append(row)
    notes = notes_as_of(indicators, cutoff)
    figures = []
    for indicator in indicators:
        points = by_indicator.get(indicator.pk, [])
        if not points:
            continue
        latest = points[-1]
        before = points[-2] if len(points) > 1 else None
        at_previous = (
            [p for p in points if Period.of(p["period_start"], QUARTER).end <= since]
            if since
            else []
        )
        value = Decimal(latest["value"])
        previous_value = Decimal(before["value"]) if before else None
        if previous_value is None:
            trend, change = "none", None
        else:
            trend = "up" if value > previous_value else "down" if value < previous_value else "flat"
            change = (
                float(round((value - previous_value) / previous_value * 100, 1))
                if previous_value
                else None
            )
        figures.append(
            {
                "indicator": indicator.code,
                "label": indicator.display_label,
                "unit": indicator.unit,
                "period": latest["period"],
                "complete": bool(latest["all_complete"]),
                "value": float(value),
                "previous_period": before["period"] if before else None,
                "previous_value": float(previous_value) if previous_value is not None else None,
                "trend": trend,
                "trend_label": str(TREND_LABELS[trend]),
                "change_percent": change,
                "moment_period": at_previous[-1]["period"] if at_previous else None,
                "moment_value": float(at_previous[-1]["value"]) if at_previous else None,
                "notes": _notes(
                    notes, indicator.pk, [latest["period"], before["period"] if before else None]
                ),
            }
        )
    return figures


def _notes(notes: Notes, indicator_id: int, periods: list[str | None]) -> list[dict[str, str]]:
    """The duiding of a key figure: the annotations (as they stood at the cutoff) of its
    quarter and of the quarter it is compared with, each once."""
    found: dict[tuple, dict[str, str]] = {}
    for period in periods:
        for note in notes.about(indicator_id, period) if period else []:
            found.setdefault(
                (note.period, note.text, note.organisation),
                {"period": note.period, "text": note.text, "organisation": note.organisation},
            )
    return list(found.values())
