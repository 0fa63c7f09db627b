"""Search across recommendations, actions, milestones, decisions and meetings.

On PostgreSQL: full-text search with the `dutch` configuration (stemming: "aanvragen" finds
"aanvraag"), each word also as a prefix (typing "asiel" finds "asielaanvragen"), ranked with
`SearchRank`; the GIN indexes of migrations `actions.0006` and `governance.0008` hold exactly
the vectors built here (`VECTORS`), so a search does not read every row. Elsewhere (the SQLite
demo): every word must occur, case-insensitively, in one of the same fields.

A fixed number of queries per search (one per kind), whatever the number of hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Milestone
from governance.accounts import roles
from governance.models import Decision, Meeting, Recommendation

CONFIG = "dutch"
MIN_LENGTH = 2
#: At most this many matches of a kind are ranked (see `_postgres`).
RANK_CANDIDATES = 500
#: Words of a query: letters and digits only, so that a query can never be tsquery syntax.
WORD = re.compile(r"\w+", re.UNICODE)

#: The searched fields of each model; the GIN indexes are built from these same lists.
VECTORS: dict[type[models.Model], list[str]] = {
    Recommendation: ["code", "text"],
    Action: ["title", "description"],
    Milestone: ["title", "risk_reason"],
    Decision: ["number", "title", "text"],
    Meeting: ["title", "location", "minutes"],
}


def vector_of(model: type[models.Model]) -> SearchVector:
    return SearchVector(*VECTORS[model], config=CONFIG)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    model: type[models.Model]
    queryset: Callable[[], models.QuerySet]
    title: Callable[[Any], str]
    text: Callable[[Any], str]
    url: Callable[[Any], str]
    meta: Callable[[Any], str]


@dataclass
class Hit:
    title: str
    snippet: str
    url: str
    meta: str


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


KINDS = [
    Kind(
        "recommendations",
        _("Aanbevelingen"),
        Recommendation,
        lambda: Recommendation.objects.select_related("perspective"),
        lambda r: r.code,
        lambda r: r.text,
        lambda r: reverse("actions:recommendation", args=[r.pk]),
        lambda r: str(r.perspective),
    ),
    Kind(
        "actions",
        _("Acties"),
        Action,
        lambda: Action.objects.select_related("owner"),
        lambda a: a.title,
        lambda a: a.description,
        lambda a: reverse("actions:action", args=[a.pk]),
        lambda a: a.owner.code,
    ),
    Kind(
        "milestones",
        _("Mijlpalen"),
        Milestone,
        lambda: Milestone.objects.select_related("action__owner"),
        lambda m: m.title,
        lambda m: m.action.title,
        lambda m: reverse("actions:milestone", args=[m.pk]),
        lambda m: f"{m.action.owner.code} · {m.get_status_display()} · {m.due_date:%d-%m-%Y}",
    ),
    Kind(
        "decisions",
        _("Besluiten"),
        Decision,
        lambda: Decision.objects.select_related("board"),
        lambda d: f"{d.number} {d.title}",
        lambda d: d.text,
        lambda d: reverse("governance:decision", args=[d.number]),
        lambda d: f"{d.board.code} · {d.get_status_display()} · {d.date:%d-%m-%Y}",
    ),
    Kind(
        "meetings",
        _("Vergaderingen"),
        Meeting,
        lambda: Meeting.objects.select_related("board"),
        str,
        lambda m: m.minutes,
        lambda m: reverse("governance:meeting", args=[m.pk]),
        lambda m: f"{m.board.code} · {m.date:%d-%m-%Y}",
    ),
]
KIND_KEYS = [kind.key for kind in KINDS]


def words_of(text: str) -> list[str]:
    return WORD.findall(text or "")[:10]


def visible_kinds(user) -> list[Kind]:
    """What the user may find: everything the portal shows a role (governance and
    implementation status are open to every role, DESIGN.md), nothing without a role."""
    return KINDS if roles.role_of(user) is not None else []


def _postgres(queryset: models.QuerySet, model: type[models.Model], text: str, words: list[str]):
    # The text as typed (quotes, "-word", codes such as "TB-2024-003" parsed as PostgreSQL does),
    # or every word as a prefix; the words are \w+ only, so quoted they make a valid tsquery.
    prefixes = " & ".join(f"'{word}':*" for word in words)
    query = SearchQuery(text, config=CONFIG, search_type="websearch") | SearchQuery(
        prefixes, config=CONFIG, search_type="raw"
    )
    vector = vector_of(model)
    # Ranking recomputes each row's vector (the index holds none), so only the first
    # RANK_CANDIDATES matches the index finds are ranked: a word in every row stays fast.
    candidates = (
        model._default_manager.alias(search=vector)
        .filter(search=query)
        .order_by()  # any matches, straight from the index: no sort of them all
        .values("pk")[:RANK_CANDIDATES]
    )
    return (
        queryset.filter(pk__in=candidates)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "pk")
    )


def _plain(queryset: models.QuerySet, model: type[models.Model], text: str, words: list[str]):
    condition = Q()
    for word in words:
        any_field = Q()
        for name in VECTORS[model]:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition).order_by("pk")


def search(*, text: str, user, kinds: list[str] | None = None, limit: int = 20) -> list[Group]:
    """The hits per kind the user may see, best first, at most `limit` each (`more` says there
    are others). A query shorter than MIN_LENGTH, or without words, finds nothing."""
    words = words_of(text)
    if len("".join(words)) < MIN_LENGTH:
        return []
    matcher = _postgres if connection.vendor == "postgresql" else _plain
    groups = []
    for kind in visible_kinds(user):
        if kinds and kind.key not in kinds:
            continue
        found = list(matcher(kind.queryset(), kind.model, text, words)[: limit + 1])
        group = Group(kind=kind, more=len(found) > limit)
        for obj in found[:limit]:
            group.hits.append(
                Hit(
                    title=kind.title(obj),
                    snippet=Truncator(kind.text(obj) or "").chars(220),
                    url=kind.url(obj),
                    meta=kind.meta(obj),
                )
            )
        groups.append(group)
    return groups
