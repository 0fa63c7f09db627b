"""The maintenance page and the structure's edit pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("beheer/", views.maintenance, name="maintenance"),
    path("beheer/themas/<int:number>/wijzigen/", views.theme_edit, name="theme-edit"),
    path(
        "beheer/handelingsperspectieven/<int:number>/wijzigen/",
        views.perspective_edit,
        name="perspective-edit",
    ),
]
