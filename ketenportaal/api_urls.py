"""/api/v1/: one router; each package registers its viewsets in its own api.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from actions import api as actions_api
from dashboards.annotations import api as annotations_api
from dashboards.catalogue import api as catalogue_api
from dashboards.forecasts.api import ForecastAccuracyView
from dashboards.health.api import StatusView
from dashboards.lineage.api import LineageView
from dashboards.rebuild import api as rebuild_api
from dashboards.releases import api as releases_api
from dashboards.uploads import api as uploads_api
from dashboards.uploads import deliveries_api
from governance.accounts import api as accounts_api
from governance.accounts import audit_api
from governance.boards import api as boards_api
from governance.reports import api as reports_api
from governance.structure import api as structure_api

router = DefaultRouter()
for module in (
    accounts_api,
    structure_api,
    boards_api,
    actions_api,
    uploads_api,
    deliveries_api,
    catalogue_api,
    annotations_api,
    rebuild_api,
    releases_api,
    reports_api,
    audit_api,
):
    module.register(router)

urlpatterns = [
    path("auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", accounts_api.RevokeTokenView.as_view(), name="api-token-revoke"),
    path("status/", StatusView.as_view(), name="api-status"),
    # before the router: its series/{pk}/ would take it otherwise
    path("series/lineage/", LineageView.as_view(), name="api-lineage"),
    path("forecast-accuracy/", ForecastAccuracyView.as_view(), name="api-forecast-accuracy"),
    *router.urls,
]
