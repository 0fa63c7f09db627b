"""The board pack pages: a meeting's pack (regie generates, every role reads) and its files."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dashboards.models import Release
from governance.accounts import audit, roles
from governance.models import AuditAction, BoardPack, Meeting, ReportStatus
from ketenportaal.exports import file_response
from ketenportaal.htmx import render_page, wants_partial
from ketenportaal.http import AuthenticatedHttpRequest

from . import services

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
TEMPLATE = "packs/meeting_pack.html"


def _context(request: HttpRequest, meeting: Meeting) -> dict:
    versions = list(meeting.packs.select_related("requested_by").defer("data"))
    latest = meeting.packs.succeeded().first()
    pending = next((p for p in versions if p.is_pending), None)
    failed = versions[0] if versions and versions[0].status == ReportStatus.FAILED else None
    return {
        "meeting": meeting,
        "latest": latest,
        "pending": pending,
        "failed": failed,
        "versions": versions,
        "can_generate": roles.is_regie(request.user),
        "releases": Release.objects.all()[:50] if roles.is_regie(request.user) else [],
    }


@login_required
def meeting_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A meeting's latest pack; while one is being made, htmx polls the `pack` part."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    return render_page(request, TEMPLATE, _context(request, meeting), partial="pack")


@login_required
@require_POST
def pack_generate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    roles.require_regie(request.user)
    chosen = request.POST.get("release", "")
    release = Release.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    services.request_board_pack(meeting=meeting, by=request.user, release=release)
    if wants_partial(request):
        # Focus moves to the progress once, after the button that was pressed is gone; the
        # polls that follow leave it where the user put it.
        context = {**_context(request, meeting), "just_requested": True}
        return render(request, f"{TEMPLATE}#pack", context)
    messages.info(request, _("De vergaderstukken worden gemaakt."))
    return redirect("packs:meeting", pk=meeting.pk)


@login_required
def pack_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """A stored pack file, exactly as it was made (checked against its SHA-256)."""
    pack = get_object_or_404(BoardPack.objects.select_related("meeting__board"), pk=pk)
    try:
        body = services.read_pack_file(pack=pack, kind=kind)
    except FileNotFoundError as exc:
        raise Http404(_("Dit bestand bestaat niet.")) from exc
    except services.PackFileCorrupted:
        logger.error("Board pack file %s/%s does not match its SHA-256", pk, kind)
        return render(request, "packs/corrupted.html", {"pack": pack}, status=500)
    audit.record(
        action=AuditAction.DOWNLOAD_REPORT,
        actor=request.user,
        obj=pack,
        request=request,
        detail={"kind": kind, "board_pack": pack.pk},
    )
    meeting = pack.meeting
    filename = f"vergaderstukken-{meeting.board.code}-{meeting.date:%Y-%m-%d}-v{pack.pk}.{kind}"
    response = file_response(body, filename=filename, content_type=CONTENT_TYPES[kind])
    response["X-Content-SHA256"] = getattr(pack, f"{kind}_sha256")
    return response
