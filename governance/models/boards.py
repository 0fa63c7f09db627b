"""Boards ("gremia"), their meetings, agenda items, decisions and impact assessments.

Imported by `governance.models`; the models belong to the governance app.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ketenportaal.history import NotedHistory


class BoardKind(models.TextChoices):
    TOPBERAAD = "topberaad", _("Topberaad")
    DEELBERAAD = "deelberaad", _("Deelberaad")
    DRIEHOEK = "driehoek", _("Ambtelijke sturingsdriehoek")


class Board(models.Model):
    """A "gremium": where which decisions are taken, by whom and with which mandate."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Voorvoegsel van besluitnummers, bv. TB."),
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=12, choices=BoardKind.choices)
    tasks = models.TextField(_("taken"))
    responsibilities = models.TextField(_("verantwoordelijkheden"))
    decides_on = models.TextField(_("besluit over"), help_text=_("Waarover dit gremium besluit."))
    chair = models.CharField(_("voorzitter"), max_length=200, blank=True)
    frequency = models.CharField(_("vergaderfrequentie"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("gremium")
        verbose_name_plural = _("gremia")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Voorzitter")
    MEMBER = "member", _("Lid")
    SECRETARY = "secretary", _("Secretariaat")
    ADVISOR = "advisor", _("Adviseur")
    OWNER = "owner", _("Eigenaar")
    COMMISSIONER = "commissioner", _("Opdrachtgever (DG)")
    CONTRACTOR = "contractor", _("Opdrachtnemer")


class BoardMember(models.Model):
    """An organisation represented in a board, in a role, with its mandate."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="members", verbose_name=_("gremium")
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=12, choices=MemberRole.choices)
    represented_by = models.CharField(_("vertegenwoordigd door"), max_length=200, blank=True)
    mandate = models.TextField(_("mandaat"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "role", "organisation__code"]
        verbose_name = _("lid van een gremium")
        verbose_name_plural = _("leden van gremia")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "organisation", "role"], name="board_member_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board.code}: {self.organisation.code} ({self.get_role_display()})"


class RelationKind(models.TextChoices):
    PART_OF = "part_of", _("maakt deel uit van")
    REPORTS_TO = "reports_to", _("legt voor aan / rapporteert aan")


class BoardRelation(models.Model):
    """How two boards hang together: `source` is part of, or reports to, `target`."""

    source = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("van")
    )
    target = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("naar")
    )
    kind = models.CharField(_("relatie"), max_length=12, choices=RelationKind.choices)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["source__order", "target__order", "kind"]
        verbose_name = _("relatie tussen gremia")
        verbose_name_plural = _("relaties tussen gremia")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="board_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="board_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} {self.get_kind_display()} {self.target.code}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, today: datetime.date) -> MeetingQuerySet:
        return self.filter(date__gte=today).order_by("date", "pk")


class Meeting(models.Model):
    """A meeting of a board, with its agenda and, afterwards, its minutes."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("gremium")
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=200, blank=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    minutes = models.TextField(_("verslag"), blank=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "board__order"]
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")

    def __str__(self) -> str:
        return self.title or f"{self.board.code} {self.date:%d-%m-%Y}"


class AgendaItem(models.Model):
    """A point on a meeting's agenda; may have been put there from a signal."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("vergadering"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("onderwerp"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    signal = models.ForeignKey(
        "governance.Signal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("signaal"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    ADOPTED = "adopted", _("Vastgesteld")
    CONFIRMED = "confirmed", _("Bevestigd in de driehoek")
    IMPLEMENTED = "implemented", _("Uitgevoerd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class DecisionQuerySet(models.QuerySet["Decision"]):
    def search(self, text: str) -> Self:
        return self.filter(
            Q(number__icontains=text) | Q(title__icontains=text) | Q(text__icontains=text)
        )


class Decision(models.Model):
    """A "besluit" of a board. Its status changes only through `governance.decisions`."""

    number = models.CharField(_("nummer"), max_length=30, unique=True, editable=False)
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("gremium")
    )
    year = models.PositiveSmallIntegerField(_("jaar"), editable=False)
    sequence = models.PositiveSmallIntegerField(_("volgnummer"), editable=False)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("vergadering"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agendapunt"),
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("besluittekst"))
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    needs_triangle = models.BooleanField(
        _("bevestiging in de driehoek nodig"),
        default=False,
        help_text=_("Het besluit wijzigt een opdracht, de begroting of de langetermijnstrategie."),
    )
    effective_date = models.DateField(_("datum inwerkingtreding"), null=True, blank=True)
    perspectives = models.ManyToManyField(
        "governance.ActionPerspective",
        blank=True,
        related_name="decisions",
        verbose_name=_("handelingsperspectieven"),
    )
    recommendations = models.ManyToManyField(
        "governance.Recommendation",
        blank=True,
        related_name="decisions",
        verbose_name=_("aanbevelingen"),
    )
    history = HistoricalRecords(m2m_fields=[perspectives, recommendations], bases=[NotedHistory])

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "sequence"], name="decision_number_per_board_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AssessmentKind(models.TextChoices):
    EXECUTION_TEST = "uitvoeringstoets", _("Uitvoeringstoets")
    IMPACT_ANALYSIS = "impactanalyse", _("Impactanalyse")
    IMPLEMENTATION_TEST = "invoeringstoets", _("Invoeringstoets")


class AssessmentOutcome(models.TextChoices):
    PENDING = "pending", _("Nog niet bekend")
    FEASIBLE = "feasible", _("Uitvoerbaar")
    CONDITIONAL = "conditional", _("Uitvoerbaar onder voorwaarden")
    NOT_FEASIBLE = "not_feasible", _("Niet uitvoerbaar")
    EFFECTIVE = "effective", _("Beoogde effecten bereikt")
    NOT_EFFECTIVE = "not_effective", _("Beoogde effecten niet bereikt")


class ImpactAssessment(models.Model):
    """An uitvoeringstoets or impactanalyse before a proposal, or an invoeringstoets after it."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("besluit")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=AssessmentKind.choices)
    requested_on = models.DateField(_("aangevraagd op"))
    due_date = models.DateField(_("gereed uiterlijk"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"),
        max_length=20,
        choices=AssessmentOutcome.choices,
        default=AssessmentOutcome.PENDING,
    )
    summary = models.TextField(_("samenvatting uitkomst"), blank=True)
    milestone = models.ForeignKey(
        "actions.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mijlpaal"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "requested_on", "pk"]
        verbose_name = _("toets")
        verbose_name_plural = _("toetsen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.decision.number}"


class PartnerImpact(models.Model):
    """One partner's stated impact of a proposal: capacity, lead time and cost."""

    assessment = models.ForeignKey(
        ImpactAssessment, on_delete=models.CASCADE, related_name="impacts", verbose_name=_("toets")
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    capacity_fte = models.DecimalField(_("capaciteit (fte)"), max_digits=8, decimal_places=1)
    lead_time_months = models.PositiveSmallIntegerField(_("invoeringstermijn (maanden)"))
    cost_eur = models.DecimalField(_("kosten (euro)"), max_digits=14, decimal_places=0)
    explanation = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "organisation__code"]
        verbose_name = _("impact per ketenpartner")
        verbose_name_plural = _("impact per ketenpartner")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organisation"], name="partner_impact_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.organisation.code}"
