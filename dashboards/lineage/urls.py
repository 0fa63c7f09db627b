from django.urls import path

from . import views

urlpatterns = [path("dashboards/herkomst/", views.view, name="lineage")]
