"""The write paths for the review's structure. Views, API, admin and commands call these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.accounts import audit, roles
from governance.models import ActionPerspective, AuditAction, Recommendation, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def save_recommendation(*, recommendation: Recommendation, by: User) -> Recommendation:
    """Create or update a recommendation (regie only); history records the change."""
    roles.require_maintainer(by)
    recommendation.full_clean()
    recommendation.save()
    audit.record(action=AuditAction.WRITE, actor=by, obj=recommendation)
    return recommendation


@transaction.atomic
def save_theme(*, theme: Theme, by: User) -> Theme:
    """Change a theme's texts (regie, or the functional administrator); history records it."""
    roles.require_maintainer(by)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def save_perspective(
    *, perspective: ActionPerspective, by: User, themes: Iterable[Theme] | None = None
) -> ActionPerspective:
    """Change an action perspective's texts and the themes it belongs to (at least one)."""
    roles.require_maintainer(by)
    if themes is not None:
        themes = list(themes)
        if not themes:
            raise ValidationError({"themes": _("Een handelingsperspectief hoort bij een thema.")})
    perspective.full_clean()
    perspective.save()
    if themes is not None:
        perspective.themes.set(themes)
    return perspective
