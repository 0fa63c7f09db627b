"""The steering loop's pages: signals, the chain goal, assignments and targets."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "besluiten/<str:number>/signaal-sluiten/",
        views.decision_close_signal,
        name="decision-close-signal",
    ),
    path("signalen/", views.signals_page, name="signals"),
    path("signalen/berekenen/", views.signals_compute, name="signals-compute"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("signalen/<int:pk>/agenderen/", views.signal_to_agenda, name="signal-to-agenda"),
    path("ketendoel/", views.goal_page, name="goal"),
    path("ketendoel/nieuw/", views.goal_edit, name="goal-new"),
    path("opdrachten/nieuw/", views.assignment_edit, name="assignment-new"),
    path("opdrachten/<int:pk>/wijzigen/", views.assignment_edit, name="assignment-edit"),
    path("streefwaarden/nieuw/", views.target_edit, name="target-new"),
    path("streefwaarden/<int:pk>/wijzigen/", views.target_edit, name="target-edit"),
]
