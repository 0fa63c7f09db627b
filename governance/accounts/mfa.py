"""Two factors: TOTP (an authenticator app) with recovery codes, on django-otp.

The pattern of maykin-2fa / django-two-factor-auth: the password logs a user in, and until the
session is verified by a second factor the portal only lets them verify (or, for a role that
requires one, set one up) — the Django admin included. A session is verified by a code of the
user's TOTP device or by one of their single-use recovery codes (django-otp's StaticDevice), or
by the identity provider's own multi-factor login when the user came in through SSO and
`OIDC_MFA_SKIPS_TOTP` allows it. API tokens are untouched: they are made by a verified user, or
through the token endpoint with a code.

A refused code counts as a failed login for django-axes (same user name and address): the
lockout covers codes as it covers passwords.
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.models import AuditAction, AuditOutcome

from . import audit, roles, sessions

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from ketenportaal.http import AuthenticatedHttpRequest


RECOVERY_CODE_COUNT = 10
#: Set in the session when the identity provider asserted its own multi-factor login.
IDP_MFA_SESSION_KEY = "mfa_by_identity_provider"
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required_for(user: User) -> bool:
    """A second factor is required for the roles in MFA_REQUIRED_ROLES (default regie, admin)."""
    return roles.role_of(user) in settings.MFA_REQUIRED_ROLES


def applies_to(user: User) -> bool:
    """The user must pass a second factor: they set one up, or their role requires one."""
    return has_second_factor(user) or is_required_for(user)


def session_is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return bool(request.session.get(IDP_MFA_SESSION_KEY)) and settings.OIDC_MFA_SKIPS_TOTP


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


# ---------------------------------------------------------------- set-up


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device the set-up page shows (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code (a data: URI the CSP allows)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_totp_device(
    *, request: AuthenticatedHttpRequest, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the pending device with a code from the app.

    Guarantees: on a wrong code nothing changes and None is returned; on a right one the device
    is confirmed and becomes the user's only authenticator, new recovery codes replace any old
    ones (returned: shown once, never again), the session counts as verified, and the set-up is
    audited.
    """
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    audit.record(action=AuditAction.MFA_ENABLED, actor=user, request=request)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, request: AuthenticatedHttpRequest) -> list[str]:
    """Replace the user's recovery codes by new ones (returned: shown once)."""
    codes = _new_recovery_codes(request.user)
    audit.record(action=AuditAction.RECOVERY_CODES_CREATED, actor=request.user, request=request)
    return codes


@transaction.atomic
def remove_second_factor(*, request: AuthenticatedHttpRequest) -> None:
    """Remove the user's authenticator and recovery codes; refused where the role requires
    a second factor (PermissionDenied)."""
    if is_required_for(request.user):
        raise PermissionDenied(_("Voor uw rol is een tweede factor verplicht."))
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    audit.record(action=AuditAction.MFA_DISABLED, actor=request.user, request=request)


@transaction.atomic
def reset_second_factor(*, user: User, by: User, request: HttpRequest | None = None) -> None:
    """The functional administrator resets a user's second factor (a lost or new phone).

    Guarantees: role `admin` only (PermissionDenied), never for the administrator's own account
    (that goes through "Mijn account", with a verified session); a user without a second
    factor is refused (ValidationError) and nothing changes. The authenticator and the recovery
    codes are removed and every session of the user ends, so the next login asks for a new
    set-up where the role requires one; API tokens stay (they were made by a verified user).
    Audited with the administrator as actor and the user as object.
    """
    roles.require_admin(by)
    if user.pk == by.pk:
        raise PermissionDenied(
            _("Uw eigen tweede factor stelt u opnieuw in op de pagina Mijn account.")
        )
    if not (
        TOTPDevice.objects.filter(user=user).exists()
        or StaticDevice.objects.filter(user=user).exists()
    ):
        raise ValidationError(
            _("%(user)s heeft geen tweede factor ingesteld.") % {"user": user.get_username()}
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions.revoke_sessions_and_tokens(user=user, reason="mfa_reset", tokens=False, by=by)
    audit.record(
        action=AuditAction.MFA_RESET,
        actor=by,
        obj=user,
        organisation=roles.organisation_of(user),
        request=request,
    )


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# ---------------------------------------------------------------- verification


class LockedOut(Exception):
    """Too many failed attempts: the user was logged out (django-axes' lockout)."""


def verify_code(*, request: AuthenticatedHttpRequest, code: str, recovery: bool = False) -> bool:
    """Check a code of the user's authenticator (or a recovery code) and verify the session.

    A wrong code is audited and counted by django-axes; when that makes the user locked out, the
    session is ended and LockedOut raised. Not atomic on purpose: the failure must stay recorded.
    """
    user = request.user
    username = user.get_username()
    code = code.strip().replace(" ", "").lower()
    device = (
        StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
        if recovery
        else totp_device(user)
    )
    if device is not None and code:
        with transaction.atomic():
            # Lock the device row: two requests cannot both use one recovery code.
            device = type(device).objects.select_for_update().get(pk=device.pk)
            verified = device.verify_token(code if recovery else _digits(code))
        if verified:
            otp_login(request, device)
            axes_reset(username=username)
            audit.record(
                action=AuditAction.MFA_VERIFIED,
                actor=user,
                request=request,
                detail={"method": "recovery_code" if recovery else "totp"},
            )
            return True
    audit.record(
        action=AuditAction.MFA_FAILED,
        actor=user,
        outcome=AuditOutcome.FAILURE,
        request=request,
        detail={"method": "recovery_code" if recovery else "totp"},
    )
    credentials = {"username": username, "otp_failure": True}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        raise LockedOut
    return False


def api_code_is_valid(*, request: HttpRequest, user: User, code: str) -> bool:
    """For the token endpoint: the code of the user's authenticator (or a recovery code), with
    failures audited and counted by django-axes like on the verify page."""
    code = code.strip().replace(" ", "").lower()
    for device, candidate in (
        (totp_device(user), _digits(code)),
        (StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first(), code),
    ):
        if device is not None and candidate:
            with transaction.atomic():
                locked = type(device).objects.select_for_update().get(pk=device.pk)
                if locked.verify_token(candidate):
                    return True
    audit.record(
        action=AuditAction.MFA_FAILED,
        actor=user,
        outcome=AuditOutcome.FAILURE,
        request=request,
        detail={"method": "api"},
    )
    credentials = {"username": user.get_username(), "otp_failure": True}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return False


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@receiver(user_logged_in, dispatch_uid="mfa-reset-lockout")
def _reset_lockout_when_done(sender, request, user, **kwargs) -> None:
    """django-axes resets a user's failures only here, at a complete login: a password alone
    does not clear the count of wrong codes that followed an earlier password."""
    if not applies_to(user):
        axes_reset(username=user.get_username())
