"""The dashboards app's pages under one namespace (`dashboards:`): uploads, dashboards, rebuilds."""

from .catalogue import urls as catalogue_urls
from .pages import urls as pages_urls
from .rebuild import urls as rebuild_urls
from .uploads import urls as uploads_urls

app_name = "dashboards"
urlpatterns = [*uploads_urls.urlpatterns, *pages_urls.urlpatterns, *rebuild_urls.urlpatterns]
urlpatterns += catalogue_urls.urlpatterns
