"""The catalogue's pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicatoren/", views.indicator_list, name="indicators"),
    path("indicatoren/nieuw/", views.indicator_edit, name="indicator-new"),
    path("indicatoren/<slug:code>/wijzigen/", views.indicator_edit, name="indicator-edit"),
]
