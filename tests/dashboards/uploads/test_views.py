"""The upload pages through the test client: roles, isolation, htmx partials, query counts."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from dashboards.models import CurrentCell, Upload, UploadStatus
from dashboards.uploads import approval
from tests.dashboards.factories import IND_Q1, csv_file, submit

pytestmark = pytest.mark.django_db


def many_uploads(user, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        submit(
            user,
            f"indicator,period,value\nasylum_pending,2020-01,{i}\n" + "x,2020-01,1\n" * (i % 2),
        )


def test_the_upload_page_offers_a_file_picker_and_the_templates(client, ind_partner):
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:upload-new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "js/uploads.js" in html
    assert reverse("dashboards:template", args=["ind", "csv"]) in html
    assert reverse("dashboards:template", args=["coa", "csv"]) not in html


def test_a_viewer_cannot_open_the_upload_pages(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("dashboards:uploads")).status_code == 403
    assert client.get(reverse("dashboards:upload-new")).status_code == 403


def test_posting_a_file_stores_it_validates_it_and_shows_the_report(
    client, ind_partner, django_capture_on_commit_callbacks
):
    client.force_login(ind_partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboards:upload-new"), {"file": csv_file(IND_Q1)})
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:upload", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    assert "gecontroleerd, wacht op goedkeuring" in page
    assert "4 rijen gelezen" in page


def test_posting_the_same_file_again_tells_the_user(client, ind_partner):
    client.force_login(ind_partner)
    first = submit(ind_partner, IND_Q1)
    response = client.post(
        reverse("dashboards:upload-new"), {"file": csv_file(IND_Q1, "opnieuw.csv")}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "al eerder aangeleverd" in html
    assert reverse("dashboards:upload", args=[first.pk]) in html
    assert Upload.objects.count() == 1


def test_posting_without_a_file_shows_a_dutch_error(client, ind_partner):
    client.force_login(ind_partner)
    response = client.post(reverse("dashboards:upload-new"), {})
    assert response.status_code == 422
    assert "Kies een bestand om aan te leveren." in response.content.decode()


def test_regie_uploads_on_behalf_of_an_organisation(
    client, regie, django_capture_on_commit_callbacks
):
    client.force_login(regie)
    from governance.models import Organisation

    coa = Organisation.objects.get(code="COA")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dashboards:upload-new"),
            {
                "organisation": coa.pk,
                "file": csv_file("indicator,period,value\nreception_occupancy,2024-01,100\n"),
            },
        )
    assert Upload.objects.get().organisation == coa
    assert Upload.objects.get().status == UploadStatus.VALID


def test_while_validating_the_partial_shows_progress_with_a_polling_link(client, ind_partner):
    upload = submit(ind_partner, IND_Q1, validate=False)
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.VALIDATING, rows_read=2, rows_expected=4
    )
    client.force_login(ind_partner)
    response = client.get(
        reverse("dashboards:upload", args=[upload.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<progress id="upload-progress" max="100" value="50">' in html
    assert "2 van ongeveer 4 rijen gelezen" in html
    assert f'hx-get="{reverse("dashboards:upload", args=[upload.pk])}"' in html
    assert f'href="{reverse("dashboards:upload", args=[upload.pk])}"' in html


def test_the_report_lists_errors_first_grouped_by_kind_with_counts(client, ind_partner):
    bad = "".join(f"asylum_pending,2023-{m:02d},x\n" for m in range(1, 13))
    upload = submit(ind_partner, "indicator,period,value\n" + bad + "onbekend,2023-01,1\n")
    client.force_login(ind_partner)
    response = client.get(
        reverse("dashboards:upload", args=[upload.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "afgekeurd bij controle" in html
    assert "Geen getal" in html and ">12<" in html
    assert "not_a_number" not in html  # the kind by its label, not its code
    assert "Onbekende indicator" in html
    assert "<progress" not in html
    assert "De waarde &quot;x&quot; is geen getal." in html


def test_the_full_report_downloads_as_csv(client, ind_partner):
    upload = submit(ind_partner, "indicator,period,value\n" + "asylum_pending,2023-01,x\n" * 150)
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:upload-report", args=[upload.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["rij", "kolom", "ernst", "code", "soort", "melding"]
    codes = [row[3] for row in rows[1:]]
    assert (codes.count("not_a_number"), codes.count("duplicate_cell")) == (150, 149)
    assert rows[1][:5] == ["2", "value", "fout", "not_a_number", "Geen getal"]


def test_a_partner_never_sees_another_organisations_upload(client, ind_partner, coa_partner):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(coa_partner)
    for name in ("dashboards:upload", "dashboards:upload-report", "dashboards:upload-file"):
        assert client.get(reverse(name, args=[upload.pk])).status_code == 404
    listing = client.get(reverse("dashboards:uploads")).content.decode()
    assert upload.file_name not in listing
    assert client.get(reverse("dashboards:template", args=["ind", "csv"])).status_code == 404


def test_the_original_file_downloads_unchanged(client, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:upload-file", args=[upload.pk]))
    assert b"".join(response.streaming_content) == IND_Q1.encode()


def test_the_csv_template_holds_the_columns_and_the_allowed_values(client, ind_partner):
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:template", args=["ind", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "indicator",
        "period",
        "value",
        "application_type",
        "outcome",
        "organisation",
    ]
    kinds = {(r[0], r[3]) for r in rows[1:] if r[0] == "asylum_applications"}
    assert kinds == {
        ("asylum_applications", v) for v in ("first", "follow_up", "family_reunification")
    }
    assert {r[0] for r in rows[1:]} == {
        "asylum_applications",
        "asylum_decisions",
        "asylum_pending",
        "asylum_lead_time",
    }


def test_the_xlsx_template_is_a_workbook_our_own_reader_accepts(client, ind_partner):
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:template", args=["ind", "xlsx"]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["indicator", "period", "value"]
    assert workbook.sheet_names[1] == "toegestane waarden"
    from dashboards.uploads.ingest import read_table

    table = read_table(response.content, "sjabloon.xlsx", max_bytes=10**7, max_rows=1000)
    assert set(table.frame["period"]) <= {
        f"{y}-{m:02d}" for y in range(2020, 2030) for m in range(1, 13)
    } | {f"{y}-Q{q}" for y in range(2020, 2030) for q in range(1, 5)}


def test_the_upload_list_needs_the_same_queries_for_few_and_many_uploads(
    client, ind_partner, django_assert_num_queries
):
    client.force_login(ind_partner)
    many_uploads(ind_partner, 2)
    url = reverse("dashboards:uploads")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    many_uploads(ind_partner, 12, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 15


def test_the_approval_queue_needs_the_same_queries_for_few_and_many_uploads(
    client, regie, ind_partner, coa_partner, django_assert_num_queries
):
    client.force_login(regie)
    submit(ind_partner, IND_Q1)
    url = reverse("dashboards:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        submit(ind_partner, f"indicator,period,value\nasylum_pending,2019-{i + 1:02d},{i}\n")
        submit(coa_partner, f"indicator,period,value\nreception_occupancy,2019-{i + 1:02d},{i}\n")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert "COA" in html and html.count("Goedkeuren<span") == 13


def test_the_queue_shows_new_changed_and_unchanged_cells(client, regie, ind_partner):
    approval.approve_upload(upload=submit(ind_partner, IND_Q1), by=regie)
    submit(
        ind_partner,
        "indicator,period,value,application_type\nasylum_applications,2024-01,100,first\n"
        "asylum_applications,2024-02,111,first\nasylum_applications,2024-04,1,first\n",
    )
    client.force_login(regie)
    html = client.get(reverse("dashboards:queue")).content.decode()
    assert (
        '<td class="num">1</td>\n        <td class="num">1</td>\n        <td class="num">1</td>'
        in html
    )


def test_the_partner_cannot_open_the_queue_or_approve(client, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(ind_partner)
    assert client.get(reverse("dashboards:queue")).status_code == 403
    assert client.post(reverse("dashboards:upload-approve", args=[upload.pk])).status_code == 403
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID


def test_regie_approves_from_the_detail_page_once(client, regie, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(regie)
    detail = client.get(reverse("dashboards:upload", args=[upload.pk])).content.decode()
    assert "Verschil met de huidige cijfers" in detail
    response = client.post(reverse("dashboards:upload-approve", args=[upload.pk]), follow=True)
    assert "is goedgekeurd" in response.content.decode()
    again = client.post(reverse("dashboards:upload-approve", args=[upload.pk]), follow=True)
    assert "wacht niet op een beoordeling" in again.content.decode()
    assert CurrentCell.objects.count() == 4


def test_rejecting_without_a_reason_changes_nothing(client, regie, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    client.force_login(regie)
    response = client.post(
        reverse("dashboards:upload-reject", args=[upload.pk]), {"reason": ""}, follow=True
    )
    assert "Geef een reden" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID
    client.post(
        reverse("dashboards:upload-reject", args=[upload.pk]),
        {"reason": "Cijfers maart onvolledig"},
    )
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED


def test_the_partner_sees_the_outcome_on_its_upload_list(client, regie, ind_partner):
    upload = submit(ind_partner, IND_Q1)
    approval.reject_upload(upload=upload, by=regie, reason="Cijfers maart onvolledig")
    client.force_login(ind_partner)
    html = client.get(reverse("dashboards:uploads")).content.decode()
    assert "afgewezen door Regie" in html and "Cijfers maart onvolledig" in html


def test_the_delivery_overview_marks_quarters_on_time_or_late(client, regie, ind_partner):
    today = timezone.localdate()
    from ketenportaal.periods import QUARTER, last_complete

    quarter = last_complete(QUARTER, today)
    months = [
        f"{quarter.year}-{m:02d}" for m in range(quarter.start.month, quarter.start.month + 3)
    ]
    upload = submit(
        ind_partner,
        "indicator,period,value\n" + "".join(f"asylum_pending,{m},10\n" for m in months),
    )
    approval.approve_upload(upload=upload, by=regie)
    earlier = quarter.previous()
    late = submit(ind_partner, f"indicator,period,value\nasylum_lead_time,{earlier.canonical},30\n")
    approval.approve_upload(upload=late, by=regie)
    Upload.objects.filter(pk=late.pk).update(
        uploaded_at=timezone.make_aware(
            datetime.datetime.combine(earlier.end + datetime.timedelta(days=45), datetime.time(12))
        )
    )
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:delivery"))
    rows = {indicator.code: cells for indicator, cells in response.context["table"]}
    by_quarter = {c.quarter: c for c in rows["asylum_pending"]}
    on_time_expected = "on_time" if today <= quarter.end + datetime.timedelta(days=30) else "late"
    assert by_quarter[quarter.canonical].status == on_time_expected
    assert by_quarter[quarter.canonical].cells == 3
    assert {c.quarter: c for c in rows["asylum_lead_time"]}[earlier.canonical].status == "late"
    assert by_quarter[earlier.canonical].status == "missing"
    assert "te laat" in response.content.decode()


def test_the_uploads_page_marks_only_its_own_menu_item_as_current(regie_client):
    from django.urls import reverse

    html = regie_client.get(reverse("dashboards:uploads")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert 'aria-current="page">Aanleveringen</a>' in nav


def test_the_report_csv_neutralises_formulas_quoted_from_the_partners_file(client, ind_partner):
    upload = submit(
        ind_partner, 'indicator,period,value,"=HYPERLINK(""x"")"\nasylum_pending,2024-03,5\n'
    )
    assert upload.status == "invalid"
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:upload-report", args=[upload.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text), delimiter=";") for cell in line]
    assert any("hyperlink" in cell.lower() for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)


def test_regie_sees_no_approve_button_on_its_own_upload_and_a_post_changes_nothing(client, regie):
    upload = submit(
        regie, "indicator,period,value\nreception_occupancy,2024-01,100\n", organisation="COA"
    )
    client.force_login(regie)
    page = client.get(reverse("dashboards:upload", args=[upload.pk])).content.decode()
    assert "zelf ingestuurd" in page
    assert reverse("dashboards:upload-approve", args=[upload.pk]) not in page
    queue = client.get(reverse("dashboards:queue")).content.decode()
    assert reverse("dashboards:upload-approve", args=[upload.pk]) not in queue
    response = client.post(reverse("dashboards:upload-approve", args=[upload.pk]), follow=True)
    assert "vier ogen" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID
    assert not CurrentCell.objects.exists()


def test_a_rejected_file_can_be_sent_again_from_the_page(client, regie, ind_partner):
    first = submit(ind_partner, IND_Q1)
    approval.reject_upload(upload=first, by=regie, reason="Maart klopt niet")
    client.force_login(ind_partner)
    client.post(reverse("dashboards:upload-new"), {"file": csv_file(IND_Q1)})
    assert Upload.objects.count() == 2
