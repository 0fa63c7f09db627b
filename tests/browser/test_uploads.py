"""A partner uploads, watches the validation's progress and reads the report; regie approves.

The validation runs in a real Celery worker on Redis. To see the progress page before the
worker is done, the upload's task first goes to a queue no worker reads; once the page shows
the progress, the worker starts and the task is sent again (validation is idempotent).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from dashboards.models import CurrentCell, Upload, UploadStatus

pytestmark = pytest.mark.browser


FILE = (
    "indicator;period;value;application_type\r\n"
    "asylum_applications;2024-01;100;first\r\n"
    "asylum_applications;2024-02;180;first\r\n"
    "asylum_pending;2024-02;5000;\r\n"
).encode("cp1252")


@pytest.fixture
def held_queue():
    """Tasks sent while this is active wait in Redis, in a queue no worker reads."""
    from ketenportaal.celery import app

    queue = f"held-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    yield queue
    app.conf.task_always_eager, app.conf.task_default_queue = previous
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)


def test_partner_uploads_watches_progress_reads_report_and_regie_approves(
    live_server, page, login, context, ind_partner, regie, assert_accessible, held_queue, request
):
    login(ind_partner)
    page.goto(f"{live_server.url}/aanleveringen/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers aanleveren")
    expect(page.locator("[data-dropzone-hint]")).to_be_visible()  # uploads.js ran under the CSP
    assert_accessible(page)

    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(
        files=[{"name": "ind-2024-q1.csv", "mimeType": "text/csv", "buffer": FILE}]
    )
    page.get_by_role("button", name="Aanleveren").click()
    expect(page).to_have_url(re.compile(r"/aanleveringen/\d+/$"))
    upload = Upload.objects.get()

    # Progress while the task waits: a progress bar, and the page polls for news.
    expect(page.locator("progress#upload-progress")).to_be_visible()
    expect(page.locator("#upload-status")).to_contain_text("rijen gelezen")
    expect(page.locator("#status-heading")).to_contain_text("ontvangen")
    assert_accessible(page)

    from dashboards.uploads.tasks import validate_upload_task

    request.getfixturevalue("celery_worker_process")
    validate_upload_task.delay(upload.pk)

    # htmx polling swaps in the report when the worker is done: no reload by the test.
    expect(page.locator("#status-heading")).to_contain_text("gecontroleerd", timeout=30_000)
    expect(page.locator("progress")).to_have_count(0)
    report = page.locator("#upload-status")
    expect(report).to_contain_text("3 rijen gelezen")
    expect(report).to_contain_text("0 fouten")
    expect(report).to_contain_text("1 waarschuwing")
    issues = report.get_by_role("table", name="Bevindingen per rij en kolom, fouten eerst")
    expect(
        issues.get_by_role("cell", name=re.compile("wijkt 80% af van de vorige periode"))
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Volledig controlerapport downloaden (CSV)")
    ).to_be_visible()
    assert_accessible(page)

    # Regie: the queue shows what approval changes; approve.
    context.clear_cookies()
    login(regie)
    page.goto(f"{live_server.url}/aanleveringen/beoordelen/")
    expect(page.get_by_role("heading", name=re.compile("IND"))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("ind-2024-q1.csv"))
    expect(row.get_by_role("cell").nth(2)).to_have_text("3")  # three new cells
    assert_accessible(page)
    row.get_by_role("button", name=re.compile("Goedkeuren")).click()
    expect(page.locator(".messages")).to_contain_text("is goedgekeurd")
    expect(page.get_by_text("Er wachten geen aanleveringen op een beoordeling.")).to_be_visible()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.APPROVED
    assert CurrentCell.objects.count() == 3

    # The partner sees the outcome in its list.
    context.clear_cookies()
    login(ind_partner)
    page.goto(f"{live_server.url}/aanleveringen/")
    expect(page.get_by_role("row", name=re.compile("ind-2024-q1.csv"))).to_contain_text(
        "goedgekeurd"
    )
    assert_accessible(page)


def test_upload_report_with_errors_and_delivery_overview_are_accessible(
    live_server, page, login, ind_partner, assert_accessible, django_capture_on_commit_callbacks
):
    from tests.dashboards.factories import submit

    upload = submit(
        ind_partner, "indicator,period,value\nasylum_pending,2024-01,veel\nonbekend,2024-01,1\n"
    )
    login(ind_partner)
    page.goto(f"{live_server.url}/aanleveringen/{upload.pk}/")
    expect(page.locator("#status-heading")).to_contain_text("afgekeurd bij controle")
    expect(page.get_by_role("table", name=re.compile("Bevindingen per soort"))).to_contain_text(
        "Geen getal"
    )
    assert_accessible(page)
    page.goto(f"{live_server.url}/aanleveringen/tijdigheid/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Tijdigheid van aanleveringen: IND"
    )
    assert_accessible(page)


def test_regie_reads_the_differences_and_rejects_with_a_reason(
    live_server, page, login, ind_partner, regie, assert_accessible
):
    from dashboards.uploads import approval
    from tests.dashboards.factories import IND_Q1, submit

    approval.approve_upload(upload=submit(ind_partner, IND_Q1), by=regie)
    upload = submit(
        ind_partner,
        "indicator,period,value,application_type\nasylum_applications,2024-02,112,first\n"
        "asylum_applications,2024-04,130,first\n",
    )
    login(regie)
    page.goto(f"{live_server.url}/aanleveringen/{upload.pk}/")
    changed = page.get_by_role("table", name=re.compile("Gewijzigde cellen"))
    expect(changed.get_by_role("row", name=re.compile("2024-02"))).to_contain_text("110")
    expect(changed.get_by_role("row", name=re.compile("2024-02"))).to_contain_text("112")
    assert_accessible(page)
    page.get_by_label("Reden van afwijzing").fill("Februari is nog niet vastgesteld.")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.locator(".messages")).to_contain_text("is afgewezen")
    expect(page.locator("#status-heading")).to_contain_text("afgewezen door Regie")
    assert_accessible(page)
