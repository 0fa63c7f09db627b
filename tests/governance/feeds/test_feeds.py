"""A user's calendar feed: a secret address stored hashed, made, made anew and revoked on the
account page; the feed itself needs no login and holds the user's meetings and milestones."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import MilestoneStatus
from governance.feeds import services
from governance.models import AuditEvent, CalendarFeed, Role
from tests.factories import (
    ActionFactory,
    MeetingFactory,
    MilestoneFactory,
    UserFactory,
    board,
    make_user,
    org,
)

pytestmark = pytest.mark.django_db

MANAGE = reverse("calendar-feed-manage")


def feed_url(token: str) -> str:
    return reverse("calendar-feed", args=[token])


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_the_token_is_stored_only_as_its_hash(regie):
    token = services.create_calendar_feed(user=regie)
    feed = CalendarFeed.objects.get(user=regie)
    assert feed.token_hash == services.hash_token(token) != token
    assert token not in str(CalendarFeed.objects.values().get())
    assert AuditEvent.objects.filter(actor=regie, object_type="governance.calendarfeed").exists()


def test_the_feed_needs_no_login_and_is_a_calendar(client, ind_partner):
    MilestoneFactory(action=ActionFactory(owner=org("IND")), title="Nulmeting IND")
    token = services.create_calendar_feed(user=ind_partner)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = unfold(response.content.decode())
    assert (
        body.startswith("BEGIN:VCALENDAR\r\n")
        and "SUMMARY:Deadline mijlpaal: Nulmeting IND" in body
    )
    assert CalendarFeed.objects.get(user=ind_partner).last_used_at is not None


def test_a_partner_gets_its_own_milestones_and_its_boards_meetings(client):
    police = make_user(Role.PARTNER, "POL", username="pol-test")
    MilestoneFactory(action=ActionFactory(owner=org("POL")), title="Van de politie")
    MilestoneFactory(action=ActionFactory(owner=org("COA")), title="Van COA")
    MeetingFactory(board=board("TB"), title="Topberaad maart", location="Den Haag, zaal 3")
    MeetingFactory(board=board("DBA"), title="Deelberaad zonder politie")
    token = services.create_calendar_feed(user=police)
    body = unfold(client.get(feed_url(token)).content.decode())
    assert "Van de politie" in body and "Van COA" not in body
    assert "Topberaad maart" in body and "LOCATION:Den Haag\\, zaal 3" in body
    assert "Deelberaad zonder politie" not in body


def test_regie_gets_every_milestone(client, regie):
    MilestoneFactory(action=ActionFactory(owner=org("IND")), title="Van IND")
    MilestoneFactory(action=ActionFactory(owner=org("COA")), title="Van COA")
    body = unfold(client.get(feed_url(services.create_calendar_feed(user=regie))).content.decode())
    assert "Van IND" in body and "Van COA" in body


def test_a_replanned_milestone_moves_in_the_calendar_with_a_higher_sequence(client, regie):
    milestone = MilestoneFactory(due_date=days(20), baseline_due_date=days(20))
    action_services.replan_milestone(
        milestone=milestone, by=regie, due_date=days(30), reason="Later"
    )
    body = unfold(client.get(feed_url(services.create_calendar_feed(user=regie))).content.decode())
    assert f"DTSTART;VALUE=DATE:{days(30):%Y%m%d}" in body and "SEQUENCE:1" in body


def test_an_unknown_revoked_or_replaced_token_gets_404(client, regie):
    assert client.get(feed_url("niet-bestaand")).status_code == 404
    first = services.create_calendar_feed(user=regie)
    second = services.create_calendar_feed(user=regie)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    services.revoke_calendar_feed(user=regie)
    assert client.get(feed_url(second)).status_code == 404


def test_a_deactivated_user_s_feed_stops(client, ind_partner):
    token = services.create_calendar_feed(user=ind_partner)
    ind_partner.is_active = False
    ind_partner.save()
    assert client.get(feed_url(token)).status_code == 404


def test_a_user_without_a_role_has_no_feed(client):
    user = UserFactory()
    token = services.create_calendar_feed(user=user)
    assert client.get(feed_url(token)).status_code == 404


def test_the_account_page_makes_shows_once_and_revokes_the_address(client, ind_partner):
    client.force_login(ind_partner)
    page = client.get(reverse("account")).content.decode()
    assert "Agenda-abonnement" in page and "Agenda-adres maken" in page

    created = client.post(MANAGE, {"action": "create"})
    url = created.context["feed_url"]
    assert url.startswith("http://testserver/agenda/") and url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert services.hash_token(token) == CalendarFeed.objects.get(user=ind_partner).token_hash

    page = client.get(reverse("account")).content.decode()
    assert token[:8] in page and token not in page  # recognisable, never shown again
    assert "Adres intrekken" in page

    revoked = client.post(MANAGE, {"action": "revoke"}, follow=True)
    assert "Uw agenda-adres is ingetrokken" in revoked.content.decode()
    assert not CalendarFeed.objects.filter(user=ind_partner).exists()
    client.logout()
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_query_count_does_not_grow_with_the_events(
    client, regie, django_assert_max_num_queries
):
    token = services.create_calendar_feed(user=regie)
    MilestoneFactory()
    with django_assert_max_num_queries(10) as few:
        client.get(feed_url(token))
    for _ in range(10):
        MilestoneFactory(status=MilestoneStatus.IN_PROGRESS)
        MeetingFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(feed_url(token))


def test_logging_out_everywhere_ends_the_calendar_address(client, ind_partner):
    token = services.create_calendar_feed(user=ind_partner)
    client.force_login(ind_partner)
    client.post(reverse("logout-everywhere"))
    assert not CalendarFeed.objects.filter(user=ind_partner).exists()
    assert client.get(feed_url(token)).status_code == 404


def test_a_new_role_ends_the_calendar_address(client, ind_partner):
    token = services.create_calendar_feed(user=ind_partner)
    membership = ind_partner.membership
    membership.organisation = org("COA")
    membership.save()
    assert client.get(feed_url(token)).status_code == 404


def test_a_new_password_ends_the_calendar_address(client, ind_partner):
    token = services.create_calendar_feed(user=ind_partner)
    ind_partner.set_password("een-heel-nieuw-wachtwoord")
    ind_partner.save()
    assert client.get(feed_url(token)).status_code == 404
