"""The audit trail page for the functional administrator: filters in the URL, paged, CSV."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from governance.models import AuditAction, AuditEvent, AuditOutcome, Organisation, Role
from ketenportaal.exports import Column, download_links, export_response, requested_format
from ketenportaal.htmx import wants_partial

from . import audit, roles

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Handeling"),
        required=False,
        choices=[("", gettext_lazy("alle")), *AuditAction.choices],
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Uitkomst"),
        required=False,
        choices=[("", gettext_lazy("alle")), *AuditOutcome.choices],
    )
    actor = forms.CharField(label=gettext_lazy("Gebruikersnaam"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisatie"),
        required=False,
        queryset=Organisation.objects.all(),
        to_field_name="code",
        empty_label=gettext_lazy("alle"),
    )
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP-adres"), required=False)
    start = forms.DateField(
        label=gettext_lazy("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def require_admin(user) -> None:
    if roles.role_of(user) != Role.ADMIN:
        raise PermissionDenied(_("Alleen de functioneel beheerder ziet de audittrail."))


def filter_events(data: dict) -> QuerySet[AuditEvent]:
    """The events matching the filter form's cleaned data, newest first."""
    events = AuditEvent.objects.for_listing()
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("outcome"):
        events = events.filter(outcome=data["outcome"])
    if data.get("actor"):
        events = events.filter(actor_name__icontains=data["actor"])
    if data.get("organisation"):
        events = events.filter(organisation=data["organisation"])
    if data.get("ip"):
        events = events.filter(ip=data["ip"])
    zone = timezone.get_current_timezone()
    if data.get("start"):
        start = datetime.datetime.combine(data["start"], datetime.time.min, tzinfo=zone)
        events = events.filter(at__gte=start)
    if data.get("end"):
        end = datetime.datetime.combine(
            data["end"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        events = events.filter(at__lt=end)
    return events


def audit_columns() -> list[Column]:
    return [
        Column(_("Tijdstip"), lambda e: timezone.localtime(e.at).isoformat(timespec="seconds")),
        Column(_("Gebruiker"), "actor_name"),
        Column(_("Organisatie"), lambda e: e.organisation.code if e.organisation else ""),
        Column(_("Handeling"), "action"),
        Column(_("Omschrijving"), "get_action_display"),
        Column(_("Object"), "object_label"),
        Column(_("IP-adres"), lambda e: e.ip or ""),
        Column(_("Uitkomst"), "outcome"),
        Column(_("Verzoek-id"), "request_id"),
    ]


@login_required
@require_GET
def audit_events(request: HttpRequest) -> HttpResponse:
    """The audit trail (admin only); `?format=csv|xlsx` downloads what the filters select."""
    require_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    export_format = requested_format(request)
    if export_format:
        audit.record(
            action=AuditAction.DOWNLOAD_AUDIT,
            actor=request.user,
            request=request,
            detail={"format": export_format, "filters": request.GET.urlencode()[:300]},
        )
        return export_response(
            request, filter_events(data), audit_columns(), _("audittrail"), export_format
        )
    page = Paginator(filter_events(data), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "downloads": download_links(request),
    }
    template = "governance/audit_events.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, context)
