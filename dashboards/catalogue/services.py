"""The write path of the indicator catalogue: the portal's pages, the API and the Django admin
call `save_indicator`.

An indicator's dimensions keep their shape (`{name: [value, …]}`); their Dutch and English
labels live beside them in `dimension_labels` (see `dashboards.catalogue.labels`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.models import ROUND, Indicator, Observation
from governance.accounts import audit, roles
from governance.models import AuditAction

from .labels import UNIT_LABELS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: What cannot change once an indicator has figures: it would change what the figures mean.
FIXED_ONCE_USED = ("owner", "frequency", "aggregation")

#: A dimension's or a value's code: what files and the API name it by.
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")

LabelEntry = dict[str, Any]


class IndicatorInUse(ValidationError):
    """A change the indicator's figures forbid (owner, frequency, aggregation, code, existing
    dimensions and values). The API answers it with 409; pages show it on the field."""


def has_figures(indicator: Indicator) -> bool:
    """Whether any upload holds figures of this indicator (approved or not)."""
    return indicator.pk is not None and Observation.objects.filter(indicator=indicator).exists()


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def normalise_dimensions(
    dimensions: Mapping[str, Sequence[Any]] | None,
    labels: Mapping[str, Any] | None = None,
    *,
    stored_labels: Mapping[str, Any] | None = None,
) -> tuple[dict[str, list[str]], dict[str, LabelEntry]]:
    """Dimensions as given by a form or the API, as the model keeps them: the codes
    (`{name: [value, …]}`) and their labels. A value is its code (its labels then come from
    `labels` or from what was stored) or `{"code", "label_nl", "label_en"}`; `labels` is
    `{name: {"label_nl", "label_en", "values": {code: {"label_nl", "label_en"}}}}`, partial is
    fine. Raises ValidationError on `dimensions` for a malformed shape."""
    if dimensions is None:
        dimensions = {}
    if not isinstance(dimensions, Mapping):
        raise ValidationError(
            {"dimensions": _("Geef de dimensies als {naam: [waarde, …]}.")}, code="invalid"
        )
    labels = labels if isinstance(labels, Mapping) else {}
    stored_labels = stored_labels if isinstance(stored_labels, Mapping) else {}
    codes: dict[str, list[str]] = {}
    result: dict[str, LabelEntry] = {}
    for name, values in dimensions.items():
        if not isinstance(values, Sequence) or isinstance(values, str):
            raise ValidationError(
                {
                    "dimensions": _("De waarden van dimensie %(dim)s horen in een lijst.")
                    % {"dim": name}
                },
                code="invalid",
            )
        before = _mapping(stored_labels.get(name))
        given = _mapping(labels.get(name))
        entry: LabelEntry = {
            "label_nl": str(given.get("label_nl") or before.get("label_nl") or "").strip(),
            "label_en": str(given.get("label_en") or before.get("label_en") or "").strip(),
            "values": {},
        }
        given_values, before_values = _mapping(given.get("values")), _mapping(before.get("values"))
        codes[name] = []
        for value in values:
            own: Mapping[str, Any] = {}
            if isinstance(value, Mapping):
                own, value = value, value.get("code")
            if not isinstance(value, str):
                raise ValidationError(
                    {
                        "dimensions": _("Elke waarde van dimensie %(dim)s heeft een code (tekst).")
                        % {"dim": name}
                    },
                    code="invalid",
                )
            value = value.strip()
            kept = {**_mapping(before_values.get(value)), **_mapping(given_values.get(value))}
            entry["values"][value] = {
                "label_nl": str(own.get("label_nl") or kept.get("label_nl") or "").strip(),
                "label_en": str(own.get("label_en") or kept.get("label_en") or "").strip(),
            }
            codes[name].append(value)
        result[name] = entry
    return codes, result


def _check_dimensions(indicator: Indicator) -> dict[str, str]:
    """Codes well-formed and unique, every dimension and value labelled in both languages, and
    no label that names two values of one dimension (an upload could not tell them apart)."""
    errors: list[str] = []
    labels = indicator.dimension_labels or {}
    for name, values in (indicator.dimensions or {}).items():
        if not CODE_PATTERN.match(name):
            errors.append(
                _(
                    "De code van dimensie %(dim)s mag alleen kleine letters, cijfers, - en _ "
                    "bevatten."
                )
                % {"dim": name}
            )
        entry = labels.get(name) or {}
        if not (entry.get("label_nl") and entry.get("label_en")):
            errors.append(
                _("Geef dimensie %(dim)s een Nederlands en een Engels label.") % {"dim": name}
            )
        if not values:
            errors.append(_("Dimensie %(dim)s heeft geen waarden.") % {"dim": name})
        seen: dict[str, str] = {}
        for value in values:
            if not CODE_PATTERN.match(value):
                errors.append(
                    _(
                        'De code "%(value)s" van dimensie %(dim)s mag alleen kleine letters, '
                        "cijfers, - en _ bevatten."
                    )
                    % {"value": value, "dim": name}
                )
            own = (entry.get("values") or {}).get(value) or {}
            if not (own.get("label_nl") and own.get("label_en")):
                errors.append(
                    _(
                        'Geef waarde "%(value)s" van dimensie %(dim)s een Nederlands en een Engels label.'
                    )
                    % {"value": value, "dim": name}
                )
            for alias in {value, own.get("label_nl") or "", own.get("label_en") or ""}:
                key = alias.strip().lower()
                if key and seen.setdefault(key, value) != value:
                    errors.append(
                        _('"%(alias)s" noemt twee waarden van dimensie %(dim)s: %(a)s en %(b)s.')
                        % {"alias": alias, "dim": name, "a": seen[key], "b": value}
                    )
    return {"dimensions": " ".join(dict.fromkeys(errors))} if errors else {}


def _check_in_use(stored: Indicator, indicator: Indicator) -> None:
    errors: dict[str, str] = {}
    for name in FIXED_ONCE_USED:
        attribute = f"{name}_id" if name == "owner" else name
        if getattr(stored, attribute) != getattr(indicator, attribute):
            errors[name] = _("Deze indicator heeft al cijfers; dit veld kan niet meer wijzigen.")
    if stored.code != indicator.code:
        errors["code"] = _(
            "Deze indicator heeft al cijfers; de code waarmee bestanden hem noemen kan niet "
            "meer wijzigen."
        )
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
        raise IndicatorInUse(errors)


def _check_catalogue(stored: Indicator | None, indicator: Indicator) -> None:
    errors = _check_dimensions(indicator)
    if ROUND in (indicator.dimensions or {}):
        # An upload's `round` column is a forecast's round (DESIGN.md), never a dimension.
        errors["dimensions"] = _(
            'De naam "round" is gereserveerd voor de ronde van een prognose; kies een andere '
            "naam voor deze dimensie."
        )
    if indicator.unit not in UNIT_LABELS and (stored is None or stored.unit != indicator.unit):
        errors["unit"] = _("Onbekende eenheid. Kies uit: %(units)s.") % {
            "units": ", ".join(UNIT_LABELS)
        }
    realised_by = indicator.realised_by
    if realised_by is not None:
        if not indicator.is_forecast:
            errors["realised_by"] = _("Alleen een prognose heeft een realisatie.")
        elif realised_by.pk == indicator.pk or realised_by.is_forecast:
            errors["realised_by"] = _("De realisatie is een andere indicator, geen prognose.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_indicator(*, indicator: Indicator, by: User) -> Indicator:
    """Add an indicator to the catalogue or change one (regie, or the functional administrator).

    Guarantees: every dimension and value has a well-formed code and a Dutch and an English
    label, no label names two values of a dimension (uploads may name a value by its label);
    once the indicator has figures, its code, owner, frequency and aggregation stay as they are,
    and so do its dimensions and their values (values may be added) — a refused change raises
    IndicatorInUse; any other refusal ValidationError naming the field. Nothing changes then.
    Audited.
    """
    roles.require_maintainer(by)
    stored = None
    if indicator.pk is not None:
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if has_figures(stored):
            _check_in_use(stored, indicator)
    _check_catalogue(stored, indicator)
    indicator.full_clean()
    indicator.save()
    audit.record(
        action=AuditAction.WRITE,
        actor=by,
        obj=indicator,
        organisation=indicator.owner,
        detail={"created": stored is None},
    )
    return indicator
