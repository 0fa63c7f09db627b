"""Notifications: made once per user and event, mailed once (immediately or in a digest, or not
at all), in the user's language, through a real SMTP server."""

from __future__ import annotations

import datetime
import threading
from email.header import decode_header, make_header

import pytest
from django.db import connection
from django.utils import timezone

from dashboards.uploads import approval as upload_approval
from governance.boards import services as board_services
from governance.models import (
    MailPreference,
    MailState,
    Notification,
    NotificationKind,
    Recommendation,
    ReportingMoment,
    Role,
)
from governance.notifications import services, tasks
from tests.dashboards.factories import IND_Q1, submit
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MilestoneFactory,
    RecommendationFactory,
    make_user,
    org,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def with_email(user, address: str | None = None):
    user.email = address or f"{user.username}@example.test"
    user.save()
    return user


def milestone(owner: str = "IND", title: str = "Nulmeting uitgevoerd", due: int = 5):
    recommendation = Recommendation.objects.filter(code="R-2.1").first()
    action = ActionFactory(
        owner=org(owner),
        title="Doorlooptijden meten",
        recommendations=[recommendation or RecommendationFactory(code="R-2.1")],
    )
    return MilestoneFactory(action=action, title=title, due_date=days(due))


def of_kind(kind: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, **filters).order_by("pk"))


def only_milestones_mailed() -> None:
    """The tests' chain also misses deliveries; those are not what these tests mail."""
    Notification.objects.exclude(kind=NotificationKind.MILESTONE_DUE).update(
        mail_state=MailState.SKIPPED
    )


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    if message.is_multipart():
        part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode()
    return message.get_payload(decode=True).decode()


# ---------------------------------------------------------------- what is made, once


def test_a_milestone_due_soon_notifies_the_owners_people_once_with_action_and_recommendation(
    ind_partner, coa_partner
):
    m = milestone(due=5)

    services.create_notifications()
    services.create_notifications()  # beat runs again: nothing new

    (n,) = of_kind(NotificationKind.MILESTONE_DUE)
    assert n.user == ind_partner
    assert n.params["action"] == "Doorlooptijden meten"
    assert n.params["recommendations"] == ["R-2.1"]
    assert n.url == f"/mijlpalen/{m.pk}/"
    assert not of_kind(NotificationKind.MILESTONE_DUE, user=coa_partner)


def test_a_milestone_due_later_than_the_window_is_not_reminded_yet(ind_partner, settings):
    settings.NOTIFY_MILESTONE_DAYS = 14
    milestone(due=20)
    services.create_notifications()
    assert not of_kind(NotificationKind.MILESTONE_DUE)


def test_an_overdue_milestone_is_told_once_and_again_after_it_is_replanned_and_slips(
    ind_partner,
):
    m = milestone(due=-2)
    services.create_notifications()
    assert len(of_kind(NotificationKind.MILESTONE_OVERDUE)) == 1

    m.due_date = days(-1)  # re-planned, and late again
    m.save()
    services.create_notifications()
    services.create_notifications()

    assert len(of_kind(NotificationKind.MILESTONE_OVERDUE)) == 2


def test_missing_deliveries_notify_the_owning_partner(ind_partner, coa_partner):
    services.create_notifications()
    ind = of_kind(NotificationKind.DELIVERY_MISSING, user=ind_partner)
    assert ind and {n.params["indicator"] for n in ind} >= {"asylum_pending"}
    coa = {
        n.params["indicator"] for n in of_kind(NotificationKind.DELIVERY_MISSING, user=coa_partner)
    }
    assert "asylum_pending" not in coa and "reception_occupancy" in coa


def test_an_approved_and_a_rejected_upload_tell_the_uploader_with_the_reason(ind_partner, regie):
    first = submit(ind_partner, IND_Q1)
    second = submit(ind_partner, IND_Q1.replace(",100,", ",101,"), name="tweede.csv")
    upload_approval.approve_upload(upload=first, by=regie)
    upload_approval.reject_upload(upload=second, by=regie, reason="Maart klopt niet met het CBS")

    services.create_notifications()

    (approved,) = of_kind(NotificationKind.UPLOAD_APPROVED)
    (rejected,) = of_kind(NotificationKind.UPLOAD_REJECTED)
    assert approved.user == rejected.user == ind_partner
    assert rejected.params["reason"] == "Maart klopt niet met het CBS"


def test_a_follow_up_action_assigned_by_a_decision_tells_the_owning_organisation(
    regie, coa_partner, ind_partner
):
    decision = DecisionFactory(number="TB-2026-07")
    board_services.add_follow_up(
        decision=decision,
        by=regie,
        title="Extra opvangplekken zoeken",
        owner=org("COA"),
        due_date=days(60),
        responsible_function="Directeur opvang",
    )

    services.create_notifications()

    (n,) = of_kind(NotificationKind.FOLLOW_UP_ASSIGNED)
    assert n.user == coa_partner
    assert (n.params["action"], n.params["decision"]) == (
        "Extra opvangplekken zoeken",
        "TB-2026-07",
    )


def test_a_reporting_moment_coming_tells_regie_and_partners_not_readers(regie, ind_partner, viewer):
    ReportingMoment.objects.create(date=days(10), title="Voortgangsbrief", created_by=regie)
    ReportingMoment.objects.create(date=days(60), title="Later", created_by=regie)

    services.create_notifications()

    found = of_kind(NotificationKind.REPORTING_MOMENT)
    assert {n.user for n in found} == {regie, ind_partner}
    assert {n.params["title"] for n in found} == {"Voortgangsbrief"}


# ---------------------------------------------------------------- mail


def test_an_immediate_user_gets_one_mail_per_notification_and_never_twice(mailbox, ind_partner):
    with_email(ind_partner, "analist@ind.example.test")
    milestone(due=5)
    services.create_notifications()
    only_milestones_mailed()

    assert tasks.notify()["mailed"] == 1
    assert tasks.notify()["mailed"] == 0  # beat again: nothing twice

    (mail,) = mailbox
    assert mail["To"] == "analist@ind.example.test"
    assert "Nulmeting uitgevoerd" in subject(mail)
    text = body(mail)
    assert "Doorlooptijden meten" in text and "R-2.1" in text
    assert "http://localhost:8000/mijlpalen/" in text
    (n,) = of_kind(NotificationKind.MILESTONE_DUE)
    assert n.mail_state == MailState.SENT and n.mailed_at is not None


def test_a_digest_user_gets_one_mail_a_day_with_everything(mailbox, ind_partner, regie):
    with_email(ind_partner)
    services.save_preference(user=ind_partner, mail=MailPreference.DIGEST, language="nl")
    milestone(title="Eerste", due=3)
    milestone(title="Tweede", due=4)
    services.create_notifications()
    only_milestones_mailed()

    assert services.send_immediate_mail() == 0
    assert tasks.send_daily_digest() == 1
    assert tasks.send_daily_digest() == 0

    (mail,) = mailbox
    assert "2 meldingen" in subject(mail)
    assert "Eerste" in body(mail) and "Tweede" in body(mail)


def test_a_user_who_turned_mail_off_sees_the_notification_only_in_the_portal(mailbox, ind_partner):
    with_email(ind_partner)
    services.save_preference(user=ind_partner, mail=MailPreference.OFF, language="nl")
    milestone(due=5)

    tasks.notify()
    tasks.send_daily_digest()

    assert not mailbox
    assert of_kind(NotificationKind.MILESTONE_DUE, user=ind_partner)[0].mail_state == "skipped"


def test_the_mail_is_written_in_the_users_language(mailbox, ind_partner):
    with_email(ind_partner)
    services.save_preference(user=ind_partner, mail=MailPreference.IMMEDIATE, language="en")
    milestone(due=5)
    services.create_notifications()
    only_milestones_mailed()

    services.send_immediate_mail()

    (mail,) = mailbox
    assert "Milestone" in subject(mail) and "Mijlpaal" not in subject(mail)
    assert "Action: Doorlooptijden meten" in body(mail)


def test_a_failed_send_is_retried_on_the_next_run(mailbox, ind_partner, settings, smtp_server):
    with_email(ind_partner)
    milestone(due=5)
    services.create_notifications()
    only_milestones_mailed()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nobody listens
        }
    }
    assert services.send_immediate_mail() == 0
    assert of_kind(NotificationKind.MILESTONE_DUE)[0].mail_state == MailState.PENDING

    settings.MAILERS = smtp_server.mailer()
    assert services.send_immediate_mail() == 1
    assert len(mailbox) == 1


def test_bad_preferences_are_refused_and_change_nothing(ind_partner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        services.save_preference(user=ind_partner, mail="hourly", language="fr")
    assert set(raised.value.message_dict) == {"mail", "language"}
    assert services.preference_of(ind_partner).pk is None


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_make_and_mail_each_notification_once(mailbox, seeded):
    partner = with_email(make_user(Role.PARTNER, "IND", username="ind-gelijktijdig"))
    for n in range(3):
        milestone(title=f"Mijlpaal {n}", due=2 + n)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            tasks.notify()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    due = of_kind(NotificationKind.MILESTONE_DUE, user=partner)
    assert len(due) == 3
    subjects = [subject(m) for m in mailbox]
    assert len(subjects) == len(set(subjects)) == Notification.objects.filter(user=partner).count()


def test_the_command_makes_and_mails_what_is_due(mailbox, ind_partner):
    from io import StringIO

    from django.core.management import call_command

    with_email(ind_partner)
    services.save_preference(user=ind_partner, mail=MailPreference.DIGEST, language="nl")
    milestone(due=5)
    out = StringIO()

    call_command("send_notifications", "--digest", stdout=out)

    assert "1 digests sent" in out.getvalue()
    assert len(mailbox) == 1
    call_command("send_notifications", "--digest", stdout=out)
    assert len(mailbox) == 1
