"""API permissions by portal role. Like `authentication`, this module must not import
`rest_framework.views`: DRF loads the default permission classes while that module loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission, IsAuthenticated

from .roles import role_of

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class HasPortalRole(BasePermission):
    """Every API user needs a place in the chain (a membership) or to be a functional admin."""

    message = "U heeft geen rol in het ketenportaal."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and role_of(request.user))


#: The permissions of every API view: logged in, with a role in the chain.
DEFAULT_PERMISSIONS = [IsAuthenticated, HasPortalRole]
