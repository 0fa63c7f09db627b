"""Files in quarantine in the portal: for the administrator only, downloads audited (issue 15)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dashboards.models import QuarantinedFile
from governance.models import AuditAction, AuditEvent
from tests.factories import make_user, org

pytestmark = pytest.mark.django_db

CONTENT = b"indicator,period,value\nnot-really-malware,2024-01,1\n"


def quarantined(
    by, name: str = "<script>cijfers ü.csv", signature: str = "Eicar-Test"
) -> QuarantinedFile:
    item = QuarantinedFile(
        organisation=org("IND"),
        uploaded_by=by,
        file_name=name,
        size=len(CONTENT),
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        signature=signature,
    )
    item.file.save("infected.bin", ContentFile(CONTENT), save=False)
    item.save()
    return item


@pytest.fixture
def administrator():
    return make_user("admin", "JENV", username="beheerder")


def test_the_administrator_sees_the_quarantined_files_with_sender_and_signature(
    client, administrator, ind_partner
):
    item = quarantined(ind_partner)
    client.force_login(administrator)
    page = client.get(reverse("dashboards:quarantine")).content.decode()
    assert "&lt;script&gt;cijfers ü.csv" in page  # escaped, never markup
    assert "Eicar-Test" in page and "ind-test" in page and "IND" in page
    assert reverse("dashboards:quarantine-file", args=[item.pk]) in page
    assert reverse("dashboards:quarantine") in page  # in the menu


def test_the_administrator_downloads_a_quarantined_file_and_the_download_is_audited(
    client, administrator, ind_partner
):
    item = quarantined(ind_partner)
    client.force_login(administrator)
    response = client.get(reverse("dashboards:quarantine-file", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="script-cijfers-u.csv"')
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD_QUARANTINE)
    assert (event.actor, event.object_type, event.object_id, event.organisation.code) == (
        administrator,
        "dashboards.quarantinedfile",
        str(item.pk),
        "IND",
    )
    assert event.detail == {"sha256": item.sha256, "signature": "Eicar-Test"}


@pytest.mark.parametrize("role", ["regie", "ind_partner", "viewer"])
def test_no_one_else_sees_or_downloads_the_quarantine(client, role, request, ind_partner):
    item = quarantined(ind_partner)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("dashboards:quarantine")).status_code == 403
    assert client.get(reverse("dashboards:quarantine-file", args=[item.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_QUARANTINE).exists()
    assert reverse("dashboards:quarantine") not in client.get("/").content.decode()


def test_the_quarantine_page_query_count_does_not_grow_with_the_files(
    client, administrator, ind_partner, coa_partner, django_assert_max_num_queries
):
    client.force_login(administrator)
    client.get(reverse("dashboards:quarantine"))  # the session's first request records it
    for n in range(3):
        quarantined(ind_partner, name=f"a{n}.csv")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("dashboards:quarantine"))
    for n in range(30):
        quarantined(coa_partner if n % 2 else ind_partner, name=f"b{n}.csv")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "b29.csv" in client.get(reverse("dashboards:quarantine")).content.decode()
