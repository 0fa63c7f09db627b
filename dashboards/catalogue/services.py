"""The write path of the indicator catalogue: the admin (and the portal's catalogue pages) call it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.models import Indicator, Observation
from governance.accounts import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: What cannot change once an indicator has figures: it would change what the figures mean.
FIXED_ONCE_USED = ("owner", "frequency", "aggregation")


def has_figures(indicator: Indicator) -> bool:
    """Whether any upload holds figures of this indicator (approved or not)."""
    return indicator.pk is not None and Observation.objects.filter(indicator=indicator).exists()


@transaction.atomic
def save_indicator(*, indicator: Indicator, by: User) -> Indicator:
    """Add an indicator to the catalogue or change one (regie, or the functional administrator).

    Guarantees: once the indicator has figures, its owner, frequency and aggregation stay as
    they are, and so do its dimensions and their values (values may be added); a refused change
    raises ValidationError naming the field and changes nothing.
    """
    roles.require_maintainer(by)
    if indicator.pk is not None:
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if has_figures(stored):
            errors = {
                name: _("Deze indicator heeft al cijfers; dit veld kan niet meer wijzigen.")
                for name in FIXED_ONCE_USED
                if getattr(stored, f"{name}_id" if name == "owner" else name)
                != getattr(indicator, f"{name}_id" if name == "owner" else name)
            }
            old, new = stored.dimensions or {}, indicator.dimensions or {}
            removed = [d for d in old if d not in new] + [
                f"{d}={v}" for d in old if d in new for v in old[d] if v not in new[d]
            ]
            added = [d for d in new if d not in old]
            if removed:
                errors["dimensions"] = _(
                    "Deze indicator heeft al cijfers; waarden van dimensies kunnen er alleen "
                    "bij komen, niet af (%(removed)s)."
                ) % {"removed": ", ".join(removed)}
            elif added:
                errors["dimensions"] = _(
                    "Deze indicator heeft al cijfers zonder de dimensie %(added)s; een nieuwe "
                    "dimensie kan er niet meer bij."
                ) % {"added": ", ".join(added)}
            if errors:
                raise ValidationError(errors)
    indicator.full_clean()
    indicator.save()
    return indicator
