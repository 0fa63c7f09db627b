"""The governance pages under one namespace (`governance:`): the boards' and the steering loop's.

Accounts (`governance.accounts.urls`) and reports (`governance.reports.urls`, namespace
`reports:`) are included by the root URL conf.
"""

from .boards import urls as boards_urls
from .steering import urls as steering_urls
from .structure import urls as structure_urls

app_name = "governance"
urlpatterns = [*boards_urls.urlpatterns, *steering_urls.urlpatterns]
urlpatterns += structure_urls.urlpatterns
