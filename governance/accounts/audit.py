"""The audit trail's one write path: `record(...)`, called by services, views and signals.

An event is written in the caller's transaction: a write that rolls back leaves no event
claiming it happened. Events that must survive a failing request (a failed login, a refused
code) are recorded outside any transaction by their callers. Never pass a secret in `detail`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.db.models.signals import post_save
from django.dispatch import receiver

from governance.models import AuditAction, AuditEvent, AuditOutcome, Organisation
from ketenportaal.logs import current_client_ip, current_request_id
from ketenportaal.net import client_ip

from . import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest
    from knox.models import AuthToken


def record(
    *,
    action: str,
    actor: User | AnonymousUser | None = None,
    obj: Model | None = None,
    organisation: Organisation | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    request: HttpRequest | None = None,
    actor_name: str = "",
    detail: dict[str, Any] | None = None,
    token: AuthToken | None = None,
) -> AuditEvent:
    """Append one audit event. The organisation defaults to the actor's, the address and the
    request id come from the request (or the log context of a request or task).

    An API token is named by its public prefix (`token_key`), never by its digest (knox's
    primary key and string)."""
    user = actor if actor is not None and actor.is_authenticated else None
    if organisation is None and user is not None:
        organisation = roles.organisation_of(user)
    request_id = getattr(request, "request_id", "") or current_request_id()
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    object_repr = str(obj)[:200] if obj is not None else ""
    if token is not None:
        object_type, object_id, object_repr = "knox.authtoken", token.token_key, token.token_key
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(actor_name or (user.get_username() if user is not None else ""))[:150],
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        ip=client_ip(request) if request is not None else current_client_ip(),
        outcome=outcome,
        request_id=request_id[:64],
        detail=detail or {},
    )


# ---------------------------------------------------------------- authentication signals


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any):
    backend = getattr(user, "backend", "") or ""
    record(
        action=AuditAction.LOGIN,
        actor=user,
        request=request,
        detail={"method": "sso" if "oidc" in backend.lower() else "password"},
    )


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any):
    if user is not None and user.is_authenticated:
        record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request=None, **kwargs: Any):
    # A refused second factor is recorded as mfa_failed where it happens; it sends this
    # signal as well, so that django-axes counts it towards the lockout.
    if credentials.get("otp_failure"):
        return
    record(
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        request=request,
        actor_name=str(credentials.get("username", ""))[:150],
    )


# ---------------------------------------------------------------- the Django admin

_ADMIN_ACTIONS = {
    ADDITION: AuditAction.ADMIN_ADD,
    CHANGE: AuditAction.ADMIN_CHANGE,
    DELETION: AuditAction.ADMIN_DELETE,
}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin")
def _admin_logged(sender: Any, instance: LogEntry, created: bool, **kwargs: Any):
    """Every add, change and delete in the Django admin (it writes a LogEntry for each)."""
    if not created:
        return
    content_type = instance.content_type
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        actor_name=instance.user.get_username(),
        organisation=roles.organisation_of(instance.user),
        action=_ADMIN_ACTIONS.get(instance.action_flag, AuditAction.ADMIN_CHANGE),
        object_type=(
            f"{content_type.app_label}.{content_type.model}" if content_type is not None else ""
        ),
        object_id=str(instance.object_id or "")[:64],
        object_repr=instance.object_repr[:200],
        ip=current_client_ip(),
        request_id=current_request_id()[:64],
        detail={"change": instance.get_change_message()[:500]},
    )
