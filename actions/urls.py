from django.urls import path

from . import planning_views, views

app_name = "actions"
urlpatterns = [
    path("uitvoering/", views.tree_page, name="tree"),
    path("mijlpalen/nieuw/", views.milestone_edit, name="milestone-new"),
    path("mijlpalen/bijwerken/", planning_views.bulk_update, name="milestone-bulk"),
    path("mijlpalen/zonder-update/", planning_views.stale_milestones, name="milestone-stale"),
    path(
        "mijlpalen/<int:pk>/herplannen/", planning_views.milestone_replan, name="milestone-replan"
    ),
    path("mijlpalen/<int:pk>/", views.milestone_detail, name="milestone"),
    path("mijlpalen/<int:pk>/voortgang/", views.milestone_progress, name="milestone-progress"),
    path("mijlpalen/<int:pk>/wijzigen/", views.milestone_edit, name="milestone-edit"),
    path("acties/nieuw/", views.action_edit, name="action-new"),
    path("acties/<int:pk>/", views.action_detail, name="action"),
    path("acties/<int:pk>/wijzigen/", views.action_edit, name="action-edit"),
    path("aanbevelingen/nieuw/", views.recommendation_edit, name="recommendation-new"),
    path("aanbevelingen/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("aanbevelingen/<int:pk>/wijzigen/", views.recommendation_edit, name="recommendation-edit"),
]
