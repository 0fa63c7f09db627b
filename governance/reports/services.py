"""The write paths for reporting moments and their progress reports (views, tasks, API call these)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dashboards.models import Release
from governance.accounts import roles
from governance.models.reports import ProgressReport, ReportingMoment, ReportStatus
from ketenportaal.tasks import send_on_commit

from . import content as report_content
from . import files as report_files

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: A report still "running" after this long lost its worker; the task may claim it again.
STALE_AFTER = datetime.timedelta(minutes=15)
FILE_KINDS = ("html", "pdf", "xlsx")


#: The task that makes a queued report (defined in `tasks`, which calls this module).
GENERATE_TASK = "governance.reports.tasks.generate_progress_report"


class ReportFileCorrupted(Exception):
    """A stored report file no longer matches the SHA-256 recorded when it was made."""


@transaction.atomic
def save_reporting_moment(
    *,
    by: User,
    date: datetime.date,
    title: str,
    moment: ReportingMoment | None = None,
) -> ReportingMoment:
    """Create (or change) a reporting moment: regie (or, correcting one, the functional
    administrator); a date is used by one moment only."""
    roles.require_maintainer(by)
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Geef het verantwoordingsmoment een titel.")
    if date is None:
        errors["date"] = _("Geef een peildatum.")
    else:
        same_date = ReportingMoment.objects.filter(date=date)
        if moment is not None:
            same_date = same_date.exclude(pk=moment.pk)
        if same_date.exists():
            errors["date"] = _("Er is al een verantwoordingsmoment op deze datum.")
    if errors:
        raise ValidationError(errors)
    if moment is None:
        moment = ReportingMoment(created_by=by)
    moment.date = date
    moment.title = title
    moment.save()
    return moment


@transaction.atomic
def request_progress_report(
    *, moment: ReportingMoment, by: User, release: Release | None = None
) -> ProgressReport:
    """Queue the generation of a new version of the moment's report (regie only), citing
    `release` (its key figures taken from it) when given.

    A report already queued or running for this moment is returned instead of a second one.
    The task is sent after the transaction commits, so the worker finds the row.
    """
    roles.require_regie(by)
    ReportingMoment.objects.select_for_update().get(pk=moment.pk)
    pending = moment.reports.pending().first()
    if pending is not None:
        return pending
    # Versions count per moment (the moment row is locked above): the first report is v1.
    last = moment.reports.aggregate(last=Max("version"))["last"] or 0
    report = ProgressReport.objects.create(
        moment=moment,
        requested_by=by,
        version=last + 1,
        step=_("In de wachtrij"),
        release=release,
    )
    send_on_commit(GENERATE_TASK, report.pk)
    return report


def _progress(report: ProgressReport, percent: int, step: str) -> None:
    # An UPDATE of its own (autocommit), so the page polling this report sees it at once.
    ProgressReport.objects.filter(pk=report.pk).update(percent=percent, step=step)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def generate_progress_report(*, report_id: int) -> ProgressReport | None:
    """Make the report's content and files and store them with their SHA-256.

    Idempotent: the report is claimed with a conditional UPDATE (queued → running, or a stale
    run), so a second delivery of the task does nothing; a succeeded report is never changed.
    A failure is recorded on the report (status failed, with the error) and not raised.
    """
    now = timezone.now()
    claimed = (
        ProgressReport.objects.filter(pk=report_id)
        .filter(
            Q(status=ReportStatus.QUEUED)
            | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(status=ReportStatus.RUNNING, started_at=now, percent=5, step=_("Gestart"))
    )
    report = ProgressReport.objects.select_related("moment", "release").filter(pk=report_id).first()
    if not claimed or report is None:
        return report
    try:
        with translation.override("nl"):
            _progress(report, 10, _("Gegevens verzamelen"))
            data = report_content.build_report_data(report.moment, now=now, release=report.release)
            data["version"] = report.version
            _progress(report, 40, _("HTML maken"))
            html = report_files.render_html(data).encode("utf-8")
            _progress(report, 55, _("PDF maken"))
            pdf = report_files.render_pdf(html.decode("utf-8"))
            _progress(report, 85, _("Excel-bestand maken"))
            xlsx = report_files.render_xlsx(data)
        _progress(report, 95, _("Opslaan"))
        stem = f"voortgangsrapportage-{report.moment.date:%Y-%m-%d}-v{report.version}"
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report_id)
            report.data = data
            for kind, content in (("html", html), ("pdf", pdf), ("xlsx", xlsx)):
                getattr(report, f"{kind}_file").save(
                    f"{stem}.{kind}", ContentFile(content), save=False
                )
                setattr(report, f"{kind}_sha256", _sha256(content))
            report.status = ReportStatus.SUCCEEDED
            report.percent = 100
            report.step = _("Gereed")
            report.finished_at = timezone.now()
            report.save()
    except Exception as exc:
        logger.exception("Progress report %s failed", report_id)
        ProgressReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
    return report


def read_report_file(*, report: ProgressReport, kind: str) -> bytes:
    """The stored file, checked against its recorded SHA-256 (ReportFileCorrupted otherwise)."""
    if kind not in FILE_KINDS or report.status != ReportStatus.SUCCEEDED:
        raise FileNotFoundError(kind)
    field = getattr(report, f"{kind}_file")
    with field.open("rb") as stored:
        content = stored.read()
    if _sha256(content) != getattr(report, f"{kind}_sha256"):
        raise ReportFileCorrupted(f"{field.name} does not match its SHA-256")
    return content
