"""The review's structure: themes, action perspectives and recommendations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .accounts import Organisation


class LocalisedTitleMixin:
    """Seeded reference data carries a Dutch and an English title; show the user's language."""

    title: str
    title_en: str

    @property
    def display_title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title


class Theme(LocalisedTitleMixin, models.Model):
    """One of the four themes into which the letter clusters the action perspectives."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    aim = models.TextField(_("doel"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return f"{self.number}. {self.display_title}"


class ActionPerspective(LocalisedTitleMixin, models.Model):
    """A "handelingsperspectief" of the review; perspective 3 belongs to two themes."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("titel"), max_length=300)
    title_en = models.CharField(_("titel (Engels)"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, related_name="perspectives", verbose_name=_("thema's"))
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["number"]
        verbose_name = _("handelingsperspectief")
        verbose_name_plural = _("handelingsperspectieven")

    def __str__(self) -> str:
        return f"HP{self.number}. {self.display_title}"


class SourceReport(models.TextChoices):
    CHAIN_REVIEW = "chain_review", _("Doorlichting asielketen")
    IND_REVIEW = "ind_review", _("Doorlichting IND")


class Phase(models.TextChoices):
    ACUTE = "acute", _("Acuut")
    FURTHER = "further", _("Doorontwikkeling")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    IMPLEMENTED = "implemented", _("Gerealiseerd")
    NOT_ADOPTED = "not_adopted", _("Niet overgenomen")


class Recommendation(models.Model):
    """An "aanbeveling" of a review report, under one action perspective."""

    perspective = models.ForeignKey(
        ActionPerspective,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("handelingsperspectief"),
    )
    source = models.CharField(
        _("bronrapport"),
        max_length=20,
        choices=SourceReport.choices,
        default=SourceReport.CHAIN_REVIEW,
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    text = models.TextField(_("tekst"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("eigenaar"),
    )
    phase = models.CharField(_("fase"), max_length=10, choices=Phase.choices, default=Phase.ACUTE)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["perspective__number", "code"]
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"
