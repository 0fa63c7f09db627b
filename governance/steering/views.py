"""Pages for the closed loop: the signals, and the chain goal with its assignments and targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Action, Milestone
from governance.accounts import roles
from governance.models import (
    AgendaItem,
    Assignment,
    ChainGoal,
    Decision,
    Signal,
    SignalKind,
    SignalStatus,
    Target,
)
from ketenportaal.editing import edit_page
from ketenportaal.exports import download_links, export_response, requested_format
from ketenportaal.history import history_rows
from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import exports, services
from . import signals as loop
from .forms import AssignmentForm, ChainGoalForm, SignalFilterForm, TargetForm
from .targets import target_results

SIGNALS_PAGE_SIZE = 50
SIGNAL_PRIORITY = [
    SignalKind.TARGET_MISSED,
    SignalKind.OUTSIDE_FORECAST,
    SignalKind.MILESTONE_OVERDUE,
    SignalKind.FIGURES_MISSING,
    SignalKind.INCONSISTENT,
]


def signals_with_chain():
    """Signals with everything the chain shows: figure, agenda items, decisions, their actions and
    milestones with RAG, in a fixed number of queries."""
    decisions_qs = Decision.objects.prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.with_rag())
            ),
        )
    )
    items = AgendaItem.objects.select_related("meeting__board").prefetch_related(
        Prefetch("decisions", queryset=decisions_qs)
    )
    return Signal.objects.select_related(
        "indicator",
        "organisation",
        "target__assignment",
        "milestone__action__owner",
        "consistency_rule",
        "closed_by_decision",
    ).prefetch_related(Prefetch("agenda_items", queryset=items))


def mark_on_agenda(signals, meeting) -> None:
    """Set `on_next_agenda` on each signal (from the prefetched agenda items: no queries)."""
    for signal in signals:
        signal.on_next_agenda = meeting is not None and any(
            item.meeting_id == meeting.pk for item in signal.agenda_items.all()
        )


@login_required
def signals_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Signalen": what is off, and what was decided and done about it."""
    form = SignalFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = signals_with_chain()
    status = data.get("status") or SignalStatus.OPEN
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("organisation"):
        qs = qs.filter(organisation=data["organisation"])
    # The most telling deviations first: figures off target, then the forecast, plans, deliveries.
    priority = Case(
        *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(SIGNAL_PRIORITY)],
        output_field=IntegerField(),
    )
    export_format = requested_format(request)
    if export_format:
        rows = qs.order_by(priority, "-last_seen", "pk")
        return export_response(
            request, rows, exports.signal_columns(), _("signalen"), export_format
        )
    page = Paginator(qs.order_by(priority, "-last_seen", "pk"), SIGNALS_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    is_regie = roles.is_regie(request.user)
    meeting = services.next_meeting() if is_regie else None
    mark_on_agenda(page.object_list, meeting)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "next_meeting": meeting,
        "can_edit": is_regie,
        "back": request.get_full_path(),
        "downloads": download_links(request),
    }
    return render_page(request, "governance/signals.html", context, partial="results")


@login_required
def signal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(signals_with_chain(), pk=pk)
    is_regie = roles.is_regie(request.user)
    meeting = services.next_meeting() if is_regie else None
    mark_on_agenda([signal], meeting)
    return render(
        request,
        "governance/signal_detail.html",
        {
            "signal": signal,
            "next_meeting": meeting,
            "can_edit": is_regie,
            "history": history_rows(signal),
            "back": request.get_full_path(),
        },
    )


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def signal_to_agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One action: put the signal on the next Topberaad meeting's agenda."""
    signal = get_object_or_404(Signal, pk=pk)
    try:
        item = services.put_signal_on_agenda(signal=signal, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Het signaal staat op de agenda van %(meeting)s (punt %(order)s).")
            % {"meeting": item.meeting, "order": item.order},
        )
    return redirect(_back(request, reverse("governance:signals")))


@login_required
@require_POST
def signals_compute(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Recompute the signals now (regie only); normally this runs after each dashboard rebuild."""
    roles.require_regie(request.user)
    run = loop.compute_signals()
    messages.success(
        request,
        _(
            "Signalen berekend: %(opened)s nieuw, %(refreshed)s nog steeds open, %(closed)s gesloten."
        )
        % {"opened": run.opened, "refreshed": run.refreshed, "closed": run.closed},
    )
    return redirect("governance:signals")


# ---------------------------------------------------------------- chain goal and assignments


@login_required
def goal_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The chain goal (current version and history) and the year's assignments with targets."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar") or today.year)
    except ValueError:
        year = today.year
    open_signals = Signal.objects.open().filter(target__isnull=False)
    assignments = list(
        Assignment.objects.filter(year=year)
        .select_related("organisation", "goal")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("indicator").prefetch_related(
                    Prefetch("signals", queryset=open_signals, to_attr="open_signals")
                ),
            )
        )
    )
    targets = [t for a in assignments for t in a.targets.all()]
    results = target_results(targets, today)
    for target in targets:
        # goal.html reads the result from the target; it is no field, so no stub knows it.
        target.result = results.get(target.pk)  # type: ignore[attr-defined]
    years = sorted(
        set(Assignment.objects.values_list("year", flat=True)) | {today.year}, reverse=True
    )
    goals = list(ChainGoal.objects.all())
    return render(
        request,
        "governance/goal.html",
        {
            "current": ChainGoal.objects.current(today),
            "goals": goals,
            "assignments": assignments,
            "year": year,
            "years": years,
            "can_edit": roles.is_regie(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    return edit_page(
        request,
        require=roles.require_regie,
        form=ChainGoalForm(request.POST or None),
        save=lambda f: services.save_chain_goal(goal=f.save(commit=False), by=request.user),
        title=_("Nieuwe versie van het ketendoel"),
        cancel_url=reverse("governance:goal"),
        success_url=lambda g: reverse("governance:goal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Assignment, pk=pk) if pk else None
    today = timezone.localdate()
    form = AssignmentForm(
        request.POST or None,
        instance=instance,
        initial={"year": today.year, "goal": ChainGoal.objects.current(today)},
    )
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: services.save_assignment(assignment=f.save(commit=False), by=request.user),
        title=_("Opdracht wijzigen") if pk else _("Nieuwe opdracht"),
        cancel_url=reverse("governance:goal"),
        success_url=lambda a: f"{reverse('governance:goal')}?jaar={a.year}#opdracht-{a.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Target, pk=pk) if pk else None
    form = TargetForm(
        request.POST or None, instance=instance, initial={"assignment": request.GET.get("opdracht")}
    )
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: services.save_target(target=f.save(commit=False), by=request.user),
        title=_("Streefwaarde wijzigen") if pk else _("Nieuwe streefwaarde"),
        cancel_url=reverse("governance:goal"),
        success_url=lambda t: (
            f"{reverse('governance:goal')}?jaar={t.assignment.year}#opdracht-{t.assignment_id}"
        ),
    )


@login_required
@require_POST
def decision_close_signal(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """Close the signal that led to this decision (regie only)."""
    decision = get_object_or_404(Decision.objects.select_related("agenda_item"), number=number)
    signal = get_object_or_404(
        Signal, pk=request.POST.get("signal") or 0, agenda_items__decisions=decision
    )
    try:
        services.close_signal_by_decision(signal=signal, decision=decision, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Het signaal is gesloten door besluit %(number)s.") % {"number": number}
        )
    return redirect("governance:decision", number=number)
