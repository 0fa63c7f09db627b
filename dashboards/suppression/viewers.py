"""Who sees the figures unsuppressed: regie, the functional administrator, and the members of
the organisation that owns the indicator (DESIGN.md, second edition)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dashboards.models import Indicator
from governance.accounts import roles
from governance.models import Role

from .rule import applies_to, threshold

if TYPE_CHECKING:
    from governance.accounts.roles import AnyUser


def sees_everything(viewer: AnyUser | None) -> bool:
    """`None` is nobody in particular (a report, a board pack): the strictest view."""
    return viewer is not None and roles.role_of(viewer) in (Role.REGIE, Role.ADMIN)


def suppressed_for(viewer: AnyUser | None, indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators whose small breakdown figures this viewer may not see."""
    concerned = [i for i in indicators if applies_to(i)]
    if not concerned or sees_everything(viewer) or threshold() <= 1:
        return []  # (a threshold of 1 suppresses nothing)
    own = roles.organisation_of(viewer) if viewer is not None else None
    return [i for i in concerned if own is None or i.owner_id != own.pk]


def signature(viewer: AnyUser | None) -> str:
    """What a cached rendering of figures may depend on: everything, or one organisation's."""
    if sees_everything(viewer):
        return "all"
    own = roles.organisation_of(viewer) if viewer is not None else None
    return f"organisation:{own.pk}" if own is not None else "public"
