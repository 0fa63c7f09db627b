"""Organisations and roles, and the review's structure: themes, action perspectives, recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LocalisedTitleMixin:
    """Seeded reference data carries a Dutch and an English title; show the user's language."""

    title: str
    title_en: str

    @property
    def display_title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title


class Organisation(models.Model):
    """A chain partner ("ketenpartner") or the ministry's directie Regie Migratieketen."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    is_chain_partner = models.BooleanField(_("ketenpartner"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Role(models.TextChoices):
    REGIE = "regie", _("Regie Migratieketen")
    PARTNER = "partner", _("Ketenpartner")
    VIEWER = "viewer", _("Lezer")
    ADMIN = "admin", _("Functioneel beheerder")


class Membership(models.Model):
    """A user's place in the chain: one organisation, one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}, {self.get_role_display()})"


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


# Boards, decisions, the steering loop and the accountability reports live in their own modules
# (one idea each); importing them here makes them models of this app.
from .models_boards import (  # noqa: E402
    AgendaItem,
    AssessmentKind,
    AssessmentOutcome,
    Board,
    BoardKind,
    BoardMember,
    BoardRelation,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    MemberRole,
    PartnerImpact,
    RelationKind,
)
from .models_reports import ProgressReport, ReportingMoment, ReportStatus  # noqa: E402
from .models_steering import (  # noqa: E402
    Assignment,
    ChainGoal,
    ClosedReason,
    Direction,
    Signal,
    SignalKind,
    SignalStatus,
    Target,
)

__all__ = [
    "ActionPerspective",
    "AgendaItem",
    "AssessmentKind",
    "AssessmentOutcome",
    "Assignment",
    "Board",
    "BoardKind",
    "BoardMember",
    "BoardRelation",
    "ChainGoal",
    "ClosedReason",
    "Decision",
    "DecisionStatus",
    "Direction",
    "ImpactAssessment",
    "Meeting",
    "MemberRole",
    "Membership",
    "Organisation",
    "PartnerImpact",
    "Phase",
    "ProgressReport",
    "Recommendation",
    "RecommendationStatus",
    "RelationKind",
    "ReportStatus",
    "ReportingMoment",
    "Role",
    "Signal",
    "SignalKind",
    "SignalStatus",
    "SourceReport",
    "Target",
    "Theme",
]
