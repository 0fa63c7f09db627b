"""The chain goal, the assignments derived from it, their measurable targets, and the signals
that close the Plan-Do-Check-Act loop.

Imported by `governance.models`; the models belong to the governance app.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ketenportaal.periods import QUARTER, YEAR, Period


def target_period(text: str | None) -> Period | None:
    """A target's period: a year (`2026`) or a quarter (`2026-Q3`); None for anything else."""
    period = Period.parse(text)
    return period if period is not None and period.type in (QUARTER, YEAR) else None


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a target period: `2026` or `2026-Q3` (ValueError otherwise)."""
    parsed = target_period(period)
    if parsed is None:
        raise ValueError(period)
    return parsed.start, parsed.end


def validate_period(value: str) -> None:
    if target_period(value) is None:
        raise ValidationError(gettext("Gebruik een jaar (2026) of een kwartaal (2026-Q3)."))


class ChainGoalQuerySet(models.QuerySet["ChainGoal"]):
    def current(self, today: datetime.date) -> ChainGoal | None:
        return self.filter(valid_from__lte=today).order_by("-valid_from").first()


class ChainGoal(models.Model):
    """One version of the chain goal ("ketendoel"); the version valid today is the current one."""

    text = models.TextField(_("tekst"))
    valid_from = models.DateField(_("geldig vanaf"), unique=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ChainGoalQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("ketendoel")
        verbose_name_plural = _("ketendoelen")

    def __str__(self) -> str:
        return f"{gettext('Ketendoel')} {self.valid_from:%d-%m-%Y}"


class Assignment(models.Model):
    """An organisation's assignment ("opdracht") for one year, derived from the chain goal."""

    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("organisatie"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    goal = models.ForeignKey(
        ChainGoal, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("ketendoel")
    )
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("opdracht"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organisation__code"]
        verbose_name = _("opdracht")
        verbose_name_plural = _("opdrachten")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="assignment_one_per_org_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.year}: {self.title}"


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("ten minste")
    AT_MOST = "at_most", _("ten hoogste")


class Target(models.Model):
    """A measurable target of an assignment: an indicator of the catalogue over a period."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="targets", verbose_name=_("opdracht")
    )
    indicator = models.ForeignKey(
        "dashboards.Indicator",
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("indicator"),
    )
    period = models.CharField(_("periode"), max_length=7, validators=[validate_period])
    target_value = models.DecimalField(_("streefwaarde"), max_digits=16, decimal_places=2)
    direction = models.CharField(_("richting"), max_length=10, choices=Direction.choices)
    tolerance_percent = models.DecimalField(
        _("tolerantie (%)"), max_digits=5, decimal_places=1, default=Decimal("5")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment", "indicator__code", "period"]
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "indicator", "period"], name="target_once"
            ),
            models.CheckConstraint(
                condition=Q(tolerance_percent__gte=0), name="target_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.get_direction_display()} {self.target_value:g}"

    def limit(self) -> Decimal:
        """The value beyond which the target counts as missed."""
        factor = self.tolerance_percent / Decimal(100)
        if self.direction == Direction.AT_LEAST:
            return self.target_value * (1 - factor)
        return self.target_value * (1 + factor)


class SignalKind(models.TextChoices):
    TARGET_MISSED = "target_missed", _("Streefwaarde niet gehaald")
    OUTSIDE_FORECAST = "outside_forecast", _("Realisatie buiten de prognose")
    MILESTONE_OVERDUE = "milestone_overdue", _("Mijlpaal over de deadline")
    FIGURES_MISSING = "figures_missing", _("Cijfers te laat of ontbrekend")
    INCONSISTENT = "inconsistent", _("Cijfers van ketenpartners spreken elkaar tegen")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Gesloten")


class ClosedReason(models.TextChoices):
    RESOLVED = "resolved", _("Cijfer weer binnen de norm")
    DECISION = "decision", _("Gesloten door besluit")


class SignalQuerySet(models.QuerySet["Signal"]):
    def open(self) -> SignalQuerySet:
        return self.filter(status=SignalStatus.OPEN)


class Signal(models.Model):
    """A deviation found when the figures are checked against targets, forecast and plans.

    `key` names the subject (e.g. `target:12:2026`); at most one signal per key is open. A signal
    that was closed and recurs opens a new one, so the record of the earlier one stays.
    """

    key = models.CharField(_("sleutel"), max_length=120)
    kind = models.CharField(_("soort"), max_length=20, choices=SignalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    indicator = models.ForeignKey(
        "dashboards.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("streefwaarde"),
    )
    milestone = models.ForeignKey(
        "actions.Milestone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("mijlpaal"),
    )
    consistency_rule = models.ForeignKey(
        "dashboards.ConsistencyRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("consistentieregel"),
    )
    period = models.CharField(_("periode"), max_length=7, blank=True)
    value = models.DecimalField(
        _("realisatie"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    expected_low = models.DecimalField(
        _("verwacht minimaal"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    expected_high = models.DecimalField(
        _("verwacht maximaal"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    first_seen = models.DateTimeField(_("eerst gezien"))
    last_seen = models.DateTimeField(_("laatst gezien"))
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reden sluiting"), max_length=10, choices=ClosedReason.choices, blank=True
    )
    closed_by_decision = models.ForeignKey(
        "governance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_signals",
        verbose_name=_("gesloten door besluit"),
    )
    history = HistoricalRecords()

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="open"), name="signal_one_open_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        """One Dutch sentence (translated) that says what is off, built from the stored facts."""
        # A null foreign key reads as None without a query, so these cost what the `_id` tests did.
        indicator, organisation, milestone = self.indicator, self.organisation, self.milestone
        values = {
            "indicator": indicator.display_label if indicator is not None else "",
            "organisation": organisation.code if organisation is not None else "",
            "period": self.period,
            "value": _number(self.value),
            "low": _number(self.expected_low),
            "high": _number(self.expected_high),
            "milestone": milestone.title if milestone is not None else "",
        }
        target = self.target if self.kind == SignalKind.TARGET_MISSED else None
        if target is not None:
            values["direction"] = target.get_direction_display()
            values["target"] = _number(target.target_value)
            values["tolerance"] = _number(target.tolerance_percent)
            return (
                gettext(
                    "%(organisation)s: %(indicator)s %(period)s is %(value)s; de streefwaarde is "
                    "%(direction)s %(target)s (tolerantie %(tolerance)s%%)."
                )
                % values
            )
        if self.kind == SignalKind.OUTSIDE_FORECAST:
            return (
                gettext(
                    "%(indicator)s %(period)s is %(value)s, buiten de prognose van %(low)s tot %(high)s."
                )
                % values
            )
        if self.kind == SignalKind.MILESTONE_OVERDUE:
            return (
                gettext("Mijlpaal '%(milestone)s' van %(organisation)s is over de deadline.")
                % values
            )
        return (
            gettext(
                "%(organisation)s: cijfers voor %(indicator)s over %(period)s ontbreken of zijn te laat."
            )
            % values
        )


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    places = 0 if value == value.to_integral_value() or abs(value) >= 100 else 1
    return number_format(value, decimal_pos=places, force_grouping=True)
