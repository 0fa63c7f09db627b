"""The dashboards app's pages under one namespace (`dashboards:`): uploads, dashboards, rebuilds."""

from .annotations import urls as annotations_urls
from .catalogue import urls as catalogue_urls
from .consistency import urls as consistency_urls
from .lineage import urls as lineage_urls
from .pages import urls as pages_urls
from .rebuild import urls as rebuild_urls
from .releases import urls as releases_urls
from .uploads import urls as uploads_urls

app_name = "dashboards"
urlpatterns = [
    *uploads_urls.urlpatterns,
    *pages_urls.urlpatterns,
    *rebuild_urls.urlpatterns,
    *lineage_urls.urlpatterns,
    *annotations_urls.urlpatterns,
    *releases_urls.urlpatterns,
    *consistency_urls.urlpatterns,
    *catalogue_urls.urlpatterns,
]
