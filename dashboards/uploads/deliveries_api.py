"""`GET /api/v1/deliveries/?organisation=CODE[&year=YYYY]` (DESIGN.md, second edition,
"Deliveries"): the one delivery rule (`deliveries.deliveries`), as the delivery page and
Datakwaliteit show it. A partner sees only its own organisation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.periods import QUARTER, Period, recent

from . import deliveries

#: Quarters answered without a year: the running one and the seven before it (the delivery page).
RECENT_QUARTERS = 8
FIRST_YEAR = 2000


class DeliverySerializer(serializers.Serializer):
    organisation = serializers.CharField()
    indicator = serializers.CharField()
    period = serializers.CharField(help_text="YYYY-Qn; YYYY for a yearly indicator (forecasts).")
    due_on = serializers.DateField()
    first_delivered_on = serializers.DateField(allow_null=True)
    complete = serializers.BooleanField()
    status = serializers.ChoiceField(choices=deliveries.STATUSES)


def parse_query(request: Request) -> tuple[Organisation, list[Period]]:
    """The organisation the user may see and the quarters asked for; 400 or 403 otherwise."""
    if roles.role_of(request.user) is None:
        raise exceptions.PermissionDenied(_("U heeft geen rol in het ketenportaal."))
    params = request.query_params
    code = (params.get("organisation") or "").strip()
    if not code:
        raise exceptions.ValidationError(
            {"organisation": [_("Geef een organisatie op: ?organisation=CODE.")]}
        )
    organisation = Organisation.objects.filter(code__iexact=code).first()
    if organisation is None:
        raise exceptions.ValidationError(
            {"organisation": [_("Onbekende organisatie: '%(code)s'.") % {"code": code}]}
        )
    if roles.is_partner(request.user) and roles.organisation_of(request.user) != organisation:
        raise exceptions.PermissionDenied(
            _("U mag alleen de aanleveringen van uw eigen organisatie zien.")
        )
    today = timezone.localdate()
    year_text = (params.get("year") or "").strip()
    if not year_text:
        return organisation, recent(QUARTER, today, RECENT_QUARTERS)
    if not (year_text.isdigit() and len(year_text) == 4):
        raise exceptions.ValidationError(
            {"year": [_("Geef het jaar als vier cijfers, bijvoorbeeld 2026.")]}
        )
    year = int(year_text)
    if not FIRST_YEAR <= year <= today.year:
        raise exceptions.ValidationError(
            {
                "year": [
                    _("Kies een jaar van %(first)s tot en met %(last)s.")
                    % {"first": FIRST_YEAR, "last": today.year}
                ]
            }
        )
    return organisation, Period.year_of(year).parts(QUARTER)


class DeliveryViewSet(viewsets.ViewSet):
    """Per indicator the organisation owns and per quarter (a yearly indicator: per year): when
    it was due, when the first approved upload holding its figures was sent, whether its current
    figures are complete, and `status` (`not_due`, `missing`, `late`, `on_time`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", str, required=True),
            OpenApiParameter("year", int, description="Default: the eight most recent quarters."),
        ],
        responses=DeliverySerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        organisation, quarters = parse_query(request)
        found = deliveries.deliveries(
            indicators=deliveries.indicators_owned_by([organisation]), quarters=quarters
        )
        return Response(
            DeliverySerializer(
                [
                    {
                        "organisation": organisation.code,
                        "indicator": d.indicator.code,
                        "period": d.period.canonical,
                        "due_on": d.due_on,
                        "first_delivered_on": d.first_delivered_on,
                        "complete": d.complete,
                        "status": d.status,
                    }
                    for d in found
                ],
                many=True,
            ).data
        )


def register(router: DefaultRouter) -> None:
    """Register the deliveries endpoint."""
    router.register("deliveries", DeliveryViewSet, basename="delivery")
