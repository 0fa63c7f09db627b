import time

import pytest
from django.utils import timezone

from governance.models import ProgressReport, ReportingMoment, ReportStatus
from governance.reports import services as reports
from tests.factories import MilestoneFactory, make_user

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_generates_the_report_and_reports_progress(celery_worker_process):
    regie = make_user("regie", "JENV", username="regie-worker")
    MilestoneFactory(title="Over de deadline", overdue=True)
    moment = ReportingMoment.objects.create(
        date=timezone.localdate(), title="Voortgangsbrief", created_by=regie
    )
    report = reports.request_progress_report(moment=moment, by=regie)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not report.is_pending:
            break
        time.sleep(0.05)
    assert report.status == ReportStatus.SUCCEEDED, report.error
    assert report.percent == 100
    assert report.data["summary"]["milestones_overdue"] == 1
    assert report.pdf_file.read().startswith(b"%PDF")
    assert ProgressReport.objects.count() == 1
