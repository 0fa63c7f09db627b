from django.urls import path

from . import views, views_loop

app_name = "governance"
urlpatterns = [
    path("gremia/", views.board_overview, name="boards"),
    path("gremia/<str:code>/", views.board_detail, name="board"),
    path("vergaderingen/nieuw/", views.meeting_edit, name="meeting-new"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergaderingen/<int:pk>/wijzigen/", views.meeting_edit, name="meeting-edit"),
    path("vergaderingen/<int:pk>/agendapunt/", views.agenda_item_add, name="agenda-item-new"),
    path("besluiten/", views.decision_register, name="decisions"),
    path("besluiten/nieuw/", views.decision_edit, name="decision-new"),
    path("besluiten/<str:number>/", views.decision_detail, name="decision"),
    path("besluiten/<str:number>/wijzigen/", views.decision_edit, name="decision-edit"),
    path("besluiten/<str:number>/status/", views.decision_status, name="decision-status"),
    path("besluiten/<str:number>/vervolg/", views.decision_follow_up, name="decision-follow-up"),
    path(
        "besluiten/<str:number>/signaal-sluiten/",
        views.decision_close_signal,
        name="decision-close-signal",
    ),
    path("besluiten/<str:number>/toets/", views.assessment_edit, name="assessment-new"),
    path("toetsen/<int:pk>/wijzigen/", views.assessment_edit, name="assessment-edit"),
    path("toetsen/<int:pk>/impact/", views.partner_impact_add, name="partner-impact-new"),
    path("signalen/", views_loop.signals_page, name="signals"),
    path("signalen/berekenen/", views_loop.signals_compute, name="signals-compute"),
    path("signalen/<int:pk>/", views_loop.signal_detail, name="signal"),
    path("signalen/<int:pk>/agenderen/", views_loop.signal_to_agenda, name="signal-to-agenda"),
    path("ketendoel/", views_loop.goal_page, name="goal"),
    path("ketendoel/nieuw/", views_loop.goal_edit, name="goal-new"),
    path("opdrachten/nieuw/", views_loop.assignment_edit, name="assignment-new"),
    path("opdrachten/<int:pk>/wijzigen/", views_loop.assignment_edit, name="assignment-edit"),
    path("streefwaarden/nieuw/", views_loop.target_edit, name="target-new"),
    path("streefwaarden/<int:pk>/wijzigen/", views_loop.target_edit, name="target-edit"),
]
