"""The burn-up of the implementation, built with every rebuild: per day the milestones due and
done, for the chain and per theme, perspective and organisation."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from actions.models import Milestone, MilestoneStatus
from actions.progress import current_links
from dashboards.models import ProgressKind, ProgressPoint


def insert_progress(rebuild_id: int) -> int:
    """Burn-up per day for the chain and per theme, perspective and organisation.

    Milestones number in the hundreds, so their membership of groups is gathered in Python;
    `total` counts the group's milestones that are not cancelled, `due` those due by that day,
    `done` those completed by that day (a done milestone without a date counts from its due date).
    """
    milestones = list(
        Milestone.objects.exclude(status=MilestoneStatus.CANCELLED).values_list(
            "id", "action_id", "action__owner_id", "due_date", "status", "completed_on"
        )
    )
    if not milestones:
        return 0
    # Where each action counts: the one rule of the overview, the tree and the report.
    links = current_links()
    # group → list of (due day, done day or None)
    groups: dict[tuple[str, int], list[tuple[datetime.date, datetime.date | None]]] = defaultdict(
        list
    )
    for _id, action_id, owner_id, due, status, completed in milestones:
        done = (completed or due) if status == MilestoneStatus.DONE else None
        perspectives = links.perspectives_of(action_id)
        themes = links.themes_of(action_id)
        keys = [(ProgressKind.CHAIN, 0), (ProgressKind.ORGANISATION, owner_id)]
        keys += [(ProgressKind.PERSPECTIVE, p) for p in perspectives]
        keys += [(ProgressKind.THEME, t) for t in themes]
        for key in keys:
            groups[key].append((due, done))

    dates = [d for _i, _a, _o, due, _s, completed in milestones for d in (due, completed) if d]
    first = min(dates)
    last = max([*dates, timezone.localdate()])
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    points = []
    for (kind, group_id), items in sorted(groups.items()):
        due_per_day: dict[datetime.date, int] = defaultdict(int)
        done_per_day: dict[datetime.date, int] = defaultdict(int)
        for due, done in items:
            due_per_day[due] += 1
            if done:
                done_per_day[done] += 1
        due_total = done_total = 0
        for day in days:
            due_total += due_per_day.get(day, 0)
            done_total += done_per_day.get(day, 0)
            points.append(
                ProgressPoint(
                    rebuild_id=rebuild_id,
                    kind=kind,
                    group_id=group_id,
                    day=day,
                    total=len(items),
                    due=due_total,
                    done=done_total,
                )
            )
    ProgressPoint.objects.bulk_create(points, batch_size=5000)
    return len(points)
