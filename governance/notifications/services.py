"""The write paths of notifications: making them, reading them, mailing them, preferences.

Never twice: a notification is made once per (user, key) (a unique constraint, inserted with
ON CONFLICT DO NOTHING), and mailed once: a mail is claimed with a conditional UPDATE
(pending → claimed) under `SELECT … FOR UPDATE SKIP LOCKED`, so two runs at the same time take
disjoint sets. A failed send puts the claim back (retried next run); a crash between sending and
recording leaves it claimed, which is never sent again: at most once, as promised.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.models import MailPreference, MailState, Notification, NotificationPreference

from . import collect, texts

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def preference_of(user: User) -> NotificationPreference:
    """The user's preference, or the default (immediately, the portal's language) unsaved."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@transaction.atomic
def save_preference(*, user: User, mail: str, language: str) -> NotificationPreference:
    """Store how `user` wants to be mailed and in which language (their own choice only)."""
    errors = {}
    if mail not in MailPreference.values:
        errors["mail"] = _("Kies hoe u meldingen per e-mail wilt ontvangen.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Kies een taal.")
    if errors:
        raise ValidationError(errors)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"mail": mail, "language": language}
    )
    if mail == MailPreference.OFF:
        # What waits is not mailed later when the user switches mail on again.
        Notification.objects.filter(user=user, mail_state=MailState.PENDING).update(
            mail_state=MailState.SKIPPED
        )
    return preference


def create_notifications(*, now: datetime.datetime | None = None) -> int:
    """Make the notifications of everything worth telling now (`collect`); returns how many are
    new. Safe to run any number of times, at once too: one notification per (user, key)."""
    now = now or timezone.now()
    drafts = {(d.user_id, d.key): d for d in collect.everything(now)}
    if not drafts:
        return 0
    users = get_user_model().objects.filter(pk__in={user_id for user_id, _key in drafts})
    mailable = {
        pk
        for pk, email, mail in users.values_list("pk", "email", "notification_preference__mail")
        if email and mail != MailPreference.OFF
    }
    existing = set(
        Notification.objects.filter(
            user_id__in={user_id for user_id, _key in drafts}, key__in={k for _u, k in drafts}
        ).values_list("user_id", "key")
    )
    new = [
        Notification(
            user_id=d.user_id,
            kind=d.kind,
            key=d.key,
            url=d.url,
            params=d.params,
            mail_state=MailState.PENDING if d.user_id in mailable else MailState.SKIPPED,
        )
        for pair, d in drafts.items()
        if pair not in existing
    ]
    # A run at the same time may insert the same rows between the read and here: the unique
    # constraint keeps the first, this insert skips it.
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> None:
    """Mark one of the user's own notifications read (someone else's is not found)."""
    Notification.objects.filter(pk=notification.pk, user=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


# ---------------------------------------------------------------- mail


def _claim(preference: str) -> list[Notification]:
    """Take the pending mails of users with this preference; the rows are ours alone."""
    wants = Q(user__notification_preference__mail=preference)
    if preference == MailPreference.IMMEDIATE:
        wants |= Q(user__notification_preference__isnull=True)
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(wants, mail_state=MailState.PENDING)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids, mail_state=MailState.PENDING).update(
            mail_state=MailState.CLAIMED
        )
    return list(
        Notification.objects.filter(pk__in=ids, mail_state=MailState.CLAIMED)
        .select_related("user__notification_preference")
        .order_by("user_id", "created_at", "pk")
    )


def _language_of(user: User) -> str:
    return preference_of(user).language or settings.LANGUAGE_CODE


def _link(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path if path else settings.PORTAL_URL


def _message(user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(_language_of(user)):
        items = [
            {"title": texts.title(n), "details": texts.details(n), "link": _link(n.url)}
            for n in notifications
        ]
        context = {
            "user": user,
            "items": items,
            "portal_url": settings.PORTAL_URL,
            "settings_url": _link("/meldingen/voorkeuren/"),
        }
        if len(items) == 1:
            subject = _("Ketenportaal: %(title)s") % {"title": items[0]["title"]}
        else:
            subject = _("Ketenportaal: %(count)s meldingen") % {"count": len(items)}
        text = render_to_string("notifications/mail.txt", context)
        html = render_to_string("notifications/mail.html", context)
    message = EmailMultiAlternatives(
        subject=subject[:250],
        body=text,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _send(groups: list[list[Notification]]) -> int:
    """Send one mail per group; record each as sent, or put a failed one's claim back."""
    sent = 0
    for group in groups:
        ids = [n.pk for n in group]
        try:
            _message(group[0].user, group).send()
        except Exception:
            logger.exception("Notification mail to user %s failed", group[0].user_id)
            Notification.objects.filter(pk__in=ids, mail_state=MailState.CLAIMED).update(
                mail_state=MailState.PENDING
            )
            continue
        Notification.objects.filter(pk__in=ids).update(
            mail_state=MailState.SENT, mailed_at=timezone.now()
        )
        sent += 1
    return sent


def _with_address(claimed: list[Notification]) -> list[Notification]:
    """The claimed mails whose user has an address; the others are not mailed (they stay in the
    portal)."""
    without = [n.pk for n in claimed if not n.user.email]
    if without:
        Notification.objects.filter(pk__in=without).update(mail_state=MailState.SKIPPED)
    return [n for n in claimed if n.user.email]


def send_immediate_mail() -> int:
    """Mail each pending notification of the users who want them at once; returns mails sent."""
    return _send([[n] for n in _with_address(_claim(MailPreference.IMMEDIATE))])


def send_daily_digest() -> int:
    """One mail per digest user with everything pending; returns mails sent."""
    per_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in _with_address(_claim(MailPreference.DIGEST)):
        per_user[notification.user_id].append(notification)
    return _send(list(per_user.values()))
