from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from actions import views as actions_views

admin.site.site_header = "Ketenportaal – beheer"
admin.site.site_title = "Ketenportaal"

urlpatterns = [
    path("", actions_views.home, name="home"),
    path("accounts/", include("governance.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("governance.urls")),
    path("", include("governance.reports.urls")),
    path("", include("actions.urls")),
    path("", include("dashboards.urls")),
    path("api/v1/", include("ketenportaal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
