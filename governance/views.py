"""Pages for boards, meetings and decisions. Everyone with a role reads; only regie edits (the
services enforce it). One function view per page; htmx requests get a named partial."""

from __future__ import annotations

from collections.abc import Callable
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
from ketenportaal.exports import download_links, export_response, requested_format

from . import board_map, decisions, exports, roles
from .forms import (
    AgendaItemForm,
    AssessmentForm,
    DecisionFilterForm,
    DecisionForm,
    FollowUpForm,
    MeetingForm,
    PartnerImpactForm,
    StatusForm,
)
from .history import history_rows
from .models import (
    Board,
    BoardMember,
    BoardRelation,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    PartnerImpact,
    Signal,
    SignalStatus,
)

REGISTER_PAGE_SIZE = 25


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form) it concerns."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def edit_page(
    request: HttpRequest,
    *,
    form: Any,
    save: Callable[[Any], Any],
    title: str,
    cancel_url: str,
    success_url: Callable[[Any], str],
) -> HttpResponse:
    """The shared create/update page: regie only; bad input re-renders with Dutch errors (422)."""
    roles.require_regie(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(success_url(obj))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "governance/edit.html", context, status=status)


# ---------------------------------------------------------------- boards


@login_required
def board_overview(request: HttpRequest) -> HttpResponse:
    """The governance map: where is what decided, and by whom."""
    boards = list(
        Board.objects.prefetch_related(
            Prefetch("members", queryset=BoardMember.objects.select_related("organisation"))
        )
    )
    relations = list(BoardRelation.objects.select_related("source", "target"))
    return render(
        request,
        "governance/boards.html",
        {"boards": boards, "relations": relations, "map": board_map.layout(boards, relations)},
    )


@login_required
def board_detail(request: HttpRequest, code: str) -> HttpResponse:
    board = get_object_or_404(Board, code=code)
    today = timezone.localdate()
    return render(
        request,
        "governance/board_detail.html",
        {
            "board": board,
            "members": board.members.select_related("organisation"),
            "relations_out": board.relations_out.select_related("target"),
            "relations_in": board.relations_in.select_related("source"),
            "upcoming": board.meetings.upcoming(today)[:5],
            "past": board.meetings.filter(date__lt=today).order_by("-date")[:10],
            "decisions": board.decisions.order_by("-date", "-pk")[:10],
        },
    )


# ---------------------------------------------------------------- meetings


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    items = meeting.agenda_items.select_related(
        "signal__indicator", "signal__organisation", "signal__milestone", "signal__target"
    ).prefetch_related("decisions")
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "decisions": meeting.decisions.order_by("sequence"),
            "agenda_form": AgendaItemForm() if roles.is_regie(request.user) else None,
            "history": history_rows(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Meeting, pk=pk) if pk else None
    initial = {"board": Board.objects.filter(code=request.GET.get("board")).first()}
    form = MeetingForm(request.POST or None, instance=instance, initial=initial)
    return edit_page(
        request,
        form=form,
        save=lambda f: decisions.save_meeting(meeting=f.save(commit=False), by=request.user),
        title=_("Vergadering wijzigen") if pk else _("Nieuwe vergadering"),
        cancel_url=reverse("governance:meeting", args=[pk]) if pk else reverse("governance:boards"),
        success_url=lambda m: reverse("governance:meeting", args=[m.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda f: decisions.add_agenda_item(
            meeting=meeting,
            by=request.user,
            title=f.cleaned_data["title"],
            description=f.cleaned_data["description"],
        ),
        title=_("Agendapunt toevoegen aan %(meeting)s") % {"meeting": meeting},
        cancel_url=reverse("governance:meeting", args=[pk]),
        success_url=lambda item: (
            reverse("governance:meeting", args=[pk]) + f"#agendapunt-{item.pk}"
        ),
    )


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
def decision_register(request: HttpRequest) -> HttpResponse:
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
    template = "governance/decisions.html#results" if request.htmx else "governance/decisions.html"
    return render(request, template, context)


@login_required
def decision_detail(request: HttpRequest, number: str) -> HttpResponse:
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
    signal = decision.agenda_item.signal if decision.agenda_item_id else None
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
def decision_edit(request: HttpRequest, number: str | None = None) -> HttpResponse:
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
def decision_status(request: HttpRequest, number: str) -> HttpResponse:
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
def decision_follow_up(request: HttpRequest, number: str) -> HttpResponse:
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


@login_required
@require_POST
def decision_close_signal(request: HttpRequest, number: str) -> HttpResponse:
    """Close the signal that led to this decision (regie only)."""
    from .loop import close_signal_by_decision

    decision = get_object_or_404(Decision.objects.select_related("agenda_item"), number=number)
    signal = get_object_or_404(
        Signal, pk=request.POST.get("signal") or 0, agenda_items__decisions=decision
    )
    try:
        close_signal_by_decision(signal=signal, decision=decision, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Het signaal is gesloten door besluit %(number)s.") % {"number": number}
        )
    return redirect("governance:decision", number=number)


# ---------------------------------------------------------------- impact assessments


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(
    request: HttpRequest, number: str | None = None, pk: int | None = None
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
        form=form,
        save=lambda f: decisions.save_assessment(assessment=f.save(commit=False), by=request.user),
        title=_("Toets bij besluit %(number)s") % {"number": decision.number},
        cancel_url=reverse("governance:decision", args=[decision.number]),
        success_url=lambda a: reverse("governance:decision", args=[decision.number]) + "#toetsen",
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_impact_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(ImpactAssessment.objects.select_related("decision"), pk=pk)
    form = PartnerImpactForm(request.POST or None, instance=PartnerImpact(assessment=assessment))
    number = assessment.decision.number
    return edit_page(
        request,
        form=form,
        save=lambda f: decisions.save_by_regie(instance=f.save(commit=False), by=request.user),
        title=_("Impact per ketenpartner: %(assessment)s") % {"assessment": assessment},
        cancel_url=reverse("governance:decision", args=[number]),
        success_url=lambda i: reverse("governance:decision", args=[number]) + "#toetsen",
    )
