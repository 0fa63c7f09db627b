"""The implementation tree (theme → perspective → recommendation → action → milestones).

Built from a fixed number of queries, whatever the number of milestones: each level is fetched
once and the tree is assembled in memory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from governance.models import ActionPerspective, Organisation, Recommendation, Theme

from .models import Action, Milestone, MilestoneQuerySet, MilestoneStatus


@dataclass
class ActionNode:
    action: Action
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class RecommendationNode:
    recommendation: Recommendation
    actions: list[ActionNode] = field(default_factory=list)


@dataclass
class PerspectiveNode:
    perspective: ActionPerspective
    recommendations: list[RecommendationNode] = field(default_factory=list)


@dataclass
class ThemeNode:
    theme: Theme
    perspectives: list[PerspectiveNode] = field(default_factory=list)


def filter_milestones(data: dict[str, Any], today: datetime.date) -> MilestoneQuerySet:
    """Milestones matching the tree's filter form data (already cleaned)."""
    qs = Milestone.objects.with_rag(today).select_related("action__owner")
    if data.get("theme"):
        qs = qs.filter(action__recommendations__perspective__themes=data["theme"])
    if data.get("perspective"):
        qs = qs.filter(action__recommendations__perspective=data["perspective"])
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


def build_tree(milestones: MilestoneQuerySet, data: dict[str, Any]) -> list[ThemeNode]:
    """Only branches that lead to a matching milestone are kept."""
    milestone_list = list(milestones)
    by_action: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in milestone_list:
        by_action[milestone.action_id].append(milestone)

    links = Action.recommendations.through.objects.filter(
        action_id__in=by_action.keys()
    ).values_list("recommendation_id", "action_id")
    actions = {
        a.pk: a for a in Action.objects.filter(pk__in=by_action.keys()).select_related("owner")
    }
    actions_by_recommendation: dict[int, list[int]] = defaultdict(list)
    for recommendation_id, action_id in links:
        actions_by_recommendation[recommendation_id].append(action_id)

    recommendations = Recommendation.objects.filter(pk__in=actions_by_recommendation.keys())
    if data.get("perspective"):
        recommendations = recommendations.filter(perspective=data["perspective"])
    recommendations_by_perspective: dict[int, list[Recommendation]] = defaultdict(list)
    for recommendation in recommendations.select_related("owner"):
        recommendations_by_perspective[recommendation.perspective_id].append(recommendation)

    perspectives = ActionPerspective.objects.filter(
        pk__in=recommendations_by_perspective.keys()
    ).prefetch_related("themes")
    themes = list(Theme.objects.all())
    if data.get("theme"):
        themes = [t for t in themes if t.pk == data["theme"].pk]

    tree: list[ThemeNode] = []
    for theme in themes:
        theme_node = ThemeNode(theme)
        for perspective in perspectives:
            if theme not in perspective.themes.all():
                continue
            perspective_node = PerspectiveNode(perspective)
            for recommendation in recommendations_by_perspective[perspective.pk]:
                recommendation_node = RecommendationNode(recommendation)
                for action_id in sorted(
                    actions_by_recommendation[recommendation.pk], key=lambda pk: actions[pk].start
                ):
                    recommendation_node.actions.append(
                        ActionNode(actions[action_id], by_action[action_id])
                    )
                perspective_node.recommendations.append(recommendation_node)
            theme_node.perspectives.append(perspective_node)
        if theme_node.perspectives:
            tree.append(theme_node)
    return tree


def status_counts(prefix: str, *, owner: Organisation | None = None) -> dict[str, Any]:
    """Count distinct milestones by status through the relation path `prefix` (to actions, or
    "" from an action), only those of actions `owner` owns when given."""
    path = f"{prefix}__milestones" if prefix else "milestones"
    owned = Q(**{f"{prefix}__owner" if prefix else "owner": owner}) if owner else Q()
    status = f"{path}__status"
    return {
        "total": Count(
            path, distinct=True, filter=owned & ~Q(**{status: MilestoneStatus.CANCELLED})
        ),
        "n_planned": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.PLANNED})
        ),
        "n_in_progress": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.IN_PROGRESS})
        ),
        "n_done": Count(path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.DONE})),
        "n_cancelled": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.CANCELLED})
        ),
    }


def with_percent(rows):
    for row in rows:
        row.percent_done = round(100 * row.n_done / row.total) if row.total else 0
    return rows
