from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", views.chain, name="chain"),
    path("dashboards/prognose/", views.forecast, name="forecast"),
    path("dashboards/organisatie/", views.organisation, name="organisation"),
    path("dashboards/uitvoering/", views.implementation, name="implementation"),
    path("dashboards/datakwaliteit/", views.data_quality, name="quality"),
    path("dashboards/herberekeningen/", views.rebuilds, name="rebuilds"),
    path("dashboards/herberekeningen/<int:pk>/", views.rebuild_detail, name="rebuild"),
]
