"""The write paths for users and their place in the chain. Views, admin and commands call these."""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from knox.models import AuthToken

from governance.models import AuditAction, Membership, Organisation, Role

from . import audit, roles

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def save_portal_user(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    email: str = "",
    with_token: bool = False,
    by: User | None = None,
) -> tuple[User, bool, str | None]:
    """Create or update a user with one membership. `admin` users get Django admin access.

    Returns (user, created, token): token is a new API token's key (stored hashed) when asked.
    `by` is the functional administrator making the change (the admin, the portal); the
    operator commands and the demo pass none. A user's admin access always follows the role.
    """
    if by is not None:
        roles.require_admin(by)
    if role not in Role.values:
        raise ValidationError({"role": _("Onbekende rol.")})
    user, created = get_user_model().objects.get_or_create(username=username)
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    audit.record(
        action=AuditAction.USER_SAVED,
        obj=user,
        organisation=organisation,
        detail={"role": role, "created": created},
    )
    token = None
    if with_token:
        instance, token = AuthToken.objects.create(user=user)
        audit.record(action=AuditAction.TOKEN_CREATED, actor=user, token=instance)
    return user, created, token


@transaction.atomic
def save_membership(*, membership: Membership, by: User) -> Membership:
    """Change a user's organisation or role (the functional administrator): their admin access
    follows the role, as `save_portal_user` guarantees."""
    user, _created, _token = save_portal_user(
        username=membership.user.get_username(),
        organisation=membership.organisation,
        role=membership.role,
        by=by,
    )
    return Membership.objects.get(user=user)


@transaction.atomic
def save_organisation(*, organisation: Organisation, by: User) -> Organisation:
    """Create or change an organisation of the chain (the functional administrator). Its code
    names it in uploads and the API, so it cannot change once it has members or figures."""
    roles.require_admin(by)
    if organisation.pk is not None:
        stored = Organisation.objects.get(pk=organisation.pk)
        used = stored.members.exists() or stored.uploads.exists() or stored.indicators.exists()
        if stored.code != organisation.code and used:
            raise ValidationError(
                {"code": _("De code van een organisatie met leden of cijfers kan niet wijzigen.")}
            )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def save_user_details(*, user: User, by: User) -> User:
    """Change a user's name, e-mail address or whether they may log in (the functional
    administrator). Their role and organisation change through `save_membership`; their admin
    access follows the role and is not set here."""
    roles.require_admin(by)
    stored = get_user_model().objects.get(pk=user.pk)
    user.is_staff, user.is_superuser = stored.is_staff, stored.is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def create_portal_user(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    by: User,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Add a user with their organisation and role in one write (the functional administrator).

    Guarantees: a username that exists (in any case) is refused, never overwritten; the user has
    no password until they set one (the reset mail, or single sign-on); audited."""
    roles.require_admin(by)
    username = (username or "").strip()
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Er bestaat al een gebruiker met deze naam.")})
    user, _created, _token = save_portal_user(
        username=username, organisation=organisation, role=role, email=email, by=by
    )
    user.first_name, user.last_name = first_name, last_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def update_portal_user(*, user: User, organisation: Organisation, role: str, by: User) -> User:
    """Change a user's names, e-mail address, whether they may log in, their organisation and
    their role in one write (the functional administrator).

    Guarantees: all or nothing; a change of role or organisation, and a deactivation, end the
    user's sessions and API tokens (`governance.accounts.sessions`); administrators cannot
    deactivate themselves or give up their own role (nobody would be left to undo it)."""
    roles.require_admin(by)
    if user.pk == by.pk and (not user.is_active or role != Role.ADMIN):
        raise ValidationError(
            _("U kunt uw eigen account niet deactiveren en uw eigen beheerdersrol niet afstaan.")
        )
    save_user_details(user=user, by=by)
    updated, _created, _token = save_portal_user(
        username=user.get_username(), organisation=organisation, role=role, by=by
    )
    return updated


def send_invitation(*, user: User, protocol: str, domain: str) -> bool:
    """Mail a new user a one-time link to choose their password (the password-reset link: the
    account has no password yet, so "forgot password" would not find it). In the user's
    language as far as the portal knows it: the sender's. Returns whether the mail went out;
    a failing mail server is logged, the user stays created."""
    membership = roles.membership_of(user)
    context = {
        "user": user,
        "organisation": membership.organisation.display_name if membership else "",
        "role": membership.get_role_display() if membership else "",
        "protocol": protocol,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    body = render_to_string("accounts/invitation_email.txt", context)
    try:
        send_mail(_("Uw account op het Ketenportaal"), body, None, [user.email])
    except (OSError, smtplib.SMTPException):
        logger.exception("The invitation mail could not be sent")
        return False
    return True
