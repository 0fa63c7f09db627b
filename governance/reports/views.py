"""Pages for reporting moments and their progress reports. Regie defines moments and generates;
every portal role reads and downloads."""

from __future__ import annotations

import datetime
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dashboards.models import Release
from governance.accounts import audit, roles
from governance.models import AuditAction
from governance.models.reports import ProgressReport, ReportingMoment, ReportStatus
from ketenportaal.exports import (
    Column,
    download_links,
    export_response,
    file_response,
    requested_format,
)
from ketenportaal.htmx import render_page, wants_partial
from ketenportaal.http import AuthenticatedHttpRequest

from . import services as reports
from .forms import MomentForm

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _moments():
    return ReportingMoment.objects.prefetch_related(
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.only(
                "pk", "moment_id", "status", "percent", "requested_at", "finished_at"
            ),
        )
    )


def _latest(moment: ReportingMoment) -> ProgressReport | None:
    done = [r for r in moment.reports.all() if r.status == ReportStatus.SUCCEEDED]
    return done[0] if done else None


def _latest_finished_at(moment: ReportingMoment) -> datetime.datetime | None:
    latest = _latest(moment)
    return latest.finished_at if latest else None


@login_required
@require_http_methods(["GET", "POST"])
def moment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reporting moments; regie adds one with the form on this page."""
    form = MomentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        roles.require_regie(request.user)
        if form.is_valid():
            try:
                moment = reports.save_reporting_moment(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Het verantwoordingsmoment is vastgelegd."))
                return redirect("reports:moment", pk=moment.pk)
        status = 422
    moments = list(_moments())
    export_format = requested_format(request)
    if export_format:
        columns = [
            Column(_("Peildatum"), "date"),
            Column(_("Titel"), "title"),
            Column(_("Laatste rapportage gemaakt op"), _latest_finished_at),
        ]
        return export_response(
            request, moments, columns, _("verantwoordingsmomenten"), export_format
        )
    rows = [{"moment": m, "latest": _latest(m)} for m in moments]
    return render(
        request,
        "governance/reports/moment_list.html",
        {"rows": rows, "form": form, "downloads": download_links(request)},
        status=status,
    )


def _moment_context(request: HttpRequest, moment: ReportingMoment) -> dict:
    # Versions without their content; only the latest one's content is shown.
    versions = list(moment.reports.select_related("requested_by").defer("data"))
    latest = moment.reports.succeeded().first()
    pending = next((r for r in versions if r.is_pending), None)
    last_failed = versions[0] if versions and versions[0].status == ReportStatus.FAILED else None
    return {
        "moment": moment,
        "previous": moment.previous(),
        "latest": latest,
        "pending": pending,
        "failed": last_failed,
        "versions": versions,
        "can_generate": roles.is_regie(request.user),
        "releases": Release.objects.all()[:50] if roles.is_regie(request.user) else [],
    }


@login_required
def moment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A moment with its latest report; while one is being made, htmx polls the `report` part."""
    moment = get_object_or_404(ReportingMoment, pk=pk)
    context = _moment_context(request, moment)
    return render_page(request, "governance/reports/moment_detail.html", context, partial="report")


@login_required
@require_POST
def moment_generate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    moment = get_object_or_404(ReportingMoment, pk=pk)
    roles.require_regie(request.user)
    chosen = request.POST.get("release", "")
    release = Release.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    reports.request_progress_report(moment=moment, by=request.user, release=release)
    if wants_partial(request):
        context = _moment_context(request, moment)
        return render(request, "governance/reports/moment_detail.html#report", context)
    messages.info(request, _("De rapportage wordt gemaakt."))
    return redirect("reports:moment", pk=moment.pk)


@login_required
def report_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """A stored report file, exactly as it was made (checked against its SHA-256)."""
    report = get_object_or_404(ProgressReport.objects.select_related("moment"), pk=pk)
    try:
        content = reports.read_report_file(report=report, kind=kind)
    except FileNotFoundError as exc:
        raise Http404(_("Dit bestand bestaat niet.")) from exc
    except reports.ReportFileCorrupted:
        logger.error("Report file %s/%s does not match its SHA-256", pk, kind)
        return render(
            request,
            "governance/reports/corrupted.html",
            {"report": report},
            status=500,
        )
    audit.record(
        action=AuditAction.DOWNLOAD_REPORT,
        actor=request.user,
        obj=report,
        request=request,
        detail={"kind": kind},
    )
    filename = f"voortgangsrapportage-{report.moment.date:%Y-%m-%d}-v{report.pk}.{kind}"
    response = file_response(content, filename=filename, content_type=CONTENT_TYPES[kind])
    response["X-Content-SHA256"] = getattr(report, f"{kind}_sha256")
    return response
