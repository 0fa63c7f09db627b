"""The boards' pages: boards, meetings, agenda items, decisions and impact assessments."""

from django.urls import path

from . import decision_views, maintenance_views, views

urlpatterns = [
    # Maintenance first: "nieuw" is no board's code.
    path("gremia/nieuw/", maintenance_views.board_edit, name="board-new"),
    path("gremia/<str:code>/beheren/", maintenance_views.board_manage, name="board-manage"),
    path("gremia/<str:code>/wijzigen/", maintenance_views.board_edit, name="board-edit"),
    path("gremia/<str:code>/leden/nieuw/", maintenance_views.member_edit, name="member-new"),
    path(
        "gremia/<str:code>/leden/<int:pk>/wijzigen/",
        maintenance_views.member_edit,
        name="member-edit",
    ),
    path(
        "gremia/<str:code>/leden/<int:pk>/verwijderen/",
        maintenance_views.member_remove,
        name="member-remove",
    ),
    path("gremia/<str:code>/relaties/nieuw/", maintenance_views.relation_edit, name="relation-new"),
    path(
        "gremia/<str:code>/relaties/<int:pk>/wijzigen/",
        maintenance_views.relation_edit,
        name="relation-edit",
    ),
    path(
        "gremia/<str:code>/relaties/<int:pk>/verwijderen/",
        maintenance_views.relation_remove,
        name="relation-remove",
    ),
    path("gremia/", views.board_overview, name="boards"),
    path("gremia/<str:code>/", views.board_detail, name="board"),
    path("vergaderingen/nieuw/", views.meeting_edit, name="meeting-new"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergaderingen/<int:pk>/wijzigen/", views.meeting_edit, name="meeting-edit"),
    path("vergaderingen/<int:pk>/agendapunt/", views.agenda_item_add, name="agenda-item-new"),
    path("besluiten/", decision_views.decision_register, name="decisions"),
    path("besluiten/nieuw/", decision_views.decision_edit, name="decision-new"),
    path("besluiten/<str:number>/", decision_views.decision_detail, name="decision"),
    path("besluiten/<str:number>/wijzigen/", decision_views.decision_edit, name="decision-edit"),
    path("besluiten/<str:number>/status/", decision_views.decision_status, name="decision-status"),
    path(
        "besluiten/<str:number>/vervolg/",
        decision_views.decision_follow_up,
        name="decision-follow-up",
    ),
    path("besluiten/<str:number>/toets/", decision_views.assessment_edit, name="assessment-new"),
    path("toetsen/<int:pk>/wijzigen/", decision_views.assessment_edit, name="assessment-edit"),
    path("toetsen/<int:pk>/impact/", decision_views.partner_impact_add, name="partner-impact-new"),
]
