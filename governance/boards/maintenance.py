"""Maintaining the boards in the portal: boards, their members (with mandate) and relations;
one write path for the pages and the admin, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.accounts import audit, roles
from governance.models import (
    AuditAction,
    Board,
    BoardMember,
    BoardRelation,
)
from ketenportaal.history import save_with_history

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def save_board(*, board: Board, by: User) -> Board:
    """Create or change a board ("gremium"): its tasks, mandate and chair. Its code is the prefix
    of its decisions' numbers, so it cannot change once the board has decisions."""
    roles.require_maintainer(by)
    if board.pk is not None:
        stored = Board.objects.select_for_update().get(pk=board.pk)
        if stored.code != board.code and stored.decisions.exists():
            raise ValidationError(
                {
                    "code": _(
                        "De code is het voorvoegsel van de besluitnummers van dit gremium en kan "
                        "niet meer wijzigen."
                    )
                }
            )
    save_with_history(board)
    return board


@transaction.atomic
def save_board_member(*, member: BoardMember, by: User) -> BoardMember:
    """Seat an organisation in a board, in a role with its mandate, or change that seat."""
    roles.require_maintainer(by)
    save_with_history(member)
    return member


@transaction.atomic
def save_board_relation(*, relation: BoardRelation, by: User) -> BoardRelation:
    """Record how two boards hang together (part of, reports to)."""
    roles.require_maintainer(by)
    save_with_history(relation)
    return relation


@transaction.atomic
def remove_board_member(*, member: BoardMember, by: User) -> None:
    """An organisation leaves a board, or gives up a role in it. The seat's history (who sat
    where, with which mandate, until when) stays in its change history."""
    roles.require_maintainer(by)
    member._change_reason = _("Verwijderd uit het gremium")  # type: ignore[attr-defined]
    member.delete()


@transaction.atomic
def remove_board_relation(*, relation: BoardRelation, by: User) -> None:
    """Two boards no longer hang together in this way (the audit trail records the removal)."""
    roles.require_maintainer(by)
    audit.record(
        action=AuditAction.WRITE,
        actor=by,
        obj=relation,
        detail={"removed": str(relation)},
    )
    relation.delete()
