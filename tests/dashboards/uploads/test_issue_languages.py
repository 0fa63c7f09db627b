"""One language at a time for upload findings (issue 13.6): a finding's message is stored in
Dutch and English when the file is validated, and every reader (page, API, CSV report) reads it
in their own language, whatever the uploader's."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dashboards.models import Upload, UploadIssue
from dashboards.uploads import ingest, validation
from tests.dashboards.factories import submit

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "indicator,period,value\nasylum_pending,2024-01,veel\n"
DUTCH = 'De waarde "veel" is geen getal.'
ENGLISH = 'The value "veel" is not a number.'


def sent_in(language: str, user) -> Upload:
    with translation.override(language):
        return submit(user, NOT_A_NUMBER)


def api_message(user, upload: Upload, language: str) -> str:
    api = APIClient()
    api.force_authenticate(user)
    answer = api.get(f"/api/v1/uploads/{upload.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    [error] = answer.json()["errors"]
    return error["message"]


def test_a_finding_is_stored_in_both_languages(ind_partner):
    upload = sent_in("en", ind_partner)
    [issue] = UploadIssue.objects.filter(upload=upload)
    assert (issue.message, issue.message_en) == (DUTCH, ENGLISH)


def test_an_english_partners_findings_read_in_dutch_by_regie(client, regie, ind_partner):
    upload = sent_in("en", ind_partner)
    client.force_login(regie)
    page = client.get(reverse("dashboards:upload", args=[upload.pk])).content.decode()
    assert DUTCH in page.replace("&quot;", '"')
    assert ENGLISH not in page.replace("&quot;", '"')
    assert api_message(regie, upload, "nl") == DUTCH
    report = client.get(reverse("dashboards:upload-report", args=[upload.pk]))
    assert DUTCH.replace('"', '""') in b"".join(report.streaming_content).decode()


def test_a_dutch_partners_findings_read_in_english_by_an_english_reader(client, regie, ind_partner):
    upload = sent_in("nl", ind_partner)
    assert api_message(regie, upload, "en") == ENGLISH
    client.force_login(regie)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the language switch
    page = client.get(reverse("dashboards:upload", args=[upload.pk]))
    text = page.content.decode().replace("&quot;", '"')
    assert ENGLISH in text and DUTCH not in text


def test_parameters_in_words_follow_the_language_too():
    catalogue = {"asylum_lead_time": validation.IndicatorSpec(id=1, code="asylum_lead_time",
                 owner="IND", frequency="quarter", is_count=False)}  # fmt: skip
    table = ingest.read_table(
        b"indicator,period,value\nasylum_lead_time,2024-03,5\n", "cijfers.csv",
        max_bytes=10**6, max_rows=100, max_columns=10, max_cells=1000,
    )  # fmt: skip
    result = validation.validate(
        table, validation.Context("IND", catalogue, datetime.date(2026, 12, 2))
    )
    [issue] = result.issues.to_dict("records")
    assert issue["code"] == "period_too_fine"
    assert issue["message"].endswith("(per kwartaal).")
    assert issue["message_en"].endswith("(per quarter).")


def test_a_file_that_cannot_be_read_is_refused_in_both_languages(ind_partner):
    with translation.override("en"):
        upload = submit(ind_partner, "")
    [issue] = UploadIssue.objects.filter(upload=upload)
    assert issue.code == "empty_file"
    assert issue.message == "Het bestand is leeg."
    assert issue.message_en == "The file is empty."


def test_the_migration_keeps_the_english_of_earlier_english_uploads(ind_partner):
    english, dutch = sent_in("en", ind_partner), sent_in("nl", ind_partner)
    UploadIssue.objects.filter(upload=english).update(message=ENGLISH, message_en="")
    UploadIssue.objects.filter(upload=dutch).update(message_en="")
    migration = importlib.import_module(
        "dashboards.migrations.0018_issue_messages_in_both_languages"
    )
    migration.english_uploads_keep_their_english(apps, None)
    assert UploadIssue.objects.get(upload=english).message_en == ENGLISH
    assert UploadIssue.objects.get(upload=dutch).message_en == ""
    with translation.override("en"):
        assert UploadIssue.objects.get(upload=dutch).text == DUTCH  # nothing better to show
