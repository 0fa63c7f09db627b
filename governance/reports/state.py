"""The implementation as it stood at a moment: one reconstruction, read from the history that
django-simple-history keeps of every recommendation, action, milestone and decision.

A report is "as of" its date: what the portal knew at the end of that day (or now, for a day
that has not ended). Every section of the report reads this one `ChainState`: the counts per
theme (through `actions.progress`, the overview's own counting), the recommendations and their
statuses, the milestones with their status, due date, risk reason, completion and cancellation,
the overdue list and the decisions. Nothing is read from today's rows, so a later change (a
completion, a new risk reason, a moved deadline) never rewrites an earlier report; and a report
for today is the overview, number for number.

A fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from simple_history.models import HistoricalRecords

from actions import progress
from actions.models import Action, Milestone
from governance.models import ActionPerspective, Decision, Organisation, Recommendation


def _latest(model: type[Model], when: datetime.datetime, fields: list[str]) -> dict[int, dict]:
    """Per object: its latest historical record at `when` (a deleted one left out). Records of
    the same instant are told apart by their history id."""
    rows = (
        model.history.filter(history_date__lte=when)  # type: ignore[attr-defined]
        .latest_of_each()
        .values("id", "history_id", "history_type", *fields)
    )
    latest: dict[int, dict] = {}
    for row in rows:
        kept = latest.get(row["id"])
        if kept is None or row["history_id"] > kept["history_id"]:
            latest[row["id"]] = row
    return {pk: row for pk, row in latest.items() if row["history_type"] != "-"}


def _m2m(
    model: type[Model], field: str, records: dict[int, dict], own: str, other: str
) -> dict[int, set[int]]:
    """The many-to-many links as they were in the given historical records (simple-history
    keeps a copy of the links with every historical record of the object)."""
    m2m_model = HistoricalRecords.m2m_models[model._meta.get_field(field)]
    history_ids = [row["history_id"] for row in records.values()]
    links: dict[int, set[int]] = {pk: set() for pk in records}
    for owner_id, other_id in m2m_model.objects.filter(history_id__in=history_ids).values_list(
        own, other
    ):
        links.setdefault(owner_id, set()).add(other_id)
    return links


@dataclass
class ChainState:
    """The recommendations, actions, milestones and decisions at `when`, and how they link."""

    when: datetime.datetime
    recommendations: dict[int, dict[str, Any]]
    actions: dict[int, dict[str, Any]]
    milestones: dict[int, dict[str, Any]]
    decisions: dict[int, dict[str, Any]]
    links: progress.Links
    #: organisation id → code (organisations are not versioned)
    owners: dict[int, str]

    def milestone_facts(self) -> list[progress.MilestoneFact]:
        facts = []
        for pk, row in self.milestones.items():
            action = self.actions.get(row["action_id"])
            if action is None:
                continue
            facts.append(
                progress.MilestoneFact(pk, row["action_id"], action["owner_id"], row["status"])
            )
        return facts

    def progress(self) -> progress.Progress:
        """The counts per theme, perspective and chain, by the overview's own rule."""
        return progress.count(
            self.milestone_facts(),
            self.links,
            recommendations={pk: r["perspective_id"] for pk, r in self.recommendations.items()},
        )


MILESTONE_FIELDS = [
    "action_id",
    "title",
    "due_date",
    "status",
    "at_risk",
    "risk_reason",
    "completed_on",
    "percent_complete",
]


@dataclass(frozen=True)
class Structure:
    """What is not versioned: the perspectives' themes (the review's seeded structure) and the
    organisations' codes. Read once for the reconstructions of one report."""

    perspective_themes: dict[int, set[int]]
    owners: dict[int, str]


def structure() -> Structure:
    return Structure(_perspective_themes(), dict(Organisation.objects.values_list("id", "code")))


def state_at(when: datetime.datetime, fixed: Structure | None = None) -> ChainState:
    """The chain as the portal recorded it at `when`."""
    fixed = fixed or structure()
    recommendations = _latest(
        Recommendation, when, ["code", "text", "status", "perspective_id", "owner_id"]
    )
    actions = _latest(Action, when, ["title", "owner_id", "decision_id"])
    milestones = _latest(Milestone, when, MILESTONE_FIELDS)
    decisions = _latest(Decision, when, ["number", "title", "board_id", "date", "status"])
    links = progress.Links(
        action_recommendations=_m2m(
            Action, "recommendations", actions, "action_id", "recommendation_id"
        ),
        action_decision={
            pk: row["decision_id"] for pk, row in actions.items() if row["decision_id"]
        },
        decision_perspectives=_m2m(
            Decision, "perspectives", decisions, "decision_id", "actionperspective_id"
        ),
        decision_recommendations=_m2m(
            Decision, "recommendations", decisions, "decision_id", "recommendation_id"
        ),
        recommendation_perspective={
            pk: row["perspective_id"] for pk, row in recommendations.items()
        },
        # The perspectives and their themes are the review's fixed structure (seeded).
        perspective_themes=fixed.perspective_themes,
    )
    return ChainState(when, recommendations, actions, milestones, decisions, links, fixed.owners)


def _perspective_themes() -> dict[int, set[int]]:
    themes: dict[int, set[int]] = {}
    for perspective_id, theme_id in ActionPerspective.themes.through.objects.values_list(
        "actionperspective_id", "theme_id"
    ):
        themes.setdefault(perspective_id, set()).add(theme_id)
    return themes
