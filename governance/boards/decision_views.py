"""Pages for decisions and their impact assessments: the register, a decision's page with its
lifecycle and follow-up, and the assessments. Everyone with a role reads; only regie edits (the
services enforce it). One function view per page; htmx requests get a named partial."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Milestone, MilestoneStatus
from governance.accounts import roles
from governance.models import (
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    PartnerImpact,
    SignalStatus,
)
from ketenportaal.editing import add_errors, edit_page
from ketenportaal.exports import download_links, export_response, requested_format
from ketenportaal.history import history_rows
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import assessments, exports
from . import services as decisions
from .forms import (
    AssessmentForm,
    DecisionFilterForm,
    DecisionForm,
    FollowUpForm,
    PartnerImpactForm,
    StatusForm,
)

REGISTER_PAGE_SIZE = 25


# ---------------------------------------------------------------- decisions


def filter_decisions(data: dict[str, Any]):
    today = timezone.localdate()
    open_overdue = Q(actions__milestones__due_date__lt=today) & ~Q(
        actions__milestones__status__in=[MilestoneStatus.DONE, MilestoneStatus.CANCELLED]
    )
    qs = Decision.objects.select_related("board", "meeting").annotate(
        follow_up_count=Count("actions", distinct=True),
        overdue_count=Count("actions__milestones", filter=open_overdue, distinct=True),
    )
    if data.get("q"):
        qs = qs.search(data["q"])
    if data.get("board"):
        qs = qs.filter(board=data["board"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("year"):
        qs = qs.filter(year=data["year"])
    if data.get("perspective"):
        qs = qs.filter(perspectives=data["perspective"])
    if data.get("driehoek"):
        qs = qs.filter(needs_triangle=data["driehoek"] == "ja")
    return qs.order_by("-date", "-pk")


@login_required
def decision_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The decision register: search and filters in the URL, paged; htmx gets the results."""
    form = DecisionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    export_format = requested_format(request)
    if export_format:
        return export_response(
            request,
            filter_decisions(data),
            exports.decision_columns(),
            _("besluiten"),
            export_format,
        )
    page = Paginator(filter_decisions(data), REGISTER_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    downloads = download_links(request)
    context = {"form": form, "page": page, "query": query.urlencode(), "downloads": downloads}
    return render_page(request, "governance/decisions.html", context, partial="results")


@login_required
def decision_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "board",
            "meeting__board",
            "agenda_item__meeting__board",
            "agenda_item__signal__indicator",
            "agenda_item__signal__organisation",
            "agenda_item__signal__target",
            "agenda_item__signal__milestone",
        ),
        number=number,
    )
    return render(request, "governance/decision_detail.html", decision_context(request, decision))


def decision_context(
    request: HttpRequest, decision: Decision, follow_up_form: FollowUpForm | None = None
) -> dict:
    is_regie = roles.is_regie(request.user)
    actions = decision.actions.select_related("owner").prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.with_rag().select_related("action__owner")
        )
    )
    agenda_item = decision.agenda_item
    signal = agenda_item.signal if agenda_item is not None else None
    allowed = decisions.next_statuses(decision)
    return {
        "decision": decision,
        "lifecycle": lifecycle_steps(decision),
        "next_statuses": [DecisionStatus(s) for s in allowed] if is_regie else [],
        "perspectives": decision.perspectives.all(),
        "recommendations": decision.recommendations.select_related("perspective"),
        "actions": actions,
        "assessments": decision.assessments.prefetch_related(
            Prefetch("impacts", queryset=PartnerImpact.objects.select_related("organisation"))
        ).select_related("milestone"),
        "signal": signal,
        "closed_signals": decision.closed_signals.select_related(
            "indicator", "organisation", "milestone"
        ),
        "can_close_signal": is_regie and signal is not None and signal.status == SignalStatus.OPEN,
        "follow_up_form": follow_up_form
        or (FollowUpForm() if is_regie and decision.status != DecisionStatus.WITHDRAWN else None),
        "can_edit": is_regie,
        "history": history_rows(decision),
    }


def lifecycle_steps(decision: Decision) -> list[dict]:
    """The path this decision follows, each step marked done, current or to come."""
    path = [DecisionStatus.PROPOSED, DecisionStatus.ADOPTED]
    if decision.needs_triangle:
        path.append(DecisionStatus.CONFIRMED)
    path.append(DecisionStatus.IMPLEMENTED)
    if decision.status == DecisionStatus.WITHDRAWN:
        return [
            {"status": DecisionStatus.PROPOSED, "state": "done"},
            {"status": DecisionStatus.WITHDRAWN, "state": "current"},
        ]
    current = path.index(DecisionStatus(decision.status))
    return [
        {
            "status": status,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, status in enumerate(path)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: AuthenticatedHttpRequest, number: str | None = None) -> HttpResponse:
    instance = get_object_or_404(Decision, number=number) if number else None
    initial: dict[str, Any] = {"date": timezone.localdate()}
    meeting = (
        Meeting.objects.filter(pk=request.GET.get("meeting") or 0).select_related("board").first()
    )
    if meeting:
        initial.update(meeting=meeting, board=meeting.board, date=meeting.date)
        item = meeting.agenda_items.filter(pk=request.GET.get("agendapunt") or 0).first()
        if item:
            initial.update(agenda_item=item, title=item.title)
    form = DecisionForm(request.POST or None, instance=instance, initial=initial)

    def save(f: DecisionForm) -> Decision:
        data = f.cleaned_data
        if instance:
            return decisions.save_decision_details(
                decision=f.save(commit=False),
                by=request.user,
                perspectives=data["perspectives"],
                recommendations=data["recommendations"],
            )
        return decisions.record_decision(
            by=request.user,
            board=data["board"],
            meeting=data["meeting"],
            agenda_item=data["agenda_item"],
            date=data["date"],
            title=data["title"],
            text=data["text"],
            needs_triangle=data["needs_triangle"],
            effective_date=data["effective_date"],
            perspectives=data["perspectives"],
            recommendations=data["recommendations"],
        )

    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=save,
        title=_("Besluit %(number)s wijzigen") % {"number": number}
        if number
        else _("Nieuw besluit"),
        cancel_url=reverse("governance:decision", args=[number])
        if number
        else reverse("governance:decisions"),
        success_url=lambda d: reverse("governance:decision", args=[d.number]),
    )


@login_required
@require_POST
def decision_status(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """Move a decision along its lifecycle; a refusal is shown as the service words it."""
    decision = get_object_or_404(Decision, number=number)
    roles.require_regie(request.user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige nieuwe status."))
    else:
        try:
            decisions.change_decision_status(
                decision=decision,
                to=form.cleaned_data["to"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            decision.refresh_from_db()
            messages.success(
                request,
                _("Besluit %(number)s heeft nu de status '%(status)s'.")
                % {"number": number, "status": decision.get_status_display()},
            )
    return redirect("governance:decision", number=number)


@login_required
@require_http_methods(["GET", "POST"])
def decision_follow_up(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """Create a follow-up action with its milestone; without JavaScript, a page of its own."""
    decision = get_object_or_404(Decision.objects.select_related("board"), number=number)
    roles.require_regie(request.user)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.add_follow_up(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De vervolgactie is vastgelegd."))
            return redirect(reverse("governance:decision", args=[number]) + "#vervolg")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "governance/follow_up.html", {"decision": decision, "form": form}, status=status
    )


# ---------------------------------------------------------------- impact assessments


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(
    request: AuthenticatedHttpRequest, number: str | None = None, pk: int | None = None
) -> HttpResponse:
    instance = (
        get_object_or_404(ImpactAssessment.objects.select_related("decision"), pk=pk)
        if pk
        else None
    )
    decision = instance.decision if instance else get_object_or_404(Decision, number=number)
    form = AssessmentForm(
        request.POST or None,
        instance=instance or ImpactAssessment(decision=decision),
        initial={"requested_on": timezone.localdate()},
    )
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: assessments.save_assessment(
            assessment=f.save(commit=False), by=request.user
        ),
        title=_("Toets bij besluit %(number)s") % {"number": decision.number},
        cancel_url=reverse("governance:decision", args=[decision.number]),
        success_url=lambda a: reverse("governance:decision", args=[decision.number]) + "#toetsen",
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_impact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(ImpactAssessment.objects.select_related("decision"), pk=pk)
    form = PartnerImpactForm(request.POST or None, instance=PartnerImpact(assessment=assessment))
    number = assessment.decision.number
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: assessments.save_partner_impact(
            impact=f.save(commit=False), by=request.user
        ),
        title=_("Impact per ketenpartner: %(assessment)s") % {"assessment": assessment},
        cancel_url=reverse("governance:decision", args=[number]),
        success_url=lambda i: reverse("governance:decision", args=[number]) + "#toetsen",
    )
