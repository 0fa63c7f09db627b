"""RAG per theme: the milestones under a theme (through its perspectives, recommendations and
actions), counted by their RAG status (`Milestone.objects.with_rag`, the milestones' one rule).

A theme is red when any of its open milestones is over its deadline, amber when any is at risk
or close to it, green when it has milestones and none of those; without milestones it has no
RAG. One query for all themes; a milestone under two themes counts in both, once in each.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from actions.models import Milestone, Rag
from governance.models import Theme

ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)


@dataclass
class ThemeRag:
    theme: Theme
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rag(self) -> Rag:
        for rag in ORDER:
            if self.counts.get(rag.value):
                return rag
        return Rag.NONE

    @property
    def rag_label(self) -> str:
        return str(self.rag.label) if self.total else "—"

    def count(self, rag: str) -> int:
        return self.counts.get(rag, 0)

    @property
    def red(self) -> int:
        return self.count(Rag.RED.value)

    @property
    def amber(self) -> int:
        return self.count(Rag.AMBER.value)

    @property
    def green(self) -> int:
        return self.count(Rag.GREEN.value)


def rag_per_theme(today: datetime.date | None = None) -> list[ThemeRag]:
    """Every theme with its milestones counted per RAG (cancelled ones left out)."""
    today = today or timezone.localdate()
    themes = list(Theme.objects.all())
    rows = (
        Milestone.objects.with_rag(today)
        .exclude(rag_code=Rag.NONE.value)
        .filter(action__recommendations__perspective__themes__isnull=False)
        .values_list("action__recommendations__perspective__themes", "pk", "rag_code")
        .distinct()
    )
    seen: dict[int, dict[int, str]] = defaultdict(dict)
    for theme_id, milestone_id, rag in rows:
        seen[theme_id][milestone_id] = rag
    result = []
    for theme in themes:
        counts: dict[str, int] = defaultdict(int)
        for rag in seen.get(theme.pk, {}).values():
            counts[rag] += 1
        result.append(ThemeRag(theme=theme, counts=dict(counts)))
    return result
