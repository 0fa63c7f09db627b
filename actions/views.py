"""Milestone tracking pages. One function view per page; htmx requests get a named partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.accounts import roles
from governance.models import Recommendation
from governance.structure import services as structure_services
from ketenportaal.editing import edit_page
from ketenportaal.exports import download_links, export_response, requested_format
from ketenportaal.history import history_rows
from ketenportaal.htmx import render_page, wants_partial
from ketenportaal.http import AuthenticatedHttpRequest

from . import exports, progress, rag, services, tree
from .forms import (
    ActionForm,
    MilestoneForm,
    ProgressForm,
    RecommendationForm,
    ReplanForm,
    TreeFilterForm,
)
from .models import Action, Milestone


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Overzicht": progress per theme and perspective, overdue and upcoming milestones."""
    today = timezone.localdate()
    organisation = roles.organisation_of(request.user) if roles.is_partner(request.user) else None
    counted = progress.current_progress()
    themes = progress.themes_with_counts(counted)
    perspectives = progress.perspectives_with_counts(counted)
    overdue = (
        Milestone.objects.overdue(today)
        .with_rag(today)
        .select_related("action__owner")
        .visible_first_for(organisation)
    )
    upcoming = (
        Milestone.objects.due_within(30, today)
        .with_rag(today)
        .select_related("action__owner")
        .visible_first_for(organisation)
    )
    export_format = requested_format(request)
    if export_format:
        listing = request.GET.get("list", "")
        if listing in ("overdue", "upcoming"):
            rows = (overdue if listing == "overdue" else upcoming).prefetch_related(
                "action__recommendations"
            )
            filename = (
                _("mijlpalen-over-deadline") if listing == "overdue" else _("mijlpalen-binnenkort")
            )
            return export_response(
                request, rows, exports.milestone_columns(), filename, export_format
            )
        if listing in ("themes", "perspectives"):
            groups, label = (
                (themes, _("Thema"))
                if listing == "themes"
                else (perspectives, _("Handelingsperspectief"))
            )
            filename = (
                _("voortgang-per-thema") if listing == "themes" else _("voortgang-per-perspectief")
            )
            return export_response(
                request, groups, exports.progress_columns(label), filename, export_format
            )
    return render(
        request,
        "actions/home.html",
        {
            "themes": themes,
            "perspectives": perspectives,
            "chain": counted.chain,
            "overdue": overdue[:50],
            "overdue_count": overdue.count(),
            "upcoming": upcoming[:50],
            "upcoming_count": upcoming.count(),
            "own_organisation": organisation,
            "today": today,
            "rag_rule": rag.explained(today),
            "downloads": {
                name: download_links(request, list=name)
                for name in ("overdue", "upcoming", "themes", "perspectives")
            },
        },
    )


@login_required
def tree_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Theme → perspective → recommendation → action → milestones, filtered by the URL."""
    form = TreeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    milestones = tree.filter_milestones(data, timezone.localdate())
    export_format = requested_format(request)
    if export_format:
        rows = milestones.prefetch_related("action__recommendations")
        return export_response(
            request, rows, exports.milestone_columns(), _("mijlpalen"), export_format
        )
    nodes = tree.build_tree(milestones, data)
    # A milestone can sit under two recommendations or two themes: count each once.
    count = len(
        {
            m.pk
            for t in nodes
            for p in t.perspectives
            for r in p.recommendations
            for a in r.actions
            for m in a.milestones
        }
    )
    context = {
        "form": form,
        "tree": nodes,
        "count": count,
        "query": request.GET.urlencode(),
        "downloads": download_links(request),
        "rag_rule": rag.explained(timezone.localdate()),
    }
    return render_page(request, "actions/tree.html", context, partial="results")


@login_required
def milestone_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.with_rag().select_related("action__owner"), pk=pk
    )
    return render(request, "actions/milestone_detail.html", _milestone_context(request, milestone))


def _milestone_context(
    request: HttpRequest, milestone: Milestone, form: ProgressForm | None = None
) -> dict:
    can_report = roles.can_report_for(request.user, milestone.action.owner)
    return {
        "milestone": milestone,
        "recommendations": milestone.action.recommendations.select_related("perspective"),
        "updates": milestone.updates.select_related("author"),
        "history": history_rows(milestone),
        "replans": milestone.replans.select_related("by"),
        "replan_form": ReplanForm(initial={"due_date": milestone.due_date})
        if can_report and milestone.is_open
        else None,
        "can_report": can_report,
        "can_edit": roles.is_regie(request.user),
        "form": form or (ProgressForm() if can_report else None),
        "rag_rule": rag.explained(timezone.localdate()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def milestone_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Report progress or change status. Without JavaScript a page; with htmx, the section."""
    milestone = get_object_or_404(Milestone.objects.select_related("action__owner"), pk=pk)
    if not roles.can_report_for(request.user, milestone.action.owner):
        # Same refusal as the service gives, before showing a form the user cannot use.
        try:
            roles.require_report_for(request.user, milestone.action.owner)
        except PermissionDenied as exc:
            if wants_partial(request):
                return render(
                    request,
                    "actions/milestone_detail.html#refusal",
                    {"message": str(exc)},
                    status=403,
                )
            raise
    form = ProgressForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_progress(
                    milestone=milestone,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    new_status=form.cleaned_data["new_status"],
                    percent_complete=form.cleaned_data["percent_complete"],
                    at_risk=form.cleaned_data["at_risk"],
                    risk_reason=form.cleaned_data["risk_reason"],
                    date=form.cleaned_data["date"],
                    submission_id=form.cleaned_data["submission_id"],
                )
                messages.success(request, _("De voortgang is vastgelegd."))
            except services.DuplicateSubmission:
                messages.info(
                    request, _("Deze rapportage was al vastgelegd; er is niets dubbel opgeslagen.")
                )
            except ValidationError as exc:
                for field_name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field_name if field_name in form.fields else None, error)
                status = 422
            if status == 200:
                if not wants_partial(request):
                    return redirect("actions:milestone", pk=milestone.pk)
                form = ProgressForm()  # a fresh form with a new one-time token
        else:
            status = 422
    milestone = Milestone.objects.with_rag().select_related("action__owner").get(pk=milestone.pk)
    context = _milestone_context(request, milestone, form)
    if wants_partial(request):
        return render(request, "actions/milestone_detail.html#progress", context, status=status)
    return render(request, "actions/milestone_progress.html", context, status=status)


@login_required
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("perspective", "owner"), pk=pk
    )
    actions = recommendation.actions.select_related("owner").prefetch_related("milestones")
    return render(
        request,
        "actions/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "actions": actions,
            "history": history_rows(recommendation),
            "can_edit": roles.is_regie(request.user),
        },
    )


@login_required
def action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("owner"), pk=pk)
    export_format = requested_format(request)
    if export_format:
        rows = (
            action.milestones.with_rag()
            .select_related("action__owner")
            .prefetch_related("action__recommendations")
        )
        filename = _("mijlpalen-actie-%(pk)s") % {"pk": action.pk}
        return export_response(request, rows, exports.milestone_columns(), filename, export_format)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "recommendations": action.recommendations.select_related("perspective"),
            "milestones": action.milestones.with_rag(),
            "history": history_rows(action),
            "can_edit": roles.is_regie(request.user),
            "downloads": download_links(request),
        },
    )


def _edit(request: HttpRequest, *, form_class, instance, save, title: str, success_url_name: str):
    """The shared edit page for the implementation's structure (regie); a new object's form
    takes its initial values from the query (e.g. `?action=12` under an action)."""
    initial = {k: v for k, v in request.GET.items() if k in form_class.base_fields}
    form = form_class(request.POST or None, instance=instance, initial=initial)

    def save_form(form):
        obj = form.save(commit=False)
        save(obj, form)
        return obj

    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=save_form,
        title=title,
        cancel_url=reverse("actions:tree"),
        success_url=lambda obj: reverse(success_url_name, kwargs={"pk": obj.pk}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Recommendation, pk=pk) if pk else None
    return _edit(
        request,
        form_class=RecommendationForm,
        instance=instance,
        save=lambda obj, form: structure_services.save_recommendation(
            recommendation=obj, by=request.user
        ),
        title=_("Aanbeveling wijzigen") if pk else _("Nieuwe aanbeveling"),
        success_url_name="actions:recommendation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Action, pk=pk) if pk else None
    return _edit(
        request,
        form_class=ActionForm,
        instance=instance,
        save=lambda obj, form: services.save_action(
            action=obj, by=request.user, recommendations=form.cleaned_data["recommendations"]
        ),
        title=_("Actie wijzigen") if pk else _("Nieuwe actie"),
        success_url_name="actions:action",
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Milestone, pk=pk) if pk else None
    return _edit(
        request,
        form_class=MilestoneForm,
        instance=instance,
        save=lambda obj, form: services.save_milestone(
            milestone=obj, by=request.user, replan_reason=form.cleaned_data["replan_reason"]
        ),
        title=_("Mijlpaal wijzigen") if pk else _("Nieuwe mijlpaal"),
        success_url_name="actions:milestone",
    )
