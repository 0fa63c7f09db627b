"""The write path of calendar feeds: make (or make anew) and revoke a user's secret address."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from governance.accounts import audit, roles
from governance.models import AuditAction, CalendarFeed

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

#: Bytes of randomness in a token (it is the whole secret of the address).
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_calendar_feed(*, user: User, request: HttpRequest | None = None) -> str:
    """Give `user` a new secret calendar address and return its token, the only time it is
    known: only its SHA-256 is stored. An earlier address of the user stops working. Audited."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed, created = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": hash_token(token),
            "token_prefix": token[:8],
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    audit.record(
        action=AuditAction.WRITE,
        actor=user,
        obj=feed,
        request=request,
        detail={"calendar_feed": "created" if created else "renewed"},
    )
    return token


@transaction.atomic
def revoke_calendar_feed(*, user: User, request: HttpRequest | None = None) -> bool:
    """End the user's calendar address, if any (True when there was one). Audited."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return False
    audit.record(
        action=AuditAction.WRITE,
        actor=user,
        obj=feed,
        request=request,
        detail={"calendar_feed": "revoked"},
    )
    feed.delete()
    return True


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a token opens: its user must be active and have a role in the portal."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user__membership__organisation")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None or roles.role_of(feed.user) is None:
        return None
    return feed


def note_use(feed: CalendarFeed) -> None:
    """Remember when the address was last read, at most once an hour (calendar apps poll)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
