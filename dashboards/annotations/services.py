"""The one write path of annotations: written, changed and withdrawn with their history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.models import Annotation, Indicator
from dashboards.models.annotations import TEXT_MAX
from governance.accounts import roles
from ketenportaal.periods import Period

from .notes import touch


def may_annotate(user, indicator: Indicator) -> bool:
    """Regie, and the organisation that delivers the indicator."""
    if roles.is_regie(user):
        return True
    own = roles.organisation_of(user)
    return roles.is_partner(user) and own is not None and own.pk == indicator.owner_id


def _require(user, indicator: Indicator) -> None:
    if not may_annotate(user, indicator):
        raise PermissionDenied(
            _(
                "Alleen Regie Migratieketen en de organisatie die deze cijfers levert mogen ze duiden."
            )
        )


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Schrijf een korte duiding.")})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": _("Een duiding is ten hoogste %(max)s tekens.") % {"max": TEXT_MAX}}
        )
    return text


def _period(text: str) -> Period:
    period = Period.parse(text)
    if period is None:
        raise ValidationError({"period": _("Geef een periode als 2024-03, 2024-Q1 of 2024.")})
    return period


@transaction.atomic
def add_annotation(*, by, indicator: Indicator, period: str, text: str) -> Annotation:
    _require(by, indicator)
    chosen = _period(period)
    organisation = roles.organisation_of(by)
    if organisation is None:
        raise PermissionDenied(_("U hoort bij geen organisatie."))
    annotation = Annotation(
        indicator=indicator,
        period=chosen.canonical,
        period_start=chosen.start,
        period_end=chosen.end,
        text=_clean_text(text),
        organisation=organisation,
        created_by=by,
    )
    annotation._change_reason = _("Duiding geschreven")  # type: ignore[attr-defined]
    annotation.save()
    touch()
    return annotation


@transaction.atomic
def change_annotation(*, by, annotation: Annotation, text: str) -> Annotation:
    _require(by, annotation.indicator)
    locked = Annotation.objects.select_for_update().get(pk=annotation.pk)
    cleaned = _clean_text(text)
    if locked.withdrawn:
        raise ValidationError({"text": _("Een ingetrokken duiding kan niet meer veranderen.")})
    if cleaned == locked.text:
        return locked
    locked.text = cleaned
    locked._change_reason = _("Duiding aangepast")  # type: ignore[attr-defined]
    locked.save(update_fields=["text"])
    touch()
    return locked


@transaction.atomic
def withdraw_annotation(*, by, annotation: Annotation) -> Annotation:
    _require(by, annotation.indicator)
    locked = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if not locked.withdrawn:
        locked.withdrawn = True
        locked._change_reason = _("Duiding ingetrokken")  # type: ignore[attr-defined]
        locked.save(update_fields=["withdrawn"])
        touch()
    return locked
