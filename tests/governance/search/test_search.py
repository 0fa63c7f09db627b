"""Search across recommendations, actions, milestones, decisions and meetings: PostgreSQL full
text with the Dutch configuration (stems, prefixes, codes), an index it can use, a plain
fallback elsewhere, and only for users with a role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from governance.models import Decision, Meeting
from governance.search import search
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("search")


def found(groups, key: str) -> list[str]:
    return [hit.title for group in groups if group.kind.key == key for hit in group.hits]


@pytest.fixture
def chain():
    recommendation = RecommendationFactory(
        code="IND-7",
        text="Versnel de afhandeling van asielaanvragen en de aanvragen voor nareis door betere planning.",
    )
    action = ActionFactory(
        title="Planningsbureau inrichten", description="Een bureau voor de ketenplanning."
    )
    milestone = MilestoneFactory(action=action, title="Nulmeting doorlooptijden opgeleverd")
    decision = DecisionFactory(
        title="Extra opvangcapaciteit", text="Het Topberaad besluit tot tijdelijke opvangplekken."
    )
    meeting = MeetingFactory(title="Topberaad december", minutes="Besproken: de asielinstroom.")
    return SimpleNamespace(
        recommendation=recommendation,
        action=action,
        milestone=milestone,
        decision=decision,
        meeting=meeting,
    )


def test_dutch_stemming_finds_other_forms_of_a_word(chain, regie):
    groups = search.search(text="aanvraag", user=regie)
    assert found(groups, "recommendations") == ["IND-7"]


def test_a_word_is_also_a_prefix(chain, regie):
    groups = search.search(text="asiel", user=regie)
    assert found(groups, "recommendations") == ["IND-7"]
    assert found(groups, "meetings") == ["Topberaad december"]


def test_every_kind_is_searched(chain, regie):
    assert found(search.search(text="planning", user=regie), "actions") == [
        "Planningsbureau inrichten"
    ]
    assert found(search.search(text="nulmeting", user=regie), "milestones") == [
        "Nulmeting doorlooptijden opgeleverd"
    ]
    assert found(search.search(text="opvangplekken", user=regie), "decisions") == [
        f"{chain.decision.number} Extra opvangcapaciteit"
    ]


def test_a_decision_is_found_by_its_number(chain, viewer):
    groups = search.search(text=chain.decision.number, user=viewer)
    assert found(groups, "decisions") == [str(chain.decision)]


def test_all_words_must_match(chain, regie):
    assert found(search.search(text="asiel planning", user=regie), "recommendations") == ["IND-7"]
    assert found(search.search(text="asiel opvang", user=regie), "recommendations") == []


def test_the_better_match_comes_first(regie):
    RecommendationFactory(code="R-1", text="Opvang, nog eens opvang en opvangcapaciteit.")
    RecommendationFactory(code="R-2", text="Eenmaal opvang genoemd tussen veel andere woorden.")
    assert found(search.search(text="opvang", user=regie), "recommendations") == ["R-1", "R-2"]


def test_query_syntax_cannot_break_the_search(chain, regie):
    for text in ("'", "a & | !", "asiel:* & !", '"de asiel', "-- ;"):
        search.search(text=text, user=regie)  # no database error


def test_without_postgresql_the_plain_fallback_finds_the_words(chain, regie, monkeypatch):
    monkeypatch.setattr(search, "connection", SimpleNamespace(vendor="sqlite"))
    groups = search.search(text="ASIEL planning", user=regie)
    assert found(groups, "recommendations") == ["IND-7"]
    assert found(search.search(text="asiel opvang", user=regie), "recommendations") == []


def test_a_user_without_a_role_finds_nothing(chain):
    assert search.search(text="asiel", user=UserFactory()) == []


def test_the_decision_search_can_use_its_index():
    DecisionFactory()
    queryset = search._postgres(Decision.objects.all(), Decision, "besluit", ["besluit"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "decision_search" in plan


def test_the_meeting_search_can_use_its_index():
    MeetingFactory()
    queryset = search._postgres(Meeting.objects.all(), Meeting, "topberaad", ["topberaad"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "meeting_search" in plan


# ---------------------------------------------------------------- page


def test_the_page_groups_the_hits_per_kind_with_links(chain, client, ind_partner):
    client.force_login(ind_partner)
    response = client.get(URL, {"q": "topberaad"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("governance:meeting", args=[chain.meeting.pk]) in html
    assert reverse("governance:decision", args=[chain.decision.number]) in html
    assert "Vergaderingen" in html and "Besluiten" in html


def test_the_page_narrows_to_one_kind(chain, regie_client):
    response = regie_client.get(URL, {"q": "topberaad", "soort": "meetings"})
    assert [g.kind.key for g in response.context["groups"]] == ["meetings"]


def test_the_page_says_when_a_query_is_too_short(regie_client):
    response = regie_client.get(URL, {"q": "a"})
    assert "Typ ten minste twee letters of cijfers." in response.content.decode()


def test_the_page_refuses_a_user_without_a_role(client):
    client.force_login(UserFactory())
    assert client.get(URL, {"q": "asiel"}).status_code == 403


def test_the_nav_has_a_search_box(regie_client):
    html = regie_client.get(reverse("home")).content.decode()
    assert f'action="{URL}"' in html and 'name="q"' in html


def test_the_page_query_count_does_not_grow_with_the_hits(
    regie_client, django_assert_max_num_queries
):
    RecommendationFactory(text="opvang")
    with django_assert_max_num_queries(30) as few:
        regie_client.get(URL, {"q": "opvang"})
    for _ in range(8):
        RecommendationFactory(text="opvang in de regio")
        MeetingFactory(minutes="opvang besproken")
    with django_assert_max_num_queries(len(few.captured_queries)):
        regie_client.get(URL, {"q": "opvang"})


def test_the_search_page_reads_english_in_english(chain, regie_client):
    regie_client.cookies["django_language"] = "en"
    with translation.override("nl"):  # the request's English must not outlive the test
        html = regie_client.get(URL, {"q": "topberaad"}).content.decode()
    assert "results for “topberaad”" in html and "Search the portal" in html


def test_only_a_bounded_number_of_matches_is_ranked(regie, monkeypatch):
    for n in range(3):
        RecommendationFactory(code=f"R-{n}", text="opvang")
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    assert len(found(search.search(text="opvang", user=regie), "recommendations")) == 2
