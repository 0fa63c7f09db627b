"""API of the review's structure: themes, action perspectives and recommendations.

Open to every portal role (DESIGN.md: viewers read implementation status); users without a
role see nothing (HasPortalRole).
"""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from governance.accounts.permissions import DEFAULT_PERMISSIONS
from governance.models import ActionPerspective, Organisation, Recommendation, Theme


class ThemeSerializer(serializers.ModelSerializer):
    perspectives: serializers.SlugRelatedField[ActionPerspective] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )

    class Meta:
        model = Theme
        fields = ["id", "number", "title", "title_en", "aim", "perspectives"]


class PerspectiveSerializer(serializers.ModelSerializer):
    themes: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )

    class Meta:
        model = ActionPerspective
        fields = ["id", "number", "title", "title_en", "themes"]


class RecommendationSerializer(serializers.ModelSerializer):
    perspective: serializers.SlugRelatedField[ActionPerspective] = serializers.SlugRelatedField(
        read_only=True, slug_field="number"
    )
    owner: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )

    class Meta:
        model = Recommendation
        fields = ["id", "code", "perspective", "source", "text", "owner", "phase", "status"]


class RecommendationFilter(django_filters.FilterSet):
    perspective = django_filters.NumberFilter(
        field_name="perspective__number", help_text="Nummer van het handelingsperspectief."
    )
    theme = django_filters.NumberFilter(
        field_name="perspective__themes__number", help_text="Nummer van het thema."
    )
    owner = django_filters.CharFilter(field_name="owner__code", help_text="Organisatiecode.")

    class Meta:
        model = Recommendation
        fields = ["perspective", "theme", "owner", "status", "phase", "source"]


class PerspectiveFilter(django_filters.FilterSet):
    theme = django_filters.NumberFilter(
        field_name="themes__number", help_text="Nummer van het thema."
    )

    class Meta:
        model = ActionPerspective
        fields = ["theme"]


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """The four themes, by number."""

    queryset = Theme.objects.prefetch_related("perspectives").order_by("number")
    serializer_class = ThemeSerializer
    permission_classes = DEFAULT_PERMISSIONS
    lookup_field = "number"


class PerspectiveViewSet(viewsets.ReadOnlyModelViewSet):
    """The nine action perspectives ("handelingsperspectieven"), by number."""

    queryset = ActionPerspective.objects.prefetch_related("themes").order_by("number")
    serializer_class = PerspectiveSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = PerspectiveFilter
    lookup_field = "number"


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Recommendations ("aanbevelingen") of the review reports."""

    queryset = (
        Recommendation.objects.select_related("perspective", "owner")
        .order_by("perspective__number", "code")
        .distinct()
    )
    serializer_class = RecommendationSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = RecommendationFilter


def register(router: DefaultRouter) -> None:
    """Register the structure's API viewsets."""
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("perspectives", PerspectiveViewSet, basename="perspective")
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
