"""`GET /api/v1/audit-events/` (functional administrator only): the audit trail, filtered."""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.routers import DefaultRouter

from governance.models import AuditAction, AuditEvent, AuditOutcome, Organisation, Role

from . import roles
from .permissions import DEFAULT_PERMISSIONS


class IsPortalAdmin(BasePermission):
    message = "Alleen de functioneel beheerder ziet de audittrail."

    def has_permission(self, request, view) -> bool:
        return roles.role_of(request.user) == Role.ADMIN


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    object = serializers.CharField(source="object_label")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "organisation",
            "action",
            "object",
            "object_type",
            "object_id",
            "ip",
            "outcome",
            "request_id",
        ]


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    outcome = django_filters.ChoiceFilter(choices=AuditOutcome.choices)
    actor = django_filters.CharFilter(field_name="actor_name")
    organisation = django_filters.CharFilter(field_name="organisation__code")
    request_id = django_filters.CharFilter()
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "outcome", "actor", "organisation", "request_id", "since", "until"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Every login, failed login, token use, download and write: newest first. Append-only."""

    permission_classes = [*DEFAULT_PERMISSIONS, IsPortalAdmin]
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    queryset = AuditEvent.objects.for_listing()


def register(router: DefaultRouter) -> None:
    router.register("audit-events", AuditEventViewSet, basename="audit-event")
