"""The functional administrator's user pages (under /beheer/gebruikers/)."""

from django.urls import path

from . import user_views

urlpatterns = [
    path("", user_views.user_list, name="users"),
    path("nieuw/", user_views.user_edit, name="user-new"),
    path("<int:pk>/wijzigen/", user_views.user_edit, name="user-edit"),
]
