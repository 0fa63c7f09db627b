"""What each role's home page shows; a fixed number of queries per page, whatever the data.

- A partner: its organisation's overdue and upcoming milestones (with action and
  recommendation), its deliveries that are missing, late or due soon (the one delivery rule),
  and its uploads waiting or turned down.
- Regie: uploads to review, overdue milestones across the chain, open signals, the next
  meetings and reporting moments.
- A reader (and the functional administrator): key figures of the last complete quarter with
  their trend, RAG per theme, the latest decisions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from actions.models import Milestone
from dashboards.models import Upload, UploadStatus
from dashboards.uploads import deliveries as delivery_rule
from governance.models import (
    Decision,
    Meeting,
    Organisation,
    Recommendation,
    ReportingMoment,
    Signal,
)
from governance.packs.rag import rag_per_theme
from governance.reports.content import key_figures
from ketenportaal.periods import QUARTER, recent

#: How many rows a list shows; its count says how many there are in all.
LIMIT = 20
UPCOMING_DAYS = 30
WAITING = (UploadStatus.RECEIVED, UploadStatus.VALIDATING, UploadStatus.VALID)
TURNED_DOWN = (UploadStatus.INVALID, UploadStatus.REJECTED)


def _with_context(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    """Milestones with their action, owner and recommendations: never a title without context."""
    return milestones.select_related("action__owner").prefetch_related(
        Prefetch(
            "action__recommendations",
            queryset=Recommendation.objects.select_related("perspective").order_by("code"),
        )
    )


def _listed(queryset: QuerySet, limit: int = LIMIT) -> dict[str, Any]:
    return {"rows": list(queryset[:limit]), "count": queryset.count()}


def partner_home(organisation: Organisation, today: datetime.date) -> dict[str, Any]:
    own = Milestone.objects.filter(action__owner=organisation)
    quarters = recent(QUARTER, today, 5)[:-1]  # the four ended quarters
    found = delivery_rule.deliveries(
        indicators=delivery_rule.indicators_owned_by([organisation]),
        quarters=quarters,
        today=today,
    )
    due_soon = [
        d
        for d in found
        if d.status == delivery_rule.NOT_DUE
        and d.first_delivered_on is None
        and (d.due_on - today).days <= settings.NOTIFY_DELIVERY_DAYS
    ]
    since = timezone.now() - datetime.timedelta(days=90)
    uploads = Upload.objects.filter(organisation=organisation).select_related("uploaded_by")
    return {
        "overdue": _listed(_with_context(own.overdue(today).with_rag(today))),
        "upcoming": _listed(_with_context(own.due_within(UPCOMING_DAYS, today).with_rag(today))),
        "missing": [d for d in found if d.status == delivery_rule.MISSING],
        "late": [d for d in found if d.status == delivery_rule.LATE],
        "due_soon": due_soon,
        "waiting": _listed(uploads.filter(status__in=WAITING)),
        "turned_down": _listed(uploads.filter(status__in=TURNED_DOWN, uploaded_at__gte=since)),
    }


def regie_home(today: datetime.date) -> dict[str, Any]:
    return {
        "to_review": _listed(
            Upload.objects.awaiting_decision()
            .select_related("organisation", "uploaded_by")
            .order_by("uploaded_at", "pk")
        ),
        "overdue": _listed(_with_context(Milestone.objects.overdue(today).with_rag(today))),
        "signals": _listed(
            Signal.objects.open().select_related("indicator", "organisation", "milestone", "target")
        ),
        "meetings": list(Meeting.objects.upcoming(today).select_related("board")[:5]),
        "moments": list(ReportingMoment.objects.filter(date__gte=today).order_by("date")[:5]),
    }


def viewer_home(today: datetime.date) -> dict[str, Any]:
    return {
        "figures": key_figures(today, None, timezone.now()),
        "themes": rag_per_theme(today),
        "decisions": list(Decision.objects.select_related("board").order_by("-date", "-pk")[:10]),
    }
