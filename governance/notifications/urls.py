from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("meldingen/", views.notification_list, name="list"),
    path("meldingen/teller/", views.bell, name="bell"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/alles-gelezen/", views.mark_all_read, name="mark-all-read"),
    path("meldingen/<int:pk>/gelezen/", views.mark_read, name="mark-read"),
]
