"""What each user should be told today: one `Draft` per (user, key), computed set-based.

Each collector reads the current state (milestones, deliveries, uploads, follow-up actions,
reporting moments) and names a key that identifies the event, so a collector may run as often as
beat likes: the unique (user, key) of `Notification` keeps each event to one notification. The
key holds what makes an event new: a re-planned milestone (a new due date) is reminded again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Milestone
from dashboards.models import Upload, UploadStatus
from dashboards.uploads import deliveries as delivery_rule
from governance.models import NotificationKind, Organisation, ReportingMoment, Role
from ketenportaal.periods import QUARTER, recent

#: Roles that act for their organisation: they are told about its milestones and deliveries.
ACTING_ROLES = (Role.PARTNER, Role.REGIE)


@dataclass(frozen=True)
class Draft:
    user_id: int
    kind: str
    key: str
    url: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _acting_users(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    """Organisation id → the ids of its active users with an acting role (one query)."""
    users = get_user_model().objects.filter(
        is_active=True,
        membership__organisation_id__in=set(organisation_ids),
        membership__role__in=ACTING_ROLES,
    )
    found: dict[int, list[int]] = defaultdict(list)
    for user_id, organisation_id in users.values_list("pk", "membership__organisation_id"):
        found[organisation_id].append(user_id)
    return found


def _milestone_params(milestone: Milestone) -> dict[str, Any]:
    action = milestone.action
    return {
        "milestone": milestone.title,
        "action": action.title,
        "recommendations": [r.code for r in action.recommendations.all()],
        "owner": action.owner.code,
        "due_date": milestone.due_date.isoformat(),
    }


def milestones(today: datetime.date) -> list[Draft]:
    """Open milestones due within NOTIFY_MILESTONE_DAYS, and those that became overdue within
    NOTIFY_LOOKBACK_DAYS (an old backlog is the home page's work, not a flood of mail)."""
    since = today - datetime.timedelta(days=settings.NOTIFY_LOOKBACK_DAYS)
    lists = (
        (
            NotificationKind.MILESTONE_DUE,
            Milestone.objects.due_within(settings.NOTIFY_MILESTONE_DAYS, today),
        ),
        (
            NotificationKind.MILESTONE_OVERDUE,
            Milestone.objects.overdue(today).filter(due_date__gte=since),
        ),
    )
    found = [
        (kind, m)
        for kind, queryset in lists
        for m in queryset.select_related("action__owner").prefetch_related(
            "action__recommendations"
        )
    ]
    users = _acting_users(m.action.owner_id for _kind, m in found)
    return [
        Draft(
            user_id=user_id,
            kind=kind,
            key=f"{kind}:{m.pk}:{m.due_date.isoformat()}",
            url=reverse("actions:milestone", args=[m.pk]),
            params=_milestone_params(m),
        )
        for kind, m in found
        for user_id in users.get(m.action.owner_id, [])
    ]


def deliveries(today: datetime.date) -> list[Draft]:
    """Quarters whose figures are not delivered: due within NOTIFY_DELIVERY_DAYS, or missing
    (the last three quarters), through the one delivery rule."""
    organisations = Organisation.objects.filter(is_chain_partner=True)
    indicators = delivery_rule.indicators_owned_by(organisations)
    quarters = recent(QUARTER, today, 4)[:-1]  # the ended ones; the running one is not due
    drafts_for: list[tuple[str, delivery_rule.Delivery]] = []
    for delivery in delivery_rule.deliveries(indicators=indicators, quarters=quarters, today=today):
        if delivery.status == delivery_rule.MISSING:
            drafts_for.append((NotificationKind.DELIVERY_MISSING, delivery))
        elif (
            delivery.status == delivery_rule.NOT_DUE
            and delivery.first_delivered_on is None
            and (delivery.due_on - today).days <= settings.NOTIFY_DELIVERY_DAYS
        ):
            drafts_for.append((NotificationKind.DELIVERY_DUE, delivery))
    users = _acting_users(d.organisation_id for _kind, d in drafts_for)
    url = reverse("dashboards:delivery")
    return [
        Draft(
            user_id=user_id,
            kind=kind,
            key=f"{kind}:{d.indicator.code}:{d.quarter}",
            url=url,
            params={
                "indicator": d.indicator.code,
                "indicator_label": d.indicator.label,
                "indicator_label_en": d.indicator.label_en,
                "quarter": d.quarter,
                "due_date": d.due_on.isoformat(),
            },
        )
        for kind, d in drafts_for
        for user_id in users.get(d.organisation_id, [])
    ]


def uploads(now: datetime.datetime) -> list[Draft]:
    """Uploads approved or rejected within NOTIFY_LOOKBACK_DAYS: the person who sent it."""
    since = now - datetime.timedelta(days=settings.NOTIFY_LOOKBACK_DAYS)
    decided = Upload.objects.filter(
        status__in=[UploadStatus.APPROVED, UploadStatus.REJECTED],
        decided_at__gte=since,
        uploaded_by__is_active=True,
    ).select_related("organisation")
    drafts = []
    for upload in decided:
        kind = (
            NotificationKind.UPLOAD_APPROVED
            if upload.status == UploadStatus.APPROVED
            else NotificationKind.UPLOAD_REJECTED
        )
        decided_at = timezone.localtime(upload.decided_at) if upload.decided_at else None
        drafts.append(
            Draft(
                user_id=upload.uploaded_by_id,
                kind=kind,
                key=f"{kind}:{upload.pk}",
                url=reverse("dashboards:upload", args=[upload.pk]),
                params={
                    "file_name": upload.file_name,
                    "organisation": upload.organisation.code,
                    "reason": upload.rejection_reason,
                    "decided_on": decided_at.date().isoformat() if decided_at else "",
                },
            )
        )
    return drafts


def follow_ups(now: datetime.datetime) -> list[Draft]:
    """Follow-up actions assigned by a decision within NOTIFY_LOOKBACK_DAYS: the people of the
    organisation that owns the action (read from the actions' history: when it was assigned)."""
    since = now - datetime.timedelta(days=settings.NOTIFY_LOOKBACK_DAYS)
    assigned = set(
        Action.history.filter(history_date__gte=since, decision__isnull=False).values_list(
            "id", "decision_id"
        )
    )
    actions = [
        a
        for a in Action.objects.filter(pk__in={pk for pk, _d in assigned}).select_related(
            "decision", "owner"
        )
        if (a.pk, a.decision_id) in assigned and a.decision is not None
    ]
    users = _acting_users(a.owner_id for a in actions)
    return [
        Draft(
            user_id=user_id,
            kind=NotificationKind.FOLLOW_UP_ASSIGNED,
            key=f"{NotificationKind.FOLLOW_UP_ASSIGNED}:{a.pk}:{a.decision_id}",
            url=reverse("actions:action", args=[a.pk]),
            params={
                "action": a.title,
                "decision": a.decision.number,
                "decision_title": a.decision.title,
                "owner": a.owner.code,
                "due_date": a.end.isoformat(),
            },
        )
        for a in actions
        if a.decision is not None
        for user_id in users.get(a.owner_id, [])
    ]


def reporting_moments(today: datetime.date) -> list[Draft]:
    """Reporting moments within NOTIFY_REPORTING_DAYS: everyone who reports (partners, regie)."""
    moments = list(
        ReportingMoment.objects.filter(
            date__gte=today,
            date__lte=today + datetime.timedelta(days=settings.NOTIFY_REPORTING_DAYS),
        )
    )
    if not moments:
        return []
    users = get_user_model().objects.filter(is_active=True, membership__role__in=ACTING_ROLES)
    user_ids = list(users.values_list("pk", flat=True))
    return [
        Draft(
            user_id=user_id,
            kind=NotificationKind.REPORTING_MOMENT,
            key=f"{NotificationKind.REPORTING_MOMENT}:{moment.pk}:{moment.date.isoformat()}",
            url=reverse("reports:moment", args=[moment.pk]),
            params={"title": moment.title, "date": moment.date.isoformat()},
        )
        for moment in moments
        for user_id in user_ids
    ]


def everything(now: datetime.datetime) -> list[Draft]:
    today = timezone.localdate(now)
    return [
        *milestones(today),
        *deliveries(today),
        *uploads(now),
        *follow_ups(now),
        *reporting_moments(today),
    ]
