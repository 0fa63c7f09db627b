"""Every page of the Django admin answers: adding what only the portal may make is refused (403),
and no add, list, change or history page is a server error, whether or not the model keeps a
django-simple-history record."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from dashboards.models import Indicator, Upload
from governance.accounts.services import save_portal_user
from governance.models import BoardRelation, Role
from tests.dashboards.factories import approved_upload
from tests.factories import DecisionFactory, MeetingFactory, MilestoneFactory, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user, _created, _token = save_portal_user(
        username="beheerder", organisation=org("JENV"), role=Role.ADMIN, password="x"
    )
    client.force_login(user)
    client.raise_request_exception = False  # a crash must show up as a 500 here
    return client


def url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


@pytest.mark.parametrize("model", [Upload, Indicator, BoardRelation])
def test_the_history_page_of_a_model_without_simple_history_is_the_admin_log(admin_client, model):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    obj = model.objects.first()
    response = admin_client.get(url(model, "history", obj.pk))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/object_history.html"


def test_adding_an_upload_in_the_admin_is_refused_and_offered_nowhere(admin_client):
    response = admin_client.get(url(Upload, "add"))
    assert response.status_code == 403
    assert admin_client.post(url(Upload, "add"), {"file_name": "x.csv"}).status_code == 403
    changelist = admin_client.get(url(Upload, "changelist")).content.decode()
    assert url(Upload, "add") not in changelist
    assert Upload.objects.count() == 0


def test_no_admin_page_is_a_server_error(admin_client):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    MilestoneFactory()
    DecisionFactory()
    MeetingFactory()
    failures = []
    for model in admin.site._registry:
        pages = []
        for name in ("add", "changelist"):
            try:
                pages.append(url(model, name))
            except NoReverseMatch:
                continue
        obj = model._default_manager.first()
        if obj is not None:
            pages += [url(model, "change", obj.pk), url(model, "history", obj.pk)]
        for page in pages:
            status = admin_client.get(page).status_code
            if status >= 500:
                failures.append((page, status))
    assert failures == []
