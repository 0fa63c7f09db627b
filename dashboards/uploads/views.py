"""Upload pages: deliver a file, follow its validation, read the report, approve or reject,
and see which quarters were delivered on time. Function views; htmx gets a named partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboards.models import Upload, UploadStatus
from governance.accounts import audit, roles
from governance.models import AuditAction, Organisation
from ketenportaal import downloads
from ketenportaal.exports import download_links, export_response, requested_format
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import approval, deliveries, exports, limits, review, scanning, services, template_files
from .forms import RejectForm, UploadForm


def _not_an_uploader() -> PermissionDenied:
    return PermissionDenied(
        _("Alleen ketenpartners en Regie Migratieketen werken met aanleveringen.")
    )


def _require_uploader(request: HttpRequest) -> None:
    if not (roles.is_regie(request.user) or roles.is_partner(request.user)):
        raise _not_an_uploader()


def _own_organisation(request: HttpRequest) -> Organisation:
    """The user's organisation: every partner has one; a user without one is no uploader."""
    organisation = roles.organisation_of(request.user)
    if organisation is None:
        raise _not_an_uploader()
    return organisation


def _visible_uploads(request: HttpRequest):
    return Upload.objects.visible_to(request.user).select_related(
        "organisation", "uploaded_by", "pending_scan"
    )


@login_required
@require_GET
def upload_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The uploads this user may see, newest first, with their outcome."""
    _require_uploader(request)
    uploads = _visible_uploads(request)
    organisation = None
    if roles.is_regie(request.user) and request.GET.get("organisatie"):
        organisation = Organisation.objects.filter(code=request.GET["organisatie"]).first()
        if organisation:
            uploads = uploads.filter(organisation=organisation)
    export_format = requested_format(request)
    if export_format:
        return export_response(
            request, uploads, exports.upload_columns(), _("aanleveringen"), export_format
        )
    page = Paginator(uploads, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "dashboards/upload_list.html",
        {
            "page": page,
            "downloads": download_links(request),
            "organisation": organisation,
            "organisations": Organisation.objects.order_by("code")
            if roles.is_regie(request.user)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The upload page: a file picker (drag and drop where JavaScript runs) and the templates."""
    _require_uploader(request)
    is_regie = roles.is_regie(request.user)
    if request.method == "POST":
        refused = limits.refused_upload(request)  # the API's budget, before the file is read
        if refused is not None:
            return refused
        form = UploadForm(request.POST, request.FILES, regie=is_regie)
    else:
        form = UploadForm(regie=is_regie)
    status = 200
    duplicate = None
    if request.method == "POST":
        if form.is_valid():
            organisation = (
                form.cleaned_data["organisation"] if is_regie else _own_organisation(request)
            )
            try:
                upload = services.submit_upload(
                    organisation=organisation, by=request.user, file=form.cleaned_data["file"]
                )
            except services.DuplicateUpload as exc:
                form.add_error("file", str(exc))
                duplicate = exc.earlier
                status = 409
            except ValidationError as exc:
                form.add_error("file", exc)
                status = 422
            else:
                if hasattr(upload, "pending_scan"):
                    messages.warning(request, scanning.waiting_message())
                else:
                    messages.success(
                        request, _("Het bestand is ontvangen; de controle is gestart.")
                    )
                return redirect("dashboards:upload", pk=upload.pk)
        else:
            status = 422
    organisations = (
        Organisation.objects.filter(indicators__active=True).distinct().order_by("code")
        if is_regie
        else [roles.organisation_of(request.user)]
    )
    return render(
        request,
        "dashboards/upload_new.html",
        {"form": form, "organisations": organisations, "duplicate": duplicate},
        status=status,
    )


@login_required
@require_GET
def upload_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Progress while validating (htmx polls the `status` partial), then the report."""
    _require_uploader(request)
    upload = get_object_or_404(_visible_uploads(request), pk=pk)
    context: dict = {
        "upload": upload,
        "can_decide": False,
        "scan_message": scanning.waiting_message() if hasattr(upload, "pending_scan") else "",
    }
    if upload.is_finished:
        context["summary"] = review.issue_summary(upload)
        context["issues"] = list(review.first_issues(upload))
        if upload.status == UploadStatus.VALID and roles.is_regie(request.user):
            context["can_decide"] = True
            context["own_upload"] = approval.sent_by(upload, request.user)
            context["diff"] = review.diffs([upload.pk])[upload.pk]
            context["changed"] = review.changed_cells(upload.pk)
            context["reject_form"] = RejectForm()
    return render_page(request, "dashboards/upload_detail.html", context, partial="status")


@login_required
@require_GET
def upload_report(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The full validation report as CSV."""
    _require_uploader(request)
    upload = get_object_or_404(_visible_uploads(request), pk=pk)
    audit.record(
        action=AuditAction.DOWNLOAD_UPLOAD_REPORT,
        actor=request.user,
        obj=upload,
        organisation=upload.organisation,
        request=request,
    )
    response = StreamingHttpResponse(
        review.report_csv(upload), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="controlerapport-{upload.pk}.csv"'
    return response


@login_required
@require_GET
def upload_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The original file, exactly as it was sent."""
    _require_uploader(request)
    upload = get_object_or_404(_visible_uploads(request), pk=pk)
    audit.record(
        action=AuditAction.DOWNLOAD_UPLOAD,
        actor=request.user,
        obj=upload,
        organisation=upload.organisation,
        request=request,
    )
    response = FileResponse(upload.file.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = downloads.attachment(upload.file_name)
    return response


@login_required
@require_GET
def template_download(
    request: AuthenticatedHttpRequest, organisation: str, fmt: str
) -> HttpResponse:
    """The organisation's template: the right columns and the allowed values, CSV or XLSX."""
    _require_uploader(request)
    org = get_object_or_404(Organisation, code=organisation.upper())
    if not roles.can_report_for(request.user, org):
        raise Http404
    name = f"sjabloon-{org.code.lower()}"
    if fmt == "csv":
        response = HttpResponse(
            template_files.template_csv(org), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            template_files.template_xlsx(org),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@login_required
@require_GET
def approval_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Regie's queue: valid uploads per organisation with what approval would change."""
    roles.require_regie(request.user)
    uploads = list(
        Upload.objects.awaiting_decision()
        .select_related("organisation", "uploaded_by")
        .order_by("organisation__code", "uploaded_at", "pk")[:200]
    )
    diffs = review.diffs(u.pk for u in uploads)
    for upload in uploads:
        # queue.html reads the diff from the upload; it is no field, so no stub knows it.
        upload.diff = diffs[upload.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "dashboards/queue.html",
        {"groups": review.queue_by_organisation(uploads), "count": len(uploads)},
    )


def _decided(request: HttpRequest, upload: Upload) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("dashboards:upload", args=[upload.pk])
    return redirect(target)


@login_required
@require_POST
def upload_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roles.require_regie(request.user)
    upload = get_object_or_404(Upload, pk=pk)
    return _decide(
        request,
        upload,
        lambda: approval.approve_upload(upload=upload, by=request.user),
        _("Aanlevering #%(id)s van %(org)s is goedgekeurd; de cijfers zijn nu actueel."),
    )


@login_required
@require_POST
def upload_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roles.require_regie(request.user)
    upload = get_object_or_404(Upload, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _decided(request, upload)
    reason = form.cleaned_data["reason"]
    return _decide(
        request,
        upload,
        lambda: approval.reject_upload(upload=upload, by=request.user, reason=reason),
        _("Aanlevering #%(id)s van %(org)s is afgewezen."),
    )


def _decide(request: HttpRequest, upload: Upload, decide, done: str) -> HttpResponse:
    """Approve or reject through the service and tell regie how it went: done, no longer
    waiting (a second click, another regie member first), or refused."""
    try:
        decide()
    except approval.UploadNotPending as exc:
        messages.warning(request, str(exc))
    except approval.OwnUpload as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"id": upload.pk, "org": upload.organisation.code})
    return _decided(request, upload)


@login_required
@require_GET
def delivery(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per organisation: which (indicator, quarter) were delivered, on time or late."""
    _require_uploader(request)
    if roles.is_regie(request.user):
        code = request.GET.get("organisatie") or "IND"
        organisation = get_object_or_404(Organisation, code=code.upper())
        organisations = (
            Organisation.objects.filter(indicators__active=True).distinct().order_by("code")
        )
    else:
        organisation = _own_organisation(request)
        organisations = Organisation.objects.none()
    quarters, table = deliveries.delivery_overview(organisation)
    export_format = requested_format(request)
    if export_format:
        filename = _("tijdigheid-%(org)s") % {"org": organisation.code if organisation else ""}
        return export_response(
            request,
            exports.delivery_rows(table),
            exports.delivery_columns(),
            filename,
            export_format,
        )
    return render(
        request,
        "dashboards/delivery.html",
        {
            "downloads": download_links(request),
            "organisation": organisation,
            "organisations": organisations,
            "quarters": quarters,
            "table": table,
        },
    )
