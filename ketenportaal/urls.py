from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from actions import views as actions_views
from governance.accounts import audit_views
from governance.home import views as home_views
from ketenportaal import health

admin.site.site_header = "Ketenportaal – beheer"
admin.site.site_title = "Ketenportaal"

urlpatterns = [
    path("livez", health.livez, name="livez"),
    path("readyz", health.readyz, name="readyz"),
    path("", home_views.home, name="home"),
    path("overzicht/", actions_views.home, name="overview"),
    path("accounts/", include("governance.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("governance.urls")),
    path("", include("governance.reports.urls")),
    path("", include("governance.notifications.urls")),
    path("", include("governance.packs.urls")),
    path("", include("actions.urls")),
    path("", include("dashboards.urls")),
    path("", include("governance.search.urls")),
    path("", include("governance.feeds.urls")),
    path("api/v1/", include("ketenportaal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("beheer/audittrail/", audit_views.audit_events, name="audit-events"),
    path("beheer/gebruikers/", include("governance.accounts.user_urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    # The admin has no login of its own: the portal's, with its second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
