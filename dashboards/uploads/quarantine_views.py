"""Files in quarantine, for the functional administrator (role `admin`): what clamd refused,
from whom and when, and the file itself for further analysis, every download audited.

An infected file is never an upload and never shown to its sender again; only the administrator
sees it here (and in the Django admin, read only). The download is an attachment of type
application/octet-stream under a sanitised name, so no browser opens or renders it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dashboards.models import QuarantinedFile
from governance.accounts import audit, roles
from governance.models import AuditAction
from ketenportaal import downloads
from ketenportaal.http import AuthenticatedHttpRequest

PAGE_SIZE = 50


def _files():
    return QuarantinedFile.objects.select_related("organisation", "uploaded_by").order_by(
        "-detected_at", "-pk"
    )


@login_required
@require_GET
def quarantine_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quarantined files, newest first (administrator only)."""
    roles.require_admin(request.user)
    page = Paginator(_files(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "dashboards/quarantine.html", {"page": page})


@login_required
@require_GET
def quarantine_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """One quarantined file as it was sent (administrator only); the download is audited."""
    roles.require_admin(request.user)
    quarantined = get_object_or_404(_files(), pk=pk)
    audit.record(
        action=AuditAction.DOWNLOAD_QUARANTINE,
        actor=request.user,
        obj=quarantined,
        organisation=quarantined.organisation,
        request=request,
        detail={"sha256": quarantined.sha256, "signature": quarantined.signature},
    )
    response = FileResponse(quarantined.file.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = downloads.attachment(quarantined.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
