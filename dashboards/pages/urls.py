"""The five dashboards, one module each."""

from django.urls import path

from . import chain, data_quality, forecast, implementation, organisation

urlpatterns = [
    path("dashboards/", chain.view, name="chain"),
    path("dashboards/prognose/", forecast.view, name="forecast"),
    path("dashboards/organisatie/", organisation.view, name="organisation"),
    path("dashboards/uitvoering/", implementation.view, name="implementation"),
    path("dashboards/datakwaliteit/", data_quality.view, name="quality"),
]
