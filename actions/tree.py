"""The implementation tree (theme → perspective → recommendation → action → milestones).

Built from a fixed number of queries, whatever the number of milestones: each level is fetched
once and the tree is assembled in memory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from governance.models import ActionPerspective, Decision, Recommendation, Theme

from . import progress
from .models import Action, Milestone, MilestoneQuerySet


@dataclass
class ActionNode:
    action: Action
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class RecommendationNode:
    """A recommendation with its actions; or, for follow-up actions of a decision that carry no
    recommendation of this perspective, the decision with those actions."""

    recommendation: Recommendation | None = None
    decision: Decision | None = None
    actions: list[ActionNode] = field(default_factory=list)


@dataclass
class PerspectiveNode:
    perspective: ActionPerspective | None
    recommendations: list[RecommendationNode] = field(default_factory=list)


@dataclass
class ThemeNode:
    """A theme; `theme` None holds the follow-up actions of decisions without a perspective."""

    theme: Theme | None
    perspectives: list[PerspectiveNode] = field(default_factory=list)


def filter_milestones(
    data: dict[str, Any], today: datetime.date, links: progress.Links | None = None
) -> MilestoneQuerySet:
    """Milestones matching the tree's filter form data (already cleaned)."""
    qs = Milestone.objects.with_rag(today).select_related("action__owner")
    if data.get("theme") or data.get("perspective"):
        links = links or progress.current_links()
        if data.get("theme"):
            qs = qs.filter(progress.milestone_filter(links, theme_id=data["theme"].pk))
        if data.get("perspective"):
            qs = qs.filter(progress.milestone_filter(links, perspective_id=data["perspective"].pk))
    if data.get("organisation"):
        qs = qs.filter(action__owner=data["organisation"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("rag"):
        qs = qs.filter(rag_code=data["rag"])
    if data.get("due_from"):
        qs = qs.filter(due_date__gte=data["due_from"])
    if data.get("due_to"):
        qs = qs.filter(due_date__lte=data["due_to"])
    return qs.distinct().order_by("due_date", "pk")


def build_tree(
    milestones: MilestoneQuerySet, data: dict[str, Any], links: progress.Links | None = None
) -> list[ThemeNode]:
    """Only branches that lead to a matching milestone are kept. An action sits under every
    perspective it counts for (`actions.progress`): under its recommendations there, and under
    its decision where it has none; follow-ups of a decision without a perspective come last."""
    links = links or progress.current_links()
    milestone_list = list(milestones)
    by_action: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in milestone_list:
        by_action[milestone.action_id].append(milestone)
    actions = {
        a.pk: a
        for a in Action.objects.filter(pk__in=by_action.keys()).select_related("owner", "decision")
    }

    # perspective → recommendation (or decision) → actions
    placed: dict[int, dict[tuple[str, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    unplaced: dict[int, list[int]] = defaultdict(list)  # decision → actions
    for action_id in actions:
        counted_under = links.perspectives_of(action_id)
        decision_id = links.action_decision.get(action_id)
        if not counted_under:
            if decision_id is not None:
                unplaced[decision_id].append(action_id)
            continue
        recommendations = links.action_recommendations.get(action_id, set())
        for perspective_id in counted_under:
            own = [
                r
                for r in recommendations
                if links.recommendation_perspective.get(r) == perspective_id
            ]
            for recommendation_id in own:
                placed[perspective_id][("r", recommendation_id)].append(action_id)
            if not own and decision_id is not None:
                placed[perspective_id][("d", decision_id)].append(action_id)

    recommendation_ids = {key for groups in placed.values() for kind, key in groups if kind == "r"}
    recommendation_objects = {
        r.pk: r for r in Recommendation.objects.filter(pk__in=recommendation_ids)
    }
    decision_ids = {key for groups in placed.values() for kind, key in groups if kind == "d"}
    decision_objects = {
        d.pk: d for d in Decision.objects.filter(pk__in=decision_ids | set(unplaced))
    }
    perspectives = list(ActionPerspective.objects.filter(pk__in=placed.keys()).order_by("number"))
    if data.get("perspective"):
        perspectives = [p for p in perspectives if p.pk == data["perspective"].pk]
    themes = list(Theme.objects.all())
    if data.get("theme"):
        themes = [t for t in themes if t.pk == data["theme"].pk]

    def nodes(perspective_id: int) -> list[RecommendationNode]:
        result = []
        groups = placed[perspective_id]
        for kind, key in sorted(
            groups,
            key=lambda k: (
                k[0],
                recommendation_objects[k[1]].code if k[0] == "r" else decision_objects[k[1]].number,
            ),
        ):
            node = (
                RecommendationNode(recommendation=recommendation_objects[key])
                if kind == "r"
                else RecommendationNode(decision=decision_objects[key])
            )
            for action_id in sorted(groups[(kind, key)], key=lambda pk: actions[pk].start):
                node.actions.append(ActionNode(actions[action_id], by_action[action_id]))
            result.append(node)
        return result

    tree: list[ThemeNode] = []
    for theme in themes:
        theme_node = ThemeNode(theme)
        for perspective in perspectives:
            if theme.pk not in links.perspective_themes.get(perspective.pk, set()):
                continue
            theme_node.perspectives.append(PerspectiveNode(perspective, nodes(perspective.pk)))
        if theme_node.perspectives:
            tree.append(theme_node)
    if unplaced and not (data.get("theme") or data.get("perspective")):
        rest = PerspectiveNode(None)
        for decision_id in sorted(unplaced, key=lambda d: decision_objects[d].number):
            node = RecommendationNode(decision=decision_objects[decision_id])
            for action_id in sorted(unplaced[decision_id], key=lambda pk: actions[pk].start):
                node.actions.append(ActionNode(actions[action_id], by_action[action_id]))
            rest.recommendations.append(node)
        tree.append(ThemeNode(None, [rest]))
    return tree
