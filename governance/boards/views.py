"""Pages for boards, meetings and agenda items. Everyone with a role reads; only regie edits (the
services enforce it). One function view per page; htmx requests get a named partial."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.accounts import roles
from governance.models import (
    Board,
    BoardMember,
    BoardRelation,
    Meeting,
)
from ketenportaal.editing import edit_page
from ketenportaal.history import history_rows
from ketenportaal.http import AuthenticatedHttpRequest

from . import board_map
from . import services as decisions
from .forms import (
    AgendaItemForm,
    MeetingForm,
)

# ---------------------------------------------------------------- boards


@login_required
def board_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def board_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
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
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def meeting_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Meeting, pk=pk) if pk else None
    initial = {"board": Board.objects.filter(code=request.GET.get("board")).first()}
    form = MeetingForm(request.POST or None, instance=instance, initial=initial)
    return edit_page(
        request,
        require=roles.require_regie,
        form=form,
        save=lambda f: decisions.save_meeting(meeting=f.save(commit=False), by=request.user),
        title=_("Vergadering wijzigen") if pk else _("Nieuwe vergadering"),
        cancel_url=reverse("governance:meeting", args=[pk]) if pk else reverse("governance:boards"),
        success_url=lambda m: reverse("governance:meeting", args=[m.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST or None)
    return edit_page(
        request,
        require=roles.require_regie,
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
