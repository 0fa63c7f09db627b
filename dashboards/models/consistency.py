"""Chain consistency rules: do the partners' figures agree with each other? (issue 12)

A rule compares two chain series per quarter: the left figure against the right one some
quarters earlier (the mean over a window of lags), and says the ratio left / right should lie
within a band. That one shape covers the chain's checks: COA occupancy does not exceed COA
capacity (lag 0, at most 1), DT&V intake from IND follows IND's rejections one or two quarters
later (lag 1–2, within a band), Politie registrations and IND first applications move together
(lag 0, within a band).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Indicator


class ConsistencyRule(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    explanation = models.TextField(_("uitleg"))
    explanation_en = models.TextField(_("uitleg (Engels)"), blank=True)
    left = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("cijfer links")
    )
    left_key = models.CharField(
        _("dimensiewaarden links"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld source=ind; leeg: het totaal over alle waarden."),
    )
    right = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("cijfer rechts")
    )
    right_key = models.CharField(
        _("dimensiewaarden rechts"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld outcome=rejected; leeg: het totaal over alle waarden."),
    )
    lag_min = models.PositiveSmallIntegerField(
        _("vertraging vanaf (kwartalen)"), default=0, validators=[MinValueValidator(0)]
    )
    lag_max = models.PositiveSmallIntegerField(_("vertraging tot en met (kwartalen)"), default=0)
    low = models.DecimalField(
        _("verhouding ten minste"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        _("verhouding ten hoogste"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    active = models.BooleanField(_("actief"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("consistentieregel")
        verbose_name_plural = _("consistentieregels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lag_max__gte=models.F("lag_min")),
                name="consistency_lags_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(low__isnull=False) | models.Q(high__isnull=False),
                name="consistency_has_a_band",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (
            self.name_en
            if (get_language() or "nl").startswith("en") and self.name_en
            else self.name
        )

    @property
    def display_explanation(self) -> str:
        if (get_language() or "nl").startswith("en") and self.explanation_en:
            return self.explanation_en
        return self.explanation
