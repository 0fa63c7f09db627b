"""The rebuild log (regie): start a rebuild, and follow its progress (polled with htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dashboards.models import Rebuild, RebuildTrigger
from governance.accounts import roles
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from .queue import queue_rebuild


@login_required
@require_http_methods(["GET", "POST"])
def rebuilds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Regie reads the rebuild log and starts a rebuild; its progress is polled with htmx."""
    roles.require_regie(request.user)
    if request.method == "POST":
        asked = timezone.now()
        rebuild = queue_rebuild(trigger=RebuildTrigger.PORTAL, triggered_by=request.user)
        if rebuild.queued_at < asked:
            # A full rebuild already waited: it covers this request, so its progress is shown.
            message = _(
                "Er stond al een volledige herberekening (#%(id)s) in de wachtrij; die neemt uw "
                "verzoek mee. Hieronder ziet u de voortgang."
            )
        else:
            message = _(
                "Herberekening #%(id)s staat in de wachtrij; hieronder ziet u de voortgang."
            )
        messages.success(request, message % {"id": rebuild.pk})
        return redirect("dashboards:rebuild", pk=rebuild.pk)
    log = Rebuild.objects.select_related("triggered_by")[:50]
    return render(request, "dashboards/rebuilds.html", {"rebuilds": log, "page": "rebuilds"})


@login_required
def rebuild_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roles.require_regie(request.user)
    rebuild = get_object_or_404(Rebuild.objects.select_related("triggered_by"), pk=pk)
    context = {"rebuild": rebuild, "page": "rebuilds"}
    return render_page(request, "dashboards/rebuild.html", context, partial="status")
