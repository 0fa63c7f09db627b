import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from governance.models import (
    AgendaItem,
    Direction,
    Signal,
)
from governance.steering import signals as loop
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    make_figures,
    make_target,
)

pytestmark = pytest.mark.django_db


def _signals_with_chain(n, regie):
    meeting = MeetingFactory()
    for _ in range(n):
        MilestoneFactory(overdue=True)
    loop.compute_signals()
    for signal in Signal.objects.open().filter(agenda_items__isnull=True):
        item = AgendaItem.objects.create(meeting=meeting, title="Signaal", signal=signal)
        decision = DecisionFactory(agenda_item=item, meeting=meeting)
        milestone = MilestoneFactory()
        Action.objects.filter(pk=milestone.action_id).update(decision=decision)


TODAY = datetime.date.today()


def test_the_signals_page_query_count_does_not_grow_with_the_data(
    regie_client, regie, django_assert_num_queries
):
    url = reverse("governance:signals")
    _signals_with_chain(2, regie)
    regie_client.get(url)
    with CaptureQueriesContext(connection) as small:
        regie_client.get(url)
    _signals_with_chain(15, regie)
    with django_assert_num_queries(len(small.captured_queries)):
        response = regie_client.get(url)
    assert response.content.decode().count('id="signaal-') >= 17


def test_the_chain_is_visible_from_the_signal(client, chain, viewer):
    client.force_login(viewer)
    html = client.get(reverse("governance:signal", args=[chain["signal"].pk])).content.decode()
    for text in [
        "Bezetting opvang",
        "65.000",
        chain["meeting"].title,
        chain["decision"].number,
        "Locaties openen",
        "Eerste locatie open",
    ]:
        assert text in html, text


def test_regie_closes_the_signal_with_the_decision(regie_client, chain):
    regie_client.post(
        reverse("governance:decision-close-signal", args=[chain["decision"].number]),
        {"signal": chain["signal"].pk},
    )
    signal = Signal.objects.get(pk=chain["signal"].pk)
    assert signal.status == "closed"
    assert signal.closed_by_decision == chain["decision"]


def test_regie_puts_a_signal_on_the_agenda_from_the_signals_page(regie_client):
    meeting = MeetingFactory()
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(kind="milestone_overdue")
    response = regie_client.post(
        reverse("governance:signal-to-agenda", args=[signal.pk]), follow=True
    )
    assert meeting.agenda_items.get().signal == signal
    assert "staat op de agenda van" in response.content.decode()


def test_the_goal_page_shows_the_2021_goal_and_the_years_targets(client, viewer):
    make_target("DTV", "departures", str(TODAY.year), 12000, Direction.AT_LEAST)
    client.force_login(viewer)
    html = client.get(reverse("governance:goal")).content.decode()
    assert "Ervoor zorgdragen dat asielzoekers snel en zorgvuldig" in html
    assert "ten minste 12.000" in html
    assert "Nog geen cijfers" in html


def test_the_goal_page_shows_each_targets_realisation_against_its_norm(client, viewer):
    year = TODAY.year
    make_target("COA", "reception_occupancy", str(year), 60000, Direction.AT_MOST, tolerance=0)
    make_target("COA", "reception_status_holders", str(year), 15000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {f"{year}-01": 65000})
    make_figures("COA", "reception_status_holders", {f"{year}-01": 9000})
    client.force_login(viewer)
    html = client.get(reverse("governance:goal")).content.decode()
    assert "65.000" in html and "Niet gehaald" in html
    assert "9.000" in html and "Binnen de norm" in html
