"""API permissions by portal role. Like ketenportaal.authentication, this module must not import
`rest_framework.views`: DRF loads the default permission classes while that module loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS, BasePermission

from governance.roles import is_regie, role_of

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class HasPortalRole(BasePermission):
    """Every API user needs a place in the chain (a membership) or to be a functional admin."""

    message = "U heeft geen rol in het ketenportaal."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and role_of(request.user))


class IsRegieForWrites(BasePermission):
    """Reads for every portal role; writes only for `regie` (the services check again)."""

    message = "Alleen medewerkers van Regie Migratieketen mogen dit wijzigen."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or is_regie(request.user)
