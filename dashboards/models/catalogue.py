"""The indicator catalogue: what partners deliver, how often, and how it aggregates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation
from ketenportaal.periods import Period


class Frequency(models.TextChoices):
    MONTH = "month", _("maand")
    QUARTER = "quarter", _("kwartaal")
    YEAR = "year", _("jaar")


class Aggregation(models.TextChoices):
    SUM = "sum", _("som")
    LAST = "last", _("laatste (stand)")
    MEAN = "mean", _("gemiddelde")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> IndicatorQuerySet:
        return self.filter(active=True)


class Indicator(models.Model):
    """An indicator of the catalogue (DESIGN.md, "The indicator catalogue")."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("naam"), max_length=200)
    label_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("eigenaar"),
    )
    unit = models.CharField(_("eenheid"), max_length=40)
    frequency = models.CharField(_("frequentie"), max_length=10, choices=Frequency.choices)
    aggregation = models.CharField(_("aggregatie"), max_length=10, choices=Aggregation.choices)
    #: {"application_type": ["first", "follow_up", "family_reunification"]}; {} for none.
    dimensions = models.JSONField(_("dimensies"), default=dict, blank=True)
    #: The Dutch and English labels of the dimensions and their values, beside `dimensions` so
    #: that its shape stays as it is: {"application_type": {"label_nl": "Soort aanvraag",
    #: "label_en": "Application type", "values": {"first": {"label_nl": "Eerste aanvraag",
    #: "label_en": "First application"}}}}. Read through `dashboards.catalogue.labels`.
    dimension_labels = models.JSONField(_("labels van dimensies"), default=dict, blank=True)
    is_count = models.BooleanField(
        _("telling"), default=True, help_text=_("Waarden zijn niet-negatieve gehele getallen.")
    )
    is_forecast = models.BooleanField(
        _("prognose"), default=False, help_text=_("Perioden in de toekomst zijn toegestaan.")
    )
    tolerance_percent = models.PositiveSmallIntegerField(
        _("tolerantie t.o.v. vorige periode (%)"), default=50
    )
    plausible_min = models.DecimalField(
        _("plausibel minimum"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("plausibel maximum"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    delivery_deadline_days = models.PositiveSmallIntegerField(
        _("aanlevertermijn (dagen na kwartaaleinde)"),
        null=True,
        blank=True,
        help_text=_("Leeg: de standaardtermijn (DELIVERY_DEADLINE_DAYS, 30 dagen)."),
    )
    realised_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forecasts",
        verbose_name=_("gerealiseerd door"),
        help_text=_("Prognoses: de indicator waarvan het totaal de realisatie is."),
    )
    active = models.BooleanField(_("actief"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if (get_language() or "nl").startswith("en") and self.label_en:
            return self.label_en
        return self.label

    @property
    def deadline_days(self) -> int:
        """Days after a period ends by which its figures are due: the indicator's own term, or
        the portal's (`DELIVERY_DEADLINE_DAYS`)."""
        if self.delivery_deadline_days is not None:
            return self.delivery_deadline_days
        return settings.DELIVERY_DEADLINE_DAYS

    def due_on(self, period: Period) -> datetime.date:
        """The one deadline rule: the last day on which this indicator's figures for `period`
        count as delivered on time. Every page, signal, report and API answer that says "late"
        or "on time" asks this."""
        return period.end + datetime.timedelta(days=self.deadline_days)
