from django.urls import path

from . import views

urlpatterns = [
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("accounts/agenda/", views.manage_calendar_feed, name="calendar-feed-manage"),
]
