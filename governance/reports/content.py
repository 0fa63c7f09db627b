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

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Milestone, MilestoneStatus, ProgressUpdate
from dashboards.models import Frequency, Indicator
from dashboards.rebuild import series
from governance.models import (
    ActionPerspective,
    Decision,
    DecisionStatus,
    Organisation,
    Recommendation,
    RecommendationStatus,
    Theme,
)
from governance.models.reports import ReportingMoment
from ketenportaal.periods import QUARTER, Period

STATUS_LABELS = {code: str(label) for code, label in RecommendationStatus.choices}
MILESTONE_LABELS = {code: str(label) for code, label in MilestoneStatus.choices}
DECISION_LABELS = {code: str(label) for code, label in DecisionStatus.choices}


def end_of_day(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.max))


def build_report_data(
    moment: ReportingMoment, *, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The report's content for `moment`, compared with the moment before it."""
    now = now or timezone.now()
    previous = moment.previous()
    cutoff = min(now, end_of_day(moment.date))
    since = previous.date if previous else None

    recommendations = recommendation_rows(moment.date, cutoff, previous)
    completed = completed_milestones(moment.date, since)
    overdue = overdue_milestones(moment.date, since)
    decisions = decisions_taken(moment.date, since)
    figures = key_figures(moment.date, since)
    themes = theme_tree(recommendations)

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
        "figures_built_at": _figures_built_at(),
    }


def _figures_built_at() -> str | None:
    built = series.built_at()
    return timezone.localtime(built).isoformat(timespec="seconds") if built else None


def _statuses_as_of(when: datetime.datetime) -> dict[int, str]:
    return dict(Recommendation.history.as_of(when).values_list("id", "status"))


def recommendation_rows(
    date: datetime.date, cutoff: datetime.datetime, previous: ReportingMoment | None
) -> list[dict[str, Any]]:
    """Each recommendation that existed at `cutoff`, with its status then and at the previous
    moment, and its milestones (not cancelled) and how many were done by `date`."""
    snapshot = list(
        Recommendation.history.as_of(cutoff).values(
            "id", "code", "text", "status", "perspective_id", "owner_id"
        )
    )
    before = _statuses_as_of(end_of_day(previous.date)) if previous else {}
    owners = dict(Organisation.objects.values_list("id", "code"))
    totals: Counter[int] = Counter()
    done: Counter[int] = Counter()
    for recommendation_id, status, completed_on in (
        Milestone.objects.exclude(status=MilestoneStatus.CANCELLED)
        .filter(action__recommendations__isnull=False)
        .values_list("action__recommendations", "status", "completed_on")
    ):
        totals[recommendation_id] += 1
        if status == MilestoneStatus.DONE and completed_on and completed_on <= date:
            done[recommendation_id] += 1

    rows = []
    for rec in sorted(snapshot, key=lambda r: r["code"]):
        previous_status = before.get(rec["id"])
        rows.append(
            {
                "id": rec["id"],
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
                "new": previous is not None and previous_status is None,
                "changed": previous_status is not None and previous_status != rec["status"],
                "milestones": totals[rec["id"]],
                "milestones_done": done[rec["id"]],
            }
        )
    return rows


def theme_tree(recommendations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Theme → perspective → recommendations; perspective 3 appears under both its themes."""
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
                    **_counts(rows),
                }
            )
        all_rows = [r for p in theme_perspectives for r in p["recommendations"]]
        tree.append(
            {
                "number": theme.number,
                "title": theme.title,
                "perspectives": theme_perspectives,
                **_counts(all_rows),
            }
        )
    return tree


def _counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(row["status"] for row in rows)
    milestones = sum(row["milestones"] for row in rows)
    done = sum(row["milestones_done"] for row in rows)
    return {
        "n_recommendations": len(rows),
        "n_implemented": counts.get(RecommendationStatus.IMPLEMENTED, 0),
        "n_in_progress": counts.get(RecommendationStatus.IN_PROGRESS, 0),
        "n_open": counts.get(RecommendationStatus.OPEN, 0),
        "n_not_adopted": counts.get(RecommendationStatus.NOT_ADOPTED, 0),
        "milestones": milestones,
        "milestones_done": done,
        "percent_done": round(100 * done / milestones) if milestones else 0,
    }


def _milestone_row(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "action": milestone.action.title,
        "owner": milestone.action.owner.code,
        "due_date": milestone.due_date.isoformat(),
        "completed_on": milestone.completed_on.isoformat() if milestone.completed_on else None,
        "status": milestone.status,
        "status_label": MILESTONE_LABELS.get(milestone.status, milestone.status),
        "percent_complete": milestone.percent_complete,
    }


def completed_milestones(date: datetime.date, since: datetime.date | None) -> list[dict[str, Any]]:
    """Milestones completed after the previous moment's date, up to and including `date`."""
    qs = Milestone.objects.filter(status=MilestoneStatus.DONE, completed_on__lte=date)
    if since is not None:
        qs = qs.filter(completed_on__gt=since)
    qs = qs.select_related("action__owner").order_by("completed_on", "pk")
    return [_milestone_row(m) for m in qs]


def overdue_milestones(date: datetime.date, since: datetime.date | None) -> list[dict[str, Any]]:
    """Milestones past their deadline on `date` and not done by then, with the reason given:
    the risk explanation, else the latest progress report up to `date`."""
    latest_update = ProgressUpdate.objects.filter(
        milestone=OuterRef("pk"), date__lte=date
    ).order_by("-date", "-created_at")
    qs = (
        Milestone.objects.filter(due_date__lt=date)
        .exclude(status=MilestoneStatus.CANCELLED)
        .filter(
            Q(status__in=[MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS])
            | Q(status=MilestoneStatus.DONE, completed_on__gt=date)
        )
        .annotate(
            latest_text=Subquery(latest_update.values("text")[:1]),
            latest_date=Subquery(latest_update.values("date")[:1]),
        )
        .select_related("action__owner")
        .order_by("due_date", "pk")
    )
    rows = []
    for milestone in qs:
        row = _milestone_row(milestone)
        if milestone.status == MilestoneStatus.DONE:
            # Done after the moment: on the moment's date it was still open.
            row["status"] = MilestoneStatus.IN_PROGRESS.value
            row["status_label"] = MILESTONE_LABELS[MilestoneStatus.IN_PROGRESS]
        if milestone.risk_reason and milestone.status != MilestoneStatus.DONE:
            reason = milestone.risk_reason
        elif milestone.latest_text:
            reason = milestone.latest_text
        else:
            reason = ""
        row["reason"] = reason
        row["days_overdue"] = (date - milestone.due_date).days
        row["new"] = since is None or milestone.due_date >= since
        rows.append(row)
    return rows


def decisions_taken(date: datetime.date, since: datetime.date | None) -> list[dict[str, Any]]:
    """Decisions of the boards dated after the previous moment, up to `date`, that were taken
    (not mere proposals); the status shown is the decision's status as of `date`, from its
    history, so a later withdrawal does not rewrite this report."""
    qs = Decision.objects.filter(date__lte=date).select_related("board").order_by("date", "pk")
    if since is not None:
        qs = qs.filter(date__gt=since)
    decisions = list(qs)
    status_then = dict(
        Decision.history.as_of(end_of_day(date))
        .filter(id__in=[d.pk for d in decisions])
        .values_list("id", "status")
    )
    rows = []
    for decision in decisions:
        status = status_then.get(decision.pk, decision.status)
        if status == DecisionStatus.PROPOSED:
            continue
        rows.append(
            {
                "number": decision.number,
                "title": decision.title,
                "board": decision.board.code,
                "date": decision.date.isoformat(),
                "status": status,
                "status_label": DECISION_LABELS.get(status, status),
            }
        )
    return rows


TREND_LABELS = {"up": _("stijgend"), "down": _("dalend"), "flat": _("gelijk"), "none": "—"}


def key_figures(date: datetime.date, since: datetime.date | None) -> list[dict[str, Any]]:
    """The chain's key figures: per indicator (not forecasts) the chain-wide value of the last
    quarter that ended by `date`, the quarter before it with the trend, and the value that was
    the latest at the previous moment. Read from the dashboard tables (the current build: the
    figures as approved when the report is made), two queries for all indicators."""
    indicators = list(Indicator.objects.active().filter(is_forecast=False).order_by("code"))
    rows = series.point_rows(
        indicators=indicators, frequency=Frequency.QUARTER, dimension_keys=[""], end=date
    )
    by_indicator: dict[int, list[series.PointRow]] = defaultdict(list)
    for row in rows:
        if Period.of(row["period_start"], QUARTER).end <= date:
            by_indicator[row["indicator_id"]].append(row)
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
                "label": indicator.label,
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
            }
        )
    return figures
