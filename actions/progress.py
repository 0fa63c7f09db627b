"""Where an action counts, and the progress counts per theme, perspective and the whole chain.

One rule for every page that counts milestones (the overview, the tree, the implementation
dashboard, the accountability report, the burn-up): an action belongs to the perspectives of its
recommendations and, for a follow-up action of a decision, to the decision's perspectives and
its recommendations' perspectives; a perspective's themes are its themes. A follow-up action of
a decision without any of those belongs to no perspective, and is counted for the chain only.

The counting functions are pure: they take the facts (who belongs where, which milestones with
which status) and count. `current_links` reads those facts from the database now; the report
reconstructs them as of its date (`governance.reports.state`) and calls the same functions, so
a report for today and the overview cannot differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Q, Value

from governance.models import ActionPerspective, Decision, Organisation, Recommendation, Theme

from .models import Action, Milestone, MilestoneStatus


@dataclass
class Links:
    """Who belongs where: the facts the counts are made from."""

    #: action id → its recommendation ids
    action_recommendations: dict[int, set[int]] = field(default_factory=dict)
    #: action id → its decision id (follow-up actions only)
    action_decision: dict[int, int] = field(default_factory=dict)
    #: decision id → its perspective ids
    decision_perspectives: dict[int, set[int]] = field(default_factory=dict)
    #: decision id → its recommendation ids
    decision_recommendations: dict[int, set[int]] = field(default_factory=dict)
    #: recommendation id → its perspective id
    recommendation_perspective: dict[int, int] = field(default_factory=dict)
    #: perspective id → its theme ids
    perspective_themes: dict[int, set[int]] = field(default_factory=dict)

    def perspectives_of(self, action_id: int) -> set[int]:
        """The perspectives an action counts under (the module's rule)."""
        recommendations = set(self.action_recommendations.get(action_id, ()))
        perspectives: set[int] = set()
        decision_id = self.action_decision.get(action_id)
        if decision_id is not None:
            recommendations |= self.decision_recommendations.get(decision_id, set())
            perspectives |= self.decision_perspectives.get(decision_id, set())
        perspectives |= {
            self.recommendation_perspective[r]
            for r in recommendations
            if r in self.recommendation_perspective
        }
        return perspectives

    def themes_of(self, action_id: int) -> set[int]:
        themes: set[int] = set()
        for perspective_id in self.perspectives_of(action_id):
            themes |= self.perspective_themes.get(perspective_id, set())
        return themes

    def actions_in(self, *, theme_id: int | None = None, perspective_id: int | None = None):
        """The ids of the actions (known to these links) under a theme or a perspective."""
        known = set(self.action_recommendations) | set(self.action_decision)
        return {
            a
            for a in known
            if (theme_id is None or theme_id in self.themes_of(a))
            and (perspective_id is None or perspective_id in self.perspectives_of(a))
        }


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = defaultdict(set)
    for key, value in rows:
        result[key].add(value)
    return dict(result)


def current_links() -> Links:
    """The links as they are now, in one query (a UNION of the six link tables)."""

    def tagged(qs, kind: str, left: str, right: str):
        # No ORDER BY in the parts of a UNION (SQLite refuses it; models order by default).
        return (
            qs.annotate(kind=Value(kind, output_field=CharField()))
            .order_by()
            .values_list("kind", left, right)
        )

    rows = tagged(Action.recommendations.through.objects, "ar", "action_id", "recommendation_id")
    rows = rows.union(
        tagged(Action.objects.filter(decision__isnull=False), "ad", "id", "decision_id"),
        tagged(Decision.perspectives.through.objects, "dp", "decision_id", "actionperspective_id"),
        tagged(Decision.recommendations.through.objects, "dr", "decision_id", "recommendation_id"),
        tagged(Recommendation.objects, "rp", "id", "perspective_id"),
        tagged(ActionPerspective.themes.through.objects, "pt", "actionperspective_id", "theme_id"),
        all=True,
    )
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for kind, left, right in rows:
        by_kind[kind].append((left, right))
    return Links(
        action_recommendations=_pairs(by_kind["ar"]),
        action_decision=dict(by_kind["ad"]),
        decision_perspectives=_pairs(by_kind["dp"]),
        decision_recommendations=_pairs(by_kind["dr"]),
        recommendation_perspective=dict(by_kind["rp"]),
        perspective_themes=_pairs(by_kind["pt"]),
    )


@dataclass(frozen=True)
class MilestoneFact:
    """What the counts need of a milestone."""

    id: int
    action_id: int
    owner_id: int
    status: str


@dataclass
class Counts:
    """Milestones of a group by status, and the recommendations under it."""

    n_planned: int = 0
    n_in_progress: int = 0
    n_done: int = 0
    n_cancelled: int = 0
    n_recommendations: int = 0

    @property
    def total(self) -> int:
        """The milestones that count: all but the cancelled ones."""
        return self.n_planned + self.n_in_progress + self.n_done

    @property
    def percent_done(self) -> int:
        return round(100 * self.n_done / self.total) if self.total else 0

    def add(self, status: str) -> None:
        attribute = {
            MilestoneStatus.PLANNED: "n_planned",
            MilestoneStatus.IN_PROGRESS: "n_in_progress",
            MilestoneStatus.DONE: "n_done",
            MilestoneStatus.CANCELLED: "n_cancelled",
        }[MilestoneStatus(status)]
        setattr(self, attribute, getattr(self, attribute) + 1)


@dataclass
class Progress:
    themes: dict[int, Counts]
    perspectives: dict[int, Counts]
    chain: Counts


def count(
    milestones: Iterable[MilestoneFact],
    links: Links,
    *,
    recommendations: Mapping[int, int] | None = None,
    owner_id: int | None = None,
) -> Progress:
    """Count every milestone once per group it belongs to, and once for the chain.

    `recommendations` (id → perspective id) are the recommendations that exist (default: those
    in `links`); `owner_id` counts only the milestones of actions that organisation owns.
    """
    themes: dict[int, Counts] = defaultdict(Counts)
    perspectives: dict[int, Counts] = defaultdict(Counts)
    chain = Counts()
    for milestone in milestones:
        if owner_id is not None and milestone.owner_id != owner_id:
            continue
        chain.add(milestone.status)
        for perspective_id in links.perspectives_of(milestone.action_id):
            perspectives[perspective_id].add(milestone.status)
        for theme_id in links.themes_of(milestone.action_id):
            themes[theme_id].add(milestone.status)
    existing = links.recommendation_perspective if recommendations is None else recommendations
    for perspective_id in existing.values():
        perspectives[perspective_id].n_recommendations += 1
        for theme_id in links.perspective_themes.get(perspective_id, set()):
            themes[theme_id].n_recommendations += 1
    chain.n_recommendations = len(existing)
    return Progress(themes=dict(themes), perspectives=dict(perspectives), chain=chain)


def current_milestones() -> list[MilestoneFact]:
    return [
        MilestoneFact(*row)
        for row in Milestone.objects.values_list("id", "action_id", "action__owner_id", "status")
    ]


def current_progress(owner: Organisation | None = None) -> Progress:
    """The progress now, from the live tables."""
    return count(
        current_milestones(), current_links(), owner_id=owner.pk if owner is not None else None
    )


def with_counts(groups: Iterable[Any], counts: Mapping[int, Counts]) -> list[Any]:
    """Themes or perspectives with their counts as attributes (`n_done`, `total`, …), for the
    pages and downloads that show them."""
    rows = list(groups)
    for row in rows:
        counted = counts.get(row.pk, Counts())
        for name in ("n_planned", "n_in_progress", "n_done", "n_cancelled", "n_recommendations"):
            setattr(row, name, getattr(counted, name))
        row.total = counted.total
        row.percent_done = counted.percent_done
    return rows


def themes_with_counts(progress: Progress) -> list[Any]:
    return with_counts(Theme.objects.order_by("number"), progress.themes)


def perspectives_with_counts(progress: Progress) -> list[Any]:
    return with_counts(ActionPerspective.objects.order_by("number"), progress.perspectives)


def milestone_filter(
    links: Links, *, theme_id: int | None = None, perspective_id: int | None = None
) -> Q:
    """Milestones of the actions under a theme or a perspective (the tree's filters)."""
    return Q(action_id__in=links.actions_in(theme_id=theme_id, perspective_id=perspective_id))
