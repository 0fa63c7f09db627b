from django.urls import path

from . import views as report_views

app_name = "reports"
urlpatterns = [
    path("rapportages/", report_views.moment_list, name="moments"),
    path("rapportages/<int:pk>/", report_views.moment_detail, name="moment"),
    path("rapportages/<int:pk>/genereren/", report_views.moment_generate, name="generate"),
    path(
        "rapportages/versies/<int:pk>/<str:kind>/",
        report_views.report_download,
        name="download",
    ),
]
