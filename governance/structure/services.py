"""The write paths for the review's structure. Views, API, admin and commands call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from governance.accounts import roles
from governance.models import Recommendation

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def save_recommendation(*, recommendation: Recommendation, by: User) -> Recommendation:
    """Create or update a recommendation (regie only); history records the change."""
    roles.require_regie(by)
    recommendation.full_clean()
    recommendation.save()
    return recommendation
