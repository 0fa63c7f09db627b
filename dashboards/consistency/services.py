"""The one write path of consistency rules (regie): checked against the catalogue, with history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.models import ConsistencyRule, Indicator, dimensions_of
from governance.accounts import roles

#: The longest lag a rule may look back, in quarters (two years).
MAX_LAG = 8


def _check_key(indicator: Indicator, key: str, field: str) -> str:
    key = key.strip()
    chosen = dimensions_of(key)
    if key and not chosen:
        raise ValidationError({field: _("Schrijf dimensiewaarden als naam=waarde;naam=waarde.")})
    for name, value in chosen.items():
        allowed = indicator.dimensions.get(name)
        if allowed is None:
            raise ValidationError(
                {field: _("'%(name)s' is geen dimensie van deze indicator.") % {"name": name}}
            )
        if value not in allowed:
            raise ValidationError(
                {field: _("Toegestane waarden: %(values)s.") % {"values": ", ".join(allowed)}}
            )
    return ";".join(f"{name}={value}" for name, value in sorted(chosen.items()))


@transaction.atomic
def save_rule(*, by, rule: ConsistencyRule | None = None, **fields: Any) -> ConsistencyRule:
    """Create a rule (rule=None) or change one; refused input changes nothing."""
    roles.require_regie(by)
    rule = rule if rule is not None else ConsistencyRule()
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.left_key = _check_key(rule.left, rule.left_key or "", "left_key")
    rule.right_key = _check_key(rule.right, rule.right_key or "", "right_key")
    if rule.lag_max < rule.lag_min or rule.lag_max > MAX_LAG:
        raise ValidationError(
            {
                "lag_max": _(
                    "De vertraging loopt van 0 tot %(max)s kwartalen, 'tot' niet kleiner dan 'vanaf'."
                )
                % {"max": MAX_LAG}
            }
        )
    if rule.low is None and rule.high is None:
        raise ValidationError({"low": _("Geef een ondergrens, een bovengrens of beide.")})
    if rule.low is not None and rule.high is not None and rule.low > rule.high:
        raise ValidationError({"high": _("De bovengrens ligt onder de ondergrens.")})
    rule._change_reason = _("Regel opgeslagen")  # type: ignore[attr-defined]
    rule.save()
    return rule
