"""Ending a user's sessions and tokens: on request ("log out everywhere"), and whenever what
they may do changes — a new role or organisation, deactivation — or their password changes.

Sessions are found through LoginSession (written at every login), not by decoding every
stored session. The automatic revocations hang on model signals on purpose: the user, the
membership and the password change through the Django admin, the operator command, the
password pages and the services alike, and a change of rights must end access on every one of
those paths, including ones added later.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from knox.models import AuthToken

from governance.models import AuditAction, CalendarFeed, LoginSession, Membership
from ketenportaal.net import client_ip

from . import audit

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from ketenportaal.http import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)
UserModel = get_user_model()


@receiver(user_logged_in, dispatch_uid="sessions-remember-login")
def _remember_login(sender: Any, request: HttpRequest | None, user, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    LoginSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": client_ip(request), "started_at": timezone.now()},
    )


@transaction.atomic
def revoke_sessions_and_tokens(
    *,
    user: User,
    reason: str,
    keep_session: str | None = None,
    tokens: bool = True,
    by: User | None = None,
) -> tuple[int, int]:
    """End every session of `user` (except `keep_session`) and, with `tokens`, revoke every API
    token. Audited with the reason. Returns (sessions ended, tokens revoked)."""
    logins = LoginSession.objects.filter(user=user)
    if keep_session:
        logins = logins.exclude(session_key=keep_session)
    keys = list(logins.values_list("session_key", flat=True))
    ended, _details = Session.objects.filter(session_key__in=keys).delete()
    logins.delete()
    revoked = feeds = 0
    if tokens:
        revoked, _details = AuthToken.objects.filter(user=user).delete()
        # The secret calendar address is a credential too: it ends with the tokens.
        feeds, _details = CalendarFeed.objects.filter(user=user).delete()
    if ended or revoked or feeds:
        detail = {"reason": reason, "sessions": ended, "tokens": revoked}
        if feeds:
            detail["calendar_feeds"] = feeds
        audit.record(action=AuditAction.SESSIONS_REVOKED, actor=by, obj=user, detail=detail)
    return ended, revoked


def log_out_everywhere(*, request: AuthenticatedHttpRequest) -> tuple[int, int]:
    """ "Log out everywhere": every other session of the user ends and every API token is
    revoked; this session stays."""
    return revoke_sessions_and_tokens(
        user=request.user,
        reason="logout_everywhere",
        keep_session=request.session.session_key,
        by=request.user,
    )


# ---------------------------------------------------------------- rights changed


@receiver(pre_save, sender=UserModel, dispatch_uid="sessions-user-changed")
def _user_changing(sender: Any, instance, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    before = UserModel.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance.__dict__["_rights_before"] = before


@receiver(post_save, sender=UserModel, dispatch_uid="sessions-user-changed-after")
def _user_changed(sender: Any, instance, created: bool, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_rights_before", None)
    if created or not before:
        return
    if before["is_active"] and not instance.is_active:
        revoke_sessions_and_tokens(user=instance, reason="deactivated")
    elif before["password"] != instance.password:
        # Django itself ends the other sessions (their auth hash no longer matches); the API
        # tokens would live on, so they go.
        revoked, _details = AuthToken.objects.filter(user=instance).delete()
        CalendarFeed.objects.filter(user=instance).delete()
        audit.record(
            action=AuditAction.PASSWORD_CHANGED, obj=instance, detail={"tokens_revoked": revoked}
        )


@receiver(pre_save, sender=Membership, dispatch_uid="sessions-membership-changing")
def _membership_changing(sender: Any, instance: Membership, **kwargs: Any) -> None:
    before = (
        Membership.objects.filter(pk=instance.pk).values("role", "organisation_id").first()
        if instance.pk
        else None
    )
    instance.__dict__["_rights_before"] = before


@receiver(post_save, sender=Membership, dispatch_uid="sessions-membership-changed")
def _membership_changed(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_rights_before", None)
    if before and (
        before["role"] != instance.role or before["organisation_id"] != instance.organisation_id
    ):
        revoke_sessions_and_tokens(user=instance.user, reason="role_or_organisation_changed")


# ---------------------------------------------------------------- nightly purge


def purge_expired(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete expired sessions (and their LoginSession rows), expired API tokens, and lockout
    rows older than the cool-off (and AXES_LOG_RETENTION_DAYS for the access logs). Safe to run
    any time: it only removes what can no longer be used."""
    now = now or timezone.now()
    sessions, _details = Session.objects.filter(expire_date__lt=now).delete()
    orphans, _details = LoginSession.objects.exclude(
        session_key__in=Session.objects.values("session_key")
    ).delete()
    tokens, _details = AuthToken.objects.filter(expiry__lt=now).delete()
    cooloff = datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts, _details = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
    retention = now - datetime.timedelta(days=settings.AXES_LOG_RETENTION_DAYS)
    failures, _details = AccessFailureLog.objects.filter(attempt_time__lt=retention).delete()
    logs, _details = AccessLog.objects.filter(attempt_time__lt=retention).delete()
    counts = {
        "sessions": sessions,
        "login_sessions": orphans,
        "tokens": tokens,
        "lockouts": attempts,
        "failure_logs": failures,
        "access_logs": logs,
    }
    logger.info("purged expired rows", extra=counts)
    return counts
