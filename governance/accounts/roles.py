"""Who may do what. Services call these; views only use them to decide what to show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from governance.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user: AnyUser) -> str | None:
    membership = membership_of(user)
    if membership is not None:
        return membership.role
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return Role.ADMIN
    return None


def organisation_of(user: AnyUser) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def is_regie(user: AnyUser) -> bool:
    return role_of(user) == Role.REGIE


def is_partner(user: AnyUser) -> bool:
    return role_of(user) == Role.PARTNER


def is_admin(user: AnyUser) -> bool:
    """The functional administrator (users, organisations, roles; the Django admin)."""
    return role_of(user) == Role.ADMIN


def require_regie(user: AnyUser) -> None:
    if not is_regie(user):
        raise PermissionDenied(_("Alleen medewerkers van Regie Migratieketen mogen dit wijzigen."))


def require_maintainer(user: AnyUser) -> None:
    """Regie maintains the chain's structure, boards and catalogue in the portal; the functional
    administrator may correct them in the Django admin, through the same services."""
    if role_of(user) not in (Role.REGIE, Role.ADMIN):
        raise PermissionDenied(_("Alleen medewerkers van Regie Migratieketen mogen dit wijzigen."))


def require_admin(user: AnyUser) -> None:
    if not is_admin(user):
        raise PermissionDenied(
            _("Alleen de functioneel beheerder beheert gebruikers, organisaties en rollen.")
        )


def can_report_for(user: AnyUser, organisation: Organisation) -> bool:
    """Regie may report for anyone; a partner only for its own organisation."""
    role = role_of(user)
    if role == Role.REGIE:
        return True
    return role == Role.PARTNER and organisation_of(user) == organisation


def require_report_for(user: AnyUser, organisation: Organisation) -> None:
    if can_report_for(user, organisation):
        return
    if role_of(user) != Role.PARTNER:
        raise PermissionDenied(
            _(
                "Alleen Regie Migratieketen en medewerkers van %(organisation)s kunnen voortgang "
                "melden op deze mijlpaal. Met uw rol kunt u meelezen, maar niets wijzigen."
            )
            % {"organisation": organisation.code}
        )
    raise PermissionDenied(
        _(
            "U mag alleen de voortgang melden van mijlpalen van uw eigen organisatie. "
            "Deze mijlpaal is van %(organisation)s."
        )
        % {"organisation": organisation.code}
    )
