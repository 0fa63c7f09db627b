import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Milestone
from governance.models import (
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Signal,
)
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    board,
    org,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def pages(chain):
    d, m = chain["decision"], chain["milestone"]
    return [
        reverse("governance:boards"),
        reverse("governance:board", args=["TB"]),
        reverse("governance:meeting", args=[chain["meeting"].pk]),
        reverse("governance:decisions"),
        reverse("governance:decision", args=[d.number]),
        reverse("governance:signals"),
        reverse("governance:signal", args=[chain["signal"].pk]),
        reverse("governance:goal"),
        reverse("actions:action", args=[m.action.pk]),
        reverse("actions:milestone", args=[m.pk]),
    ]


@pytest.mark.parametrize("user", ["regie", "viewer", "ind_partner", "coa_partner"])
def test_every_role_reads_every_governance_page(client, chain, user, request):
    client.force_login(request.getfixturevalue(user))
    for url in pages(chain):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("user", ["viewer", "ind_partner"])
def test_only_regie_gets_the_edit_pages(client, chain, user, request):
    client.force_login(request.getfixturevalue(user))
    d = chain["decision"]
    for url in [
        reverse("governance:decision-new"),
        reverse("governance:decision-edit", args=[d.number]),
        reverse("governance:decision-follow-up", args=[d.number]),
        reverse("governance:meeting-new"),
        reverse("governance:agenda-item-new", args=[chain["meeting"].pk]),
        reverse("governance:assessment-new", args=[d.number]),
        reverse("governance:goal-new"),
        reverse("governance:assignment-new"),
        reverse("governance:target-new"),
    ]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("user", ["viewer", "ind_partner", "coa_partner"])
def test_readers_cannot_change_anything_by_posting(client, chain, user, request):
    client.force_login(request.getfixturevalue(user))
    d = chain["decision"]
    posts = [
        (reverse("governance:decision-status", args=[d.number]), {"to": "adopted"}),
        (reverse("governance:decision-follow-up", args=[d.number]), {"title": "X"}),
        (reverse("governance:signal-to-agenda", args=[chain["signal"].pk]), {}),
        (reverse("governance:signals-compute"), {}),
        (reverse("governance:decision-new"), {"title": "X"}),
        (
            reverse("governance:decision-close-signal", args=[d.number]),
            {"signal": chain["signal"].pk},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    d.refresh_from_db()
    assert d.status == DecisionStatus.PROPOSED
    assert Action.objects.count() == 1
    assert Signal.objects.get(pk=chain["signal"].pk).status == "open"


def test_the_read_pages_offer_no_edit_controls_to_a_viewer(client, chain, viewer):
    client.force_login(viewer)
    html = client.get(
        reverse("governance:decision", args=[chain["decision"].number])
    ).content.decode()
    assert "Status wijzigen" not in html
    assert "Vervolgactie vastleggen" not in html
    html = client.get(reverse("governance:signals")).content.decode()
    assert "Agenderen voor" not in html


def test_regie_records_a_decision_through_the_form(regie_client):
    meeting = MeetingFactory(date=datetime.date(2026, 5, 4))
    response = regie_client.post(
        reverse("governance:decision-new"),
        {
            "board": board("TB").pk,
            "meeting": meeting.pk,
            "date": "2026-05-04",
            "title": "Ketenplan",
            "text": "Het ketenplan wordt vastgesteld.",
            "perspectives": [],
        },
    )
    decision = Decision.objects.get()
    assert decision.number == "TB-2026-01"
    assert response.url == reverse("governance:decision", args=["TB-2026-01"])


def test_a_decision_form_with_a_meeting_of_another_board_is_refused_in_dutch(regie_client):
    meeting = MeetingFactory(board=board("DBA"))
    response = regie_client.post(
        reverse("governance:decision-new"),
        {
            "board": board("TB").pk,
            "meeting": meeting.pk,
            "date": "2026-05-04",
            "title": "X",
            "text": "Y",
        },
    )
    assert response.status_code == 422
    assert "De vergadering hoort niet bij dit gremium." in response.content.decode()
    assert not Decision.objects.exists()


def test_implementing_without_the_driehoek_is_refused_with_a_dutch_message(regie_client):
    decision = DecisionFactory(needs_triangle=True, status=DecisionStatus.ADOPTED)
    response = regie_client.post(
        reverse("governance:decision-status", args=[decision.number]),
        {"to": "implemented"},
        follow=True,
    )
    assert (
        "moet eerst in de ambtelijke sturingsdriehoek worden bevestigd" in response.content.decode()
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_the_decision_page_offers_only_legal_next_statuses(regie_client):
    decision = DecisionFactory(needs_triangle=True, status=DecisionStatus.ADOPTED)
    html = regie_client.get(reverse("governance:decision", args=[decision.number])).content.decode()
    assert 'value="confirmed"' in html
    assert 'value="implemented"' not in html


def test_a_follow_up_with_bad_input_is_refused_and_changes_nothing(regie_client):
    decision = DecisionFactory()
    response = regie_client.post(
        reverse("governance:decision-follow-up", args=[decision.number]),
        {
            "title": "Actie",
            "owner": "COA",
            "responsible_function": "Directeur",
            "due_date": "2001-01-01",
        },
    )
    assert response.status_code == 422
    assert "De deadline ligt voor de start" in response.content.decode()
    assert not Action.objects.exists()


def test_regie_adds_a_follow_up_from_the_decision_page(regie_client):
    decision = DecisionFactory()
    due = TODAY + datetime.timedelta(days=30)
    regie_client.post(
        reverse("governance:decision-follow-up", args=[decision.number]),
        {
            "title": "Actie",
            "owner": "COA",
            "responsible_function": "Directeur",
            "due_date": due.isoformat(),
        },
    )
    milestone = Milestone.objects.get()
    assert milestone.action.decision == decision
    assert milestone.due_date == due


def test_the_register_searches_and_filters_by_the_url(regie_client):
    DecisionFactory(title="Opvang uitbreiden", status=DecisionStatus.ADOPTED)
    DecisionFactory(title="Opvang afschalen", status=DecisionStatus.PROPOSED)
    DecisionFactory(title="Vertrek", status=DecisionStatus.ADOPTED, board=board("DBV"))
    html = regie_client.get(
        reverse("governance:decisions") + "?q=opvang&status=adopted"
    ).content.decode()
    assert "Opvang uitbreiden" in html
    assert "Opvang afschalen" not in html
    assert "Vertrek" not in html.split('id="results"')[1]
    html = regie_client.get(reverse("governance:decisions") + "?board=DBV").content.decode()
    assert "1 besluit" in html


def test_the_register_answers_htmx_with_the_results_only(regie_client):
    DecisionFactory(title="Opvang uitbreiden")
    response = regie_client.get(
        reverse("governance:decisions") + "?q=opvang", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Opvang uitbreiden" in html
    assert "<html" not in html


def _decisions_with_follow_up(n, regie):
    for _ in range(n):
        decision = DecisionFactory()
        decision.perspectives.set([1])
        milestone = MilestoneFactory(overdue=True)
        Action.objects.filter(pk=milestone.action_id).update(decision=decision)


def test_the_register_query_count_does_not_grow_with_the_data(
    regie_client, regie, django_assert_num_queries
):
    url = reverse("governance:decisions")
    _decisions_with_follow_up(2, regie)
    regie_client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        regie_client.get(url)
    _decisions_with_follow_up(20, regie)
    with django_assert_num_queries(len(small.captured_queries)):
        regie_client.get(url)


def test_the_chain_is_visible_from_the_decision(client, chain, viewer):
    client.force_login(viewer)
    html = client.get(
        reverse("governance:decision", args=[chain["decision"].number])
    ).content.decode()
    assert chain["signal"].summary in html
    assert "Eerste locatie open" in html
    assert chain["item"].title in html


def test_the_chain_is_visible_from_the_meeting(client, chain, viewer):
    client.force_login(viewer)
    html = client.get(reverse("governance:meeting", args=[chain["meeting"].pk])).content.decode()
    assert reverse("governance:signal", args=[chain["signal"].pk]) in html
    assert chain["decision"].number in html


@pytest.mark.parametrize("url_name", ["actions:action", "actions:milestone"])
def test_the_chain_is_visible_from_the_action_and_the_milestone(client, chain, viewer, url_name):
    client.force_login(viewer)
    pk = chain["milestone"].action.pk if url_name == "actions:action" else chain["milestone"].pk
    html = client.get(reverse(url_name, args=[pk])).content.decode()
    assert reverse("governance:decision", args=[chain["decision"].number]) in html
    assert reverse("governance:signal", args=[chain["signal"].pk]) in html


def test_the_governance_map_draws_every_board_and_lists_its_mandates(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("governance:boards")).content.decode()
    assert html.count("<rect") == 5
    for text in [
        "Topberaad Migratieketen",
        "Ambtelijke sturingsdriehoek",
        "Opdrachtgever (DG)",
        "Verleent en wijzigt de opdracht",
    ]:
        assert text in html
    assert "<script" not in html.split("<main")[1]


def test_an_assessment_and_partner_impact_are_recorded_by_regie(regie_client):
    decision = DecisionFactory()
    regie_client.post(
        reverse("governance:assessment-new", args=[decision.number]),
        {"kind": "uitvoeringstoets", "requested_on": "2026-01-10", "outcome": "pending"},
    )
    assessment = ImpactAssessment.objects.get()
    regie_client.post(
        reverse("governance:partner-impact-new", args=[assessment.pk]),
        {
            "organisation": org("IND").pk,
            "capacity_fte": "12.5",
            "lead_time_months": "6",
            "cost_eur": "1500000",
        },
    )
    impact = assessment.impacts.get()
    assert (impact.organisation.code, str(impact.capacity_fte), impact.lead_time_months) == (
        "IND",
        "12.5",
        6,
    )


def test_a_long_status_note_is_kept_whole_and_shown_in_the_history(regie_client):
    """A note of 300+ characters once gave a 500 (it went into the 100-character history reason)."""
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    note = "Vastgesteld in het Topberaad na bespreking van de uitvoeringstoets; " * 7
    response = regie_client.post(
        reverse("governance:decision-status", args=[decision.number]),
        {"to": "adopted", "note": note},
        follow=True,
    )
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.history.first().history_note == note.strip()
    page = regie_client.get(reverse("governance:decision", args=[decision.number]))
    assert note.strip() in page.content.decode()
