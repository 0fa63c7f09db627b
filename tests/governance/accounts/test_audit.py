"""The audit trail (issue 15): append-only in the database, written for logins, failures, tokens,
downloads, admin actions and service writes, read by the administrator on a page and the API."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from dashboards.uploads import approval
from governance.models import AuditAction, AuditEvent, Organisation
from tests.dashboards.factories import IND_Q1, submit
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def admin_user(db):
    user = make_user("admin", "JENV", username="beheer-audit")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_the_database_refuses_to_change_or_delete_an_audit_event(regie):
    event = AuditEvent.objects.create(action=AuditAction.LOGIN, actor=regie)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGOUT)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.LOGIN


def test_login_failed_login_and_logout_are_recorded_with_address_and_request_id(client, regie):
    client.post(reverse("login"), {"username": "regie-test", "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": "regie-test", "password": PASSWORD},
        HTTP_X_REQUEST_ID="proxy-request-0001",
    )
    client.post(reverse("logout"))
    failed, login, logout = AuditEvent.objects.order_by("pk")
    assert (failed.action, failed.outcome, failed.actor, failed.actor_name) == (
        AuditAction.LOGIN_FAILED,
        "failure",
        None,
        "regie-test",
    )
    assert (login.action, login.actor, login.organisation.code) == (
        AuditAction.LOGIN,
        regie,
        "JENV",
    )
    assert login.ip == "127.0.0.1" and login.detail == {"method": "password"}
    assert login.request_id == "proxy-request-0001" == response["X-Request-ID"]
    assert logout.action == AuditAction.LOGOUT and logout.actor == regie


def test_tokens_made_used_and_revoked_are_recorded_without_their_secret(client, ind_partner):
    client.force_login(ind_partner)
    key = client.post(reverse("api-tokens"), {"action": "create"}).context["new_key"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for _ in range(3):
        assert api.get("/api/v1/themes/").status_code == 200
    APIClient(HTTP_AUTHORIZATION="Token wrong-token").get("/api/v1/themes/")
    token_key = key[:15]
    client.post(reverse("api-tokens"), {"action": "revoke", "token_key": token_key})
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id"))
    assert [a for a, _ in events if a.startswith("token")] == [
        AuditAction.TOKEN_CREATED,
        AuditAction.TOKEN_USED,  # once an hour, not per request
        AuditAction.TOKEN_FAILED,
        AuditAction.TOKEN_REVOKED,
    ]
    assert {object_id for a, object_id in events if a.startswith("token_") and object_id} == {
        token_key
    }
    assert not AuditEvent.objects.filter(object_repr__contains=key).exists()


def test_downloads_of_an_original_upload_and_its_report_are_recorded(client, ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(regie)
    client.get(reverse("dashboards:upload-file", args=[upload.pk]))
    client.get(reverse("dashboards:upload-report", args=[upload.pk]))
    downloads = AuditEvent.objects.filter(actor=regie, action__startswith="download").order_by("pk")
    assert [(e.action, e.object_id, e.organisation.code) for e in downloads] == [
        (AuditAction.DOWNLOAD_UPLOAD, str(upload.pk), "IND"),
        (AuditAction.DOWNLOAD_UPLOAD_REPORT, str(upload.pk), "IND"),
    ]


def test_upload_services_record_submit_approve_and_reject(regie, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    approval.approve_upload(upload=upload, by=regie)
    other = submit(ind_partner, IND_Q1.replace("100", "101"))
    approval.reject_upload(upload=other, by=regie, reason="Klopt niet")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor__username"))
    assert actions == [
        (AuditAction.UPLOAD_SUBMITTED, "ind-test"),
        (AuditAction.UPLOAD_APPROVED, "regie-test"),
        (AuditAction.UPLOAD_SUBMITTED, "ind-test"),
        (AuditAction.UPLOAD_REJECTED, "regie-test"),
    ]


def test_a_change_in_the_django_admin_is_recorded(client, admin_user):
    client.force_login(admin_user)
    organisation = Organisation.objects.get(code="COA")
    response = client.post(
        reverse("admin:governance_organisation_change", args=[organisation.pk]),
        {
            "code": "COA",
            "name": "Centraal Orgaan opvang asielzoekers",
            "name_en": "",
            "is_chain_partner": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert (event.actor, event.object_type, event.object_id) == (
        admin_user,
        "governance.organisation",
        str(organisation.pk),
    )
    assert event.ip == "127.0.0.1" and event.request_id


def test_the_audit_page_is_for_the_administrator_with_filters_and_a_csv(client, admin_user, regie):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    client.force_login(regie)
    assert client.get(reverse("audit-events")).status_code == 403
    client.force_login(admin_user)
    page = client.get(reverse("audit-events"), {"action": "login_failed"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert "nobody" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    download = client.get(reverse("audit-events"), {"action": "login_failed", "format": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Tijdstip", "Gebruiker", "Organisatie", "Handeling"]
    assert [row[1] for row in rows[1:]] == ["nobody"]
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_AUDIT, actor=admin_user).exists()


def test_the_audit_api_answers_the_administrator_only(admin_user, regie, ind_partner):
    AuditEvent.objects.create(action=AuditAction.LOGIN, actor=ind_partner, actor_name="ind-test")
    api = APIClient()
    for user in (regie, ind_partner):
        api.force_authenticate(user)
        assert api.get("/api/v1/audit-events/").status_code == 403
    api.force_authenticate(admin_user)
    body = api.get("/api/v1/audit-events/", {"action": "login"}).json()
    assert [row["actor"] for row in body["results"]] == ["ind-test"]
    assert set(body["results"][0]) >= {"at", "actor", "organisation", "action", "object", "ip"}
