"""The board pack page: regie makes one and sees its progress (htmx polls the part), everyone
reads it and downloads the stored files unchanged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import BoardPack, ReportStatus
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="Topberaad december")


def test_the_meeting_page_links_to_its_pack(regie_client, meeting):
    html = regie_client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert reverse("packs:meeting", args=[meeting.pk]) in html


def test_regie_makes_a_pack_and_reads_it_with_its_downloads(
    regie_client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = regie_client.post(reverse("packs:generate", args=[meeting.pk]))
    assert response["Location"] == reverse("packs:meeting", args=[meeting.pk])

    html = regie_client.get(response["Location"]).content.decode()
    pack = BoardPack.objects.get()
    assert pack.status == ReportStatus.SUCCEEDED
    assert "Te nemen besluiten" in html and "RAG-status per thema" in html
    download = regie_client.get(reverse("packs:download", args=[pack.pk, "pdf"]))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert download["X-Content-SHA256"] == pack.pdf_sha256
    assert body.startswith(b"%PDF")


def test_while_a_pack_is_made_the_part_polls_its_progress(regie_client, meeting, regie):
    BoardPack.objects.create(
        meeting=meeting,
        requested_by=regie,
        status=ReportStatus.RUNNING,
        percent=45,
        step="PDF maken",
    )
    response = regie_client.get(
        reverse("packs:meeting", args=[meeting.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="pack"' in html
    assert "PDF maken (45%)" in html and 'hx-trigger="every 1s"' in html


def test_a_partner_reads_packs_but_cannot_make_one(client, ind_partner, meeting):
    client.force_login(ind_partner)
    page = client.get(reverse("packs:meeting", args=[meeting.pk])).content.decode()
    assert reverse("packs:generate", args=[meeting.pk]) not in page
    assert client.post(reverse("packs:generate", args=[meeting.pk])).status_code == 403
    assert not BoardPack.objects.exists()


def test_a_file_of_an_unfinished_pack_is_not_found(regie_client, meeting, regie):
    pack = BoardPack.objects.create(meeting=meeting, requested_by=regie)
    assert regie_client.get(reverse("packs:download", args=[pack.pk, "pdf"])).status_code == 404
    assert regie_client.get(reverse("packs:download", args=[pack.pk, "exe"])).status_code == 404
