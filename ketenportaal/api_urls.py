"""/api/v1/: one router; each app registers its viewsets in its own api.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from actions import api as actions_api
from dashboards import api as dashboards_api
from governance import api as governance_api
from governance import api_reports

router = DefaultRouter()
for module in (governance_api, actions_api, dashboards_api, api_reports):
    module.register(router)

urlpatterns = [
    path("auth/token/", governance_api.ObtainTokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", governance_api.RevokeTokenView.as_view(), name="api-token-revoke"),
    *router.urls,
]
