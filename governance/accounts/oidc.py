"""Single sign-on with OpenID Connect (mozilla-django-oidc), beside passwords.

The identity provider says who someone is; the portal decides what they may do. A login is
matched by one claim (`OIDC_USER_CLAIM`, default `email`) to exactly one existing, active
portal user with a role (`OIDC_USER_FIELD`, default `email`); nobody is ever created or given
a role on the fly, and the provider cannot change a user's fields. When the ID token's
`OIDC_MFA_CLAIM` (default `amr`) holds one of `OIDC_MFA_VALUES` (default `mfa`), the provider
did its own multi-factor login, and with `OIDC_MFA_SKIPS_TOTP` the portal does not ask for its
own code.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from governance.models import AuditAction, AuditOutcome

from . import audit, roles
from .mfa import IDP_MFA_SESSION_KEY

logger = logging.getLogger(__name__)


def asserts_mfa(claims: dict[str, Any]) -> bool:
    """The identity provider's claim says it used more than one factor."""
    value = claims.get(settings.OIDC_MFA_CLAIM)
    values = value if isinstance(value, list | tuple) else [value] if value else []
    return any(str(item) in settings.OIDC_MFA_VALUES for item in values)


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's user to one existing portal user; never creates one."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get(settings.OIDC_USER_CLAIM))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"{settings.OIDC_USER_CLAIM}={claims.get(settings.OIDC_USER_CLAIM)!s}"

    def filter_users_by_claims(self, claims: dict[str, Any]):
        value = claims.get(settings.OIDC_USER_CLAIM)
        if not value:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(
            **{f"{settings.OIDC_USER_FIELD}__iexact": str(value)}, is_active=True
        )
        return [user for user in users.select_related("membership") if roles.role_of(user)]

    def create_user(self, claims: dict[str, Any]):
        return None

    def update_user(self, user, claims: dict[str, Any]):
        return user

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.request.oidc_unmatched = str(payload.get(settings.OIDC_USER_CLAIM, ""))[:150]
            return None
        user.identity_provider_mfa = asserts_mfa(payload)
        return user


class CallbackView(OIDCAuthenticationCallbackView):
    """After the provider: remember in the session whether it did multi-factor; audit failures."""

    def login_success(self):
        response = super().login_success()
        self.request.session[IDP_MFA_SESSION_KEY] = bool(
            getattr(self.user, "identity_provider_mfa", False)
        )
        return response

    def login_failure(self):
        audit.record(
            action=AuditAction.SSO_LOGIN_FAILED,
            outcome=AuditOutcome.FAILURE,
            request=self.request,
            actor_name=getattr(self.request, "oidc_unmatched", ""),
        )
        messages.error(
            self.request,
            _(
                "Inloggen via de identiteitsprovider is niet gelukt: er is geen "
                "portaalgebruiker met uw gegevens, of het inloggen werd afgebroken. Neem "
                "contact op met de functioneel beheerder."
            ),
        )
        return super().login_failure()
