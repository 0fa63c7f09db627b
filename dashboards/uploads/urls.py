"""The upload pages: send, follow, review and approve figures; deliveries and templates."""

from django.urls import path

from . import quarantine_views, views

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
    path("beheer/quarantaine/", quarantine_views.quarantine_list, name="quarantine"),
    path(
        "beheer/quarantaine/<int:pk>/bestand/",
        quarantine_views.quarantine_file,
        name="quarantine-file",
    ),
]
