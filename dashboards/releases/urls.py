from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/releases/", views.release_list, name="releases"),
    path("dashboards/releases/<int:pk>/", views.release_detail, name="release"),
]
