"""Maintaining boards in the portal (regie, and the functional administrator): a board's texts,
its members with their mandate, and its relations with other boards. Every write goes through
`governance.boards.services`; the Django admin is only the emergency door."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance.accounts import roles
from governance.models import Board, BoardMember, BoardRelation
from ketenportaal.editing import edit_page
from ketenportaal.htmx import render_page, wants_partial
from ketenportaal.http import AuthenticatedHttpRequest

from . import maintenance
from .maintenance_forms import BoardForm, BoardMemberForm, BoardRelationForm

TEMPLATE = "governance/board_manage.html"


def _manage_url(board: Board) -> str:
    return reverse("governance:board-manage", args=[board.code])


@login_required
def board_manage(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One board's maintenance page: its members and relations, with what may be done to them."""
    roles.require_maintainer(request.user)
    board = get_object_or_404(Board, code=code)
    return _render(request, board)


def _render(request: AuthenticatedHttpRequest, board: Board, partial: str = "members"):
    context = {
        "board": board,
        "members": board.members.select_related("organisation"),
        "relations_out": board.relations_out.select_related("target"),
        "relations_in": board.relations_in.select_related("source"),
    }
    return render_page(request, TEMPLATE, context, partial=partial)


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    instance = get_object_or_404(Board, code=code) if code else None
    form = BoardForm(request.POST or None, instance=instance)
    return edit_page(
        request,
        require=roles.require_maintainer,
        form=form,
        save=lambda f: maintenance.save_board(board=f.save(commit=False), by=request.user),
        title=(
            _("Gremium %(name)s wijzigen") % {"name": instance.name}
            if instance
            else _("Nieuw gremium")
        ),
        cancel_url=_manage_url(instance) if instance else reverse("governance:boards"),
        success_url=_manage_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedHttpRequest, code: str, pk: int | None = None):
    board = get_object_or_404(Board, code=code)
    instance = get_object_or_404(BoardMember, pk=pk, board=board) if pk else None
    form = BoardMemberForm(request.POST or None, instance=instance, board=board)
    return edit_page(
        request,
        require=roles.require_maintainer,
        form=form,
        save=lambda f: maintenance.save_board_member(member=f.save(commit=False), by=request.user),
        title=(_("Lid van %(board)s wijzigen") if instance else _("Lid toevoegen aan %(board)s"))
        % {"board": board.name},
        cancel_url=_manage_url(board),
        success_url=lambda member: _manage_url(board) + f"#lid-{member.pk}",
    )


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, code=code)
    member = get_object_or_404(
        BoardMember.objects.select_related("organisation"), pk=pk, board=board
    )
    maintenance.remove_board_member(member=member, by=request.user)
    if wants_partial(request):
        return _render(request, board)
    messages.success(
        request,
        _("%(organisation)s is als %(role)s uit %(board)s verwijderd.")
        % {
            "organisation": member.organisation.code,
            "role": member.get_role_display().lower(),
            "board": board.name,
        },
    )
    return redirect(_manage_url(board))


@login_required
@require_http_methods(["GET", "POST"])
def relation_edit(request: AuthenticatedHttpRequest, code: str, pk: int | None = None):
    board = get_object_or_404(Board, code=code)
    instance = get_object_or_404(BoardRelation, pk=pk, source=board) if pk else None
    form = BoardRelationForm(request.POST or None, instance=instance, board=board)
    return edit_page(
        request,
        require=roles.require_maintainer,
        form=form,
        save=lambda f: maintenance.save_board_relation(
            relation=f.save(commit=False), by=request.user
        ),
        title=(
            _("Relatie van %(board)s wijzigen")
            if instance
            else _("Relatie van %(board)s toevoegen")
        )
        % {"board": board.name},
        cancel_url=_manage_url(board),
        success_url=lambda relation: _manage_url(board) + "#relaties",
    )


@login_required
@require_POST
def relation_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, code=code)
    relation = get_object_or_404(
        BoardRelation.objects.select_related("target"), pk=pk, source=board
    )
    maintenance.remove_board_relation(relation=relation, by=request.user)
    if wants_partial(request):
        return _render(request, board, partial="relations")
    messages.success(request, _("De relatie is verwijderd."))
    return redirect(_manage_url(board) + "#relaties")
