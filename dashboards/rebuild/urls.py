"""The rebuild log (regie): start a rebuild and follow its progress."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/herberekeningen/", views.rebuilds, name="rebuilds"),
    path("dashboards/herberekeningen/<int:pk>/", views.rebuild_detail, name="rebuild"),
]
