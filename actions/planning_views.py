"""Planning pages: re-plan one milestone, bulk update selected milestones, and the list of open
milestones without a progress report for some weeks. Writes go through `actions.services`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.accounts import roles
from governance.models import Role
from ketenportaal.editing import add_errors
from ketenportaal.exports import Column, download_links, export_response, requested_format
from ketenportaal.http import AuthenticatedHttpRequest

from . import exports, services, tree
from .forms import BulkUpdateForm, ReplanForm, StaleFilterForm, TreeFilterForm
from .models import Milestone

#: The bulk page shows at most this many milestones; filters narrow the rest.
BULK_PAGE_ROWS = 200


@login_required
@require_http_methods(["GET", "POST"])
def milestone_replan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a milestone's due date with a reason (regie, or the owning partner)."""
    milestone = get_object_or_404(
        Milestone.objects.with_rag().select_related("action__owner"), pk=pk
    )
    roles.require_report_for(request.user, milestone.action.owner)
    form = ReplanForm(request.POST or None, initial={"due_date": milestone.due_date})
    if request.method == "POST" and form.is_valid():
        try:
            replan = services.replan_milestone(
                milestone=milestone,
                by=request.user,
                due_date=form.cleaned_data["due_date"],
                reason=form.cleaned_data["replan_reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("De deadline is verplaatst van %(old)s naar %(new)s.")
                % {
                    "old": replan.previous_due_date.strftime("%d-%m-%Y"),
                    "new": replan.new_due_date.strftime("%d-%m-%Y"),
                },
            )
            return redirect("actions:milestone", pk=milestone.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "actions/milestone_replan.html",
        {"milestone": milestone, "form": form},
        status=status,
    )


def _may_bulk_update(user) -> bool:
    return roles.role_of(user) in (Role.REGIE, Role.PARTNER)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_update(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Select milestones (filtered as on the tree) and give them one new status or due date.

    A partner is offered only its own organisation's milestones; whatever is posted, the service
    refuses the others by name and then changes nothing."""
    if not _may_bulk_update(request.user):
        raise PermissionDenied(
            _("Alleen Regie Migratieketen en ketenpartners werken mijlpalen bij.")
        )
    filters = TreeFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    offered = tree.filter_milestones(data, timezone.localdate())
    if not data.get("status"):
        offered = offered.open()
    own = roles.organisation_of(request.user) if roles.is_partner(request.user) else None
    if own is not None:
        offered = offered.filter(action__owner=own)

    form = BulkUpdateForm(request.POST or None, choices=Milestone.objects.all())
    refusals: list[services.Refusal] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                changed = services.bulk_update_milestones(
                    milestones=form.cleaned_data["milestones"],
                    by=request.user,
                    new_status=form.cleaned_data["new_status"],
                    note=form.cleaned_data["note"],
                    due_date=form.cleaned_data["due_date"],
                    reason=form.cleaned_data["reason"],
                )
            except services.BulkRefused as refused:
                refusals = refused.refusals
                form.add_error(None, str(refused))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s mijlpalen zijn bijgewerkt.") % {"n": changed}
                    if changed != 1
                    else _("1 mijlpaal is bijgewerkt."),
                )
                return redirect(request.get_full_path())
    rows = list(offered[: BULK_PAGE_ROWS + 1])
    refused_ids = {r.milestone.pk for r in refusals}
    context = {
        "filters": filters,
        "form": form,
        "milestones": rows[:BULK_PAGE_ROWS],
        "more": len(rows) > BULK_PAGE_ROWS,
        "selected": set(request.POST.getlist("milestones")),
        "refusals": refusals,
        "refused_ids": refused_ids,
        "own_organisation": own,
    }
    return render(request, "actions/bulk_update.html", context, status=status)


def stale_columns() -> list[Column]:
    return [
        *exports.milestone_columns(),
        Column(_("Laatste update"), "last_update_on"),
    ]


@login_required
def stale_milestones(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open milestones without a progress report for N weeks (default MILESTONE_STALE_WEEKS);
    a partner sees its own organisation's first."""
    default_weeks = settings.MILESTONE_STALE_WEEKS
    form = StaleFilterForm(request.GET or {"weeks": default_weeks})
    if form.is_valid():
        weeks = form.cleaned_data["weeks"]
        organisation = form.cleaned_data["organisation"]
    else:
        weeks, organisation = default_weeks, None
    today = timezone.localdate()
    since = today - datetime.timedelta(weeks=weeks)
    milestones = (
        Milestone.objects.without_update_since(since)
        .with_rag(today)
        .select_related("action__owner")
    )
    if organisation is not None:
        milestones = milestones.filter(action__owner=organisation)
    export_format = requested_format(request)
    if export_format:
        rows = milestones.prefetch_related("action__recommendations")
        return export_response(
            request, rows, stale_columns(), _("mijlpalen-zonder-update"), export_format
        )
    own = roles.organisation_of(request.user) if roles.is_partner(request.user) else None
    listed = list(milestones[:500])
    if own is not None:  # the partner's own first, the order within each part kept
        listed.sort(key=lambda m: m.action.owner_id != own.pk)
    return render(
        request,
        "actions/stale_milestones.html",
        {
            "form": form,
            "weeks": weeks,
            "since": since,
            "milestones": listed,
            "count": milestones.count(),
            "own_organisation": own,
            "downloads": download_links(request),
        },
    )
