from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("vergaderingen/<int:pk>/stukken/", views.meeting_pack, name="meeting"),
    path("vergaderingen/<int:pk>/stukken/maken/", views.pack_generate, name="generate"),
    path("vergaderstukken/<int:pk>/<str:kind>/", views.pack_download, name="download"),
]
