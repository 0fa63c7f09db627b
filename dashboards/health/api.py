"""`GET /api/v1/status/` (`regie`, `admin`): the portal's operational status (dashboards.health.status)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.accounts import roles
from governance.accounts.permissions import DEFAULT_PERMISSIONS
from governance.models import Role

from . import status


class IsRegieOrAdmin(BasePermission):
    message = "Alleen Regie Migratieketen en de functioneel beheerder zien de status."

    def has_permission(self, request, view) -> bool:
        return roles.role_of(request.user) in (Role.REGIE, Role.ADMIN)


class StatusView(APIView):
    """Last successful rebuild, heartbeats of worker and beat, uploads waiting, and alarms."""

    permission_classes = [*DEFAULT_PERMISSIONS, IsRegieOrAdmin]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["status"])
    def get(self, request: Request) -> Response:
        return Response(status.portal_status())
