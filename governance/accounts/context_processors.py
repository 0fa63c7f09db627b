from django.conf import settings
from django.http import HttpRequest

from . import roles


def portal(request: HttpRequest) -> dict:
    """The user's role and organisation, for the navigation and for what pages offer."""
    user = request.user
    return {
        "portal_role": roles.role_of(user),
        "portal_organisation": roles.organisation_of(user),
        "portal_is_regie": roles.is_regie(user),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
