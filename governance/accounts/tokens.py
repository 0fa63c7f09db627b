"""API tokens (django-rest-knox): stored as a hash, with an expiry; a user revokes their own.

The key itself is shown once, when it is made; afterwards only its first characters
(`token_key`) identify it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from governance.models import AuditAction

from . import audit, roles

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


def active_tokens_of(user: User) -> QuerySet[AuthToken]:
    """The user's tokens that have not expired, newest first."""
    return (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created")
    )


@transaction.atomic
def create_api_token(*, user: User, request: HttpRequest | None = None) -> tuple[AuthToken, str]:
    """Make a token for `user` (who needs a portal role) that expires after the configured TTL.

    Returns the stored token (its hash) and the key, which is not stored and cannot be shown again.
    """
    if not roles.role_of(user):
        raise PermissionDenied(_("U heeft geen rol in het ketenportaal."))
    instance, key = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    audit.record(action=AuditAction.TOKEN_CREATED, actor=user, token=instance, request=request)
    return instance, key


@transaction.atomic
def revoke_api_token(*, user: User, token_key: str, request: HttpRequest | None = None) -> int:
    """Revoke the user's own token(s) with this key prefix; returns how many. Another user's token
    is never touched: the filter is on `user`."""
    revoked = list(AuthToken.objects.filter(user=user, token_key=token_key))
    for token in revoked:
        audit.record(action=AuditAction.TOKEN_REVOKED, actor=user, token=token, request=request)
    deleted, _details = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted
