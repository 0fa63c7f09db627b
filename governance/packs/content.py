"""A board pack's content, as JSON-ready data: what the HTML page and the PDF are made from.

- the meeting and its agenda (with the signal an item was put on the agenda for);
- the decisions to take at it (proposed ones; others of the meeting for the record) with their
  impact assessments and each partner's impact;
- the chain's open signals;
- RAG per theme (`rag.rag_per_theme`);
- key figures of the last complete quarter (the reports' `key_figures`), from the release the
  pack cites when it cites one;
- open follow-ups: the board's decisions' follow-up actions that still have open milestones.
A fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, Milestone
from dashboards.models import Release
from governance.models import (
    AgendaItem,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    PartnerImpact,
    Signal,
)
from governance.reports.content import key_figures, release_citation

from .rag import rag_per_theme


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def build_pack_data(
    meeting: Meeting, *, now: datetime.datetime | None = None, release: Release | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "meeting": {
            "id": meeting.pk,
            "board": meeting.board.name,
            "board_code": meeting.board.code,
            "date": meeting.date.isoformat(),
            "title": meeting.title,
            "location": meeting.location,
        },
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "agenda": agenda(meeting),
        "decisions": decisions(meeting),
        "signals": open_signals(),
        "themes": [
            {
                "theme": str(t.theme),
                "rag": t.rag.value,
                "rag_label": t.rag_label,
                "red": t.red,
                "amber": t.amber,
                "green": t.green,
                "total": t.total,
            }
            for t in rag_per_theme(today)
        ],
        "figures": key_figures(today, None, timezone.now(), release=release),
        "release": release_citation(release),
        "follow_ups": follow_ups(meeting, today),
    }


def agenda(meeting: Meeting) -> list[dict[str, Any]]:
    items = AgendaItem.objects.filter(meeting=meeting).select_related(
        "signal__indicator", "signal__organisation", "signal__milestone", "signal__target"
    )
    return [
        {
            "order": item.order,
            "title": item.title,
            "description": item.description,
            "signal": item.signal.summary if item.signal else None,
        }
        for item in items.order_by("order", "pk")
    ]


def decisions(meeting: Meeting) -> list[dict[str, Any]]:
    """The meeting's decisions, those still to take (proposed) first."""
    found = Decision.objects.filter(meeting=meeting).prefetch_related(
        Prefetch(
            "assessments",
            queryset=ImpactAssessment.objects.order_by("requested_on", "pk").prefetch_related(
                Prefetch(
                    "impacts",
                    queryset=PartnerImpact.objects.select_related("organisation").order_by(
                        "organisation__code"
                    ),
                )
            ),
        )
    )
    rows = []
    for d in sorted(found, key=lambda d: (d.status != DecisionStatus.PROPOSED, d.sequence)):
        rows.append(
            {
                "number": d.number,
                "title": d.title,
                "text": d.text,
                "status": d.status,
                "status_label": d.get_status_display(),
                "to_take": d.status == DecisionStatus.PROPOSED,
                "assessments": [
                    {
                        "kind": a.get_kind_display(),
                        "requested_on": _iso(a.requested_on),
                        "due_date": _iso(a.due_date),
                        "outcome": a.get_outcome_display(),
                        "summary": a.summary,
                        "impacts": [
                            {
                                "organisation": i.organisation.code,
                                "capacity_fte": _number(i.capacity_fte),
                                "lead_time_months": i.lead_time_months,
                                "cost_eur": _number(i.cost_eur),
                                "explanation": i.explanation,
                            }
                            for i in a.impacts.all()
                        ],
                    }
                    for a in d.assessments.all()
                ],
            }
        )
    return rows


def open_signals() -> list[dict[str, Any]]:
    found = Signal.objects.open().select_related("indicator", "organisation", "milestone", "target")
    return [
        {
            "summary": s.summary,
            "kind": s.get_kind_display(),
            "first_seen": timezone.localtime(s.first_seen).date().isoformat(),
        }
        for s in found
    ]


def follow_ups(meeting: Meeting, today: datetime.date) -> list[dict[str, Any]]:
    """Follow-up actions of the board's decisions that still have open milestones."""
    actions = (
        Action.objects.filter(decision__board=meeting.board)
        .filter(milestones__in=Milestone.objects.open())
        .distinct()
        .select_related("decision", "owner")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.open().with_rag(today).order_by("due_date", "pk"),
                to_attr="open_milestones",
            )
        )
        .order_by("decision__number", "pk")
    )
    rows = []
    for action in actions:
        first = action.open_milestones[0] if action.open_milestones else None
        rows.append(
            {
                "action": action.title,
                "decision": action.decision.number if action.decision else "",
                "owner": action.owner.code,
                "open_milestones": len(action.open_milestones),
                "next_milestone": first.title if first else "",
                "next_due": _iso(first.due_date) if first else None,
                "rag": first.rag.value if first else "none",
                "rag_label": str(first.rag.label) if first else "—",
            }
        )
    return rows
