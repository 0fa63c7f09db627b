"""Actions that implement recommendations, their milestones and the progress reported on them."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import Organisation, Recommendation

from . import rag as rag_rule
from .rag import Rag as Rag  # the colours live with their rule

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Action(models.Model):
    """An action ("actie") that carries out one or more recommendations."""

    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, related_name="actions", verbose_name=_("aanbevelingen"), blank=True
    )
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions", verbose_name=_("eigenaar")
    )
    responsible_function = models.CharField(_("verantwoordelijke functie"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("einde"))
    # The board decision this action follows up, if any (the PDCA loop's "Act").
    decision = models.ForeignKey(
        "governance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("besluit"),
    )
    history = HistoricalRecords(m2m_fields=[recommendations])

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="action_end_not_before_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    DONE = "done", _("Gereed")
    CANCELLED = "cancelled", _("Geannuleerd")


class RagAnnotation(TypedDict):
    """What `MilestoneQuerySet.with_rag` adds to each milestone."""

    rag_code: str
    done_late_flag: bool


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def open(self) -> MilestoneQuerySet:
        return self.exclude(status__in=[MilestoneStatus.DONE, MilestoneStatus.CANCELLED])

    def overdue(self, today: datetime.date | None = None) -> MilestoneQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_within(self, days: int, today: datetime.date | None = None) -> MilestoneQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)
        )

    def with_rag(
        self, today: datetime.date | None = None
    ) -> MilestoneQuerySet[WithAnnotations[Milestone, RagAnnotation]]:
        """Annotate `rag_code` (and `done_late_flag`) from the one rule in `actions.rag`, the
        same that `Milestone.rag_on` applies in Python, so lists can filter on it."""
        today = today or timezone.localdate()
        return self.annotate(
            rag_code=rag_rule.annotation(today), done_late_flag=rag_rule.done_late_annotation()
        )

    def with_last_update(self) -> MilestoneQuerySet:
        """Annotate `last_update_on` (the date of the latest progress report, or None) and
        `planned_on` (the day the milestone was first recorded, from its history)."""
        latest = (
            ProgressUpdate.objects.filter(milestone=OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        history = Milestone.history.model
        first = (
            history.objects.filter(id=OuterRef("pk"))
            .values("id")
            .annotate(first=Min("history_date"))
            .values("first")
        )
        return self.annotate(
            last_update_on=Subquery(latest),
            planned_on=TruncDate(Subquery(first)),
        )

    def without_update_since(self, since: datetime.date) -> MilestoneQuerySet:
        """Open milestones with no progress report on or after `since`, and planned before it:
        the "no update for N weeks" list, the longest silent first."""
        return (
            self.open()
            .with_last_update()
            .filter(
                Q(last_update_on__lt=since)
                | Q(last_update_on__isnull=True)
                & (Q(planned_on__lt=since) | Q(planned_on__isnull=True))
            )
            .order_by(
                models.F("last_update_on").asc(nulls_first=True),
                models.F("planned_on").asc(nulls_first=True),
                "due_date",
                "pk",
            )
        )

    def visible_first_for(self, organisation: Organisation | None) -> MilestoneQuerySet:
        """A partner's own milestones first, then the rest."""
        if organisation is None:
            return self
        return self.annotate(
            own=Case(
                When(action__owner=organisation, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("own", "due_date", "pk")


class Milestone(models.Model):
    """A "mijlpaal": a dated, checkable step of an action."""

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("actie")
    )
    title = models.CharField(_("titel"), max_length=300)
    due_date = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    at_risk = models.BooleanField(_("risico"), default=False)
    risk_reason = models.TextField(_("toelichting risico"), blank=True)
    completed_on = models.DateField(_("gereed op"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("percentage gereed"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The due date as first planned. Set by the services when a milestone is created and never
    # moved by a re-plan, so that slippage stays visible (`slip_days`); empty only for rows
    # written around the services, whose baseline is then their (never re-planned) due date.
    baseline_due_date = models.DateField(_("oorspronkelijke deadline"), null=True, blank=True)
    replan_count = models.PositiveSmallIntegerField(_("aantal herplanningen"), default=0)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        constraints = [
            models.CheckConstraint(
                condition=Q(at_risk=False) | ~Q(risk_reason=""),
                name="milestone_risk_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="milestone_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Organisation:
        return self.action.owner

    def rag_on(self, today: datetime.date) -> Rag:
        """The colour on `today` by the one rule (`actions.rag`)."""
        return rag_rule.rag_of(vars(self), today)

    @property
    def rag(self) -> Rag:
        code = getattr(self, "rag_code", None)
        return Rag(code) if code else self.rag_on(timezone.localdate())

    @property
    def done_late(self) -> bool:
        """Done after the deadline: kept beside the (green) colour, never hidden by it."""
        flag = getattr(self, "done_late_flag", None)
        return bool(flag) if flag is not None else rag_rule.is_done_late(vars(self))

    @property
    def days_late(self) -> int:
        if not self.done_late or self.completed_on is None:
            return 0
        return (self.completed_on - self.due_date).days

    @property
    def is_overdue(self) -> bool:
        return self.rag == Rag.RED

    @property
    def is_open(self) -> bool:
        return self.status not in (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)

    @property
    def baseline(self) -> datetime.date:
        return self.baseline_due_date or self.due_date

    @property
    def slip_days(self) -> int:
        """Days the due date has moved against the baseline (negative: brought forward)."""
        return (self.due_date - self.baseline).days

    @property
    def slip_days_abs(self) -> int:
        return abs(self.slip_days)


class MilestoneReplan(models.Model):
    """One move of a milestone's due date, with its reason. Written by
    `actions.services.replan_milestone` (and `save_milestone`); never edited afterwards."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="replans", verbose_name=_("mijlpaal")
    )
    previous_due_date = models.DateField(_("vorige deadline"))
    new_due_date = models.DateField(_("nieuwe deadline"))
    # Empty only for re-plans recovered from the change history (migration 0005).
    reason = models.TextField(_("reden"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestone_replans",
        verbose_name=_("door"),
    )
    at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("herplanning")
        verbose_name_plural = _("herplanningen")

    def __str__(self) -> str:
        return f"{self.milestone}: {self.previous_due_date} → {self.new_due_date}"

    @property
    def shift_days(self) -> int:
        return (self.new_due_date - self.previous_due_date).days


class ProgressUpdate(models.Model):
    """A report on a milestone's progress; may change its status. Never edited afterwards."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="updates", verbose_name=_("mijlpaal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("auteur"),
    )
    date = models.DateField(_("datum"), default=timezone.localdate)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    text = models.TextField(_("toelichting"))
    new_status = models.CharField(
        _("nieuwe status"), max_length=20, choices=MilestoneStatus.choices, blank=True
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percentage gereed"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    # The form's one-time token: a form submitted twice records one update.
    submission_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")

    def __str__(self) -> str:
        return f"{self.milestone} – {self.date}"
