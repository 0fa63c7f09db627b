from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/duiding/", views.annotation_list, name="annotations"),
    path("dashboards/duiding/<int:pk>/", views.annotation_detail, name="annotation"),
    path(
        "dashboards/duiding/<int:pk>/intrekken/",
        views.annotation_withdraw,
        name="annotation-withdraw",
    ),
]
