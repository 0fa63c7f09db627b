from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/consistentie/", views.rules, name="consistency"),
    path("dashboards/consistentie/nieuw/", views.rule_edit, name="consistency-new"),
    path("dashboards/consistentie/<int:pk>/", views.rule_edit, name="consistency-edit"),
]
