from django.urls import path

from . import views, views_dashboards

app_name = "dashboards"
urlpatterns = [
    path("aanleveringen/", views.upload_list, name="uploads"),
    path("aanleveringen/nieuw/", views.upload_new, name="upload-new"),
    path("aanleveringen/beoordelen/", views.approval_queue, name="queue"),
    path("aanleveringen/tijdigheid/", views.delivery, name="delivery"),
    path(
        "aanleveringen/sjabloon/<slug:organisation>.<str:fmt>",
        views.template_download,
        name="template",
    ),
    path("aanleveringen/<int:pk>/", views.upload_detail, name="upload"),
    path("aanleveringen/<int:pk>/rapport.csv", views.upload_report, name="upload-report"),
    path("aanleveringen/<int:pk>/bestand/", views.upload_file, name="upload-file"),
    path("aanleveringen/<int:pk>/goedkeuren/", views.upload_approve, name="upload-approve"),
    path("aanleveringen/<int:pk>/afwijzen/", views.upload_reject, name="upload-reject"),
    path("dashboards/", views_dashboards.chain, name="chain"),
    path("dashboards/prognose/", views_dashboards.forecast, name="forecast"),
    path("dashboards/organisatie/", views_dashboards.organisation, name="organisation"),
    path("dashboards/uitvoering/", views_dashboards.implementation, name="implementation"),
    path("dashboards/datakwaliteit/", views_dashboards.data_quality, name="quality"),
    path("dashboards/herberekeningen/", views_dashboards.rebuilds, name="rebuilds"),
    path("dashboards/herberekeningen/<int:pk>/", views_dashboards.rebuild_detail, name="rebuild"),
]
