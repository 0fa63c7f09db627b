"""Duiding: a short explanation of an indicator's figures for a period ("Ter Apel overvol",
"definitiewijziging"), written by regie or the owning organisation (issue 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Indicator

TEXT_MAX = 300


class AnnotationQuerySet(models.QuerySet["Annotation"]):
    def shown(self) -> AnnotationQuerySet:
        return self.filter(withdrawn=False)

    def about(self, indicator: Indicator, start, end) -> AnnotationQuerySet:
        """The annotations of `indicator` whose period overlaps [start, end]."""
        return self.shown().filter(
            indicator=indicator, period_start__lte=end, period_end__gte=start
        )


class Annotation(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="annotations", verbose_name=_("indicator")
    )
    period = models.CharField(_("periode"), max_length=7)
    period_start = models.DateField()
    period_end = models.DateField()
    text = models.CharField(_("duiding"), max_length=TEXT_MAX)
    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    created_at = models.DateTimeField(_("geschreven op"), auto_now_add=True)
    withdrawn = models.BooleanField(_("ingetrokken"), default=False)
    history = HistoricalRecords()

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__code", "period_start", "created_at"]
        verbose_name = _("duiding")
        verbose_name_plural = _("duidingen")
        indexes = [
            models.Index(fields=["indicator", "period_start"], name="annotation_indicator_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.text}"
