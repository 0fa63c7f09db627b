"""Partner uploads and the observations they carry.

Observations are never updated or deleted. Which observation is the current value of a cell
(organisation, indicator, period, dimension values) is recorded in `CurrentCell`, which an
approval replaces for the cells its upload covers; every earlier observation of a cell stays
queryable as that cell's history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.accounts import roles
from governance.models import Organisation

from .catalogue import Frequency, Indicator


class UploadStatus(models.TextChoices):
    RECEIVED = "received", _("ontvangen")
    VALIDATING = "validating", _("wordt gecontroleerd")
    INVALID = "invalid", _("afgekeurd bij controle")
    VALID = "valid", _("gecontroleerd, wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen door Regie")


class UploadQuerySet(models.QuerySet["Upload"]):
    def visible_to(self, user) -> UploadQuerySet:
        """Regie sees every upload; a partner only its own organisation's; anyone else none."""
        if roles.is_regie(user):
            return self
        organisation = roles.organisation_of(user)
        if roles.is_partner(user) and organisation is not None:
            return self.filter(organisation=organisation)
        return self.none()

    def awaiting_decision(self) -> UploadQuerySet:
        return self.filter(status=UploadStatus.VALID)

    def stuck(self, now: datetime.datetime) -> UploadQuerySet:
        """Uploads whose validation waits too long: still received after UPLOAD_REQUEUE_MINUTES
        (a lost message), or validating with a claim older than UPLOAD_STALE_MINUTES (a dead
        worker). Their validation is sent again; they never count as a duplicate. An upload
        waiting for the virus scanner is not stuck: it is validated once it is scanned."""
        return self.exclude(pending_scan__isnull=False).filter(
            models.Q(
                status=UploadStatus.RECEIVED,
                uploaded_at__lt=now - datetime.timedelta(minutes=settings.UPLOAD_REQUEUE_MINUTES),
            )
            | models.Q(
                status=UploadStatus.VALIDATING,
                validation_started_at__lt=now
                - datetime.timedelta(minutes=settings.UPLOAD_STALE_MINUTES),
            )
        )


class Upload(models.Model):
    """One file of figures sent by (or on behalf of) one organisation. Never deleted."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="uploads",
        verbose_name=_("organisatie"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="uploads",
        verbose_name=_("ingediend door"),
    )
    uploaded_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    file = models.FileField(_("bestand"), upload_to="uploads/%Y/%m/")
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("sha256"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=UploadStatus.choices, default=UploadStatus.RECEIVED
    )
    rows = models.PositiveIntegerField(_("rijen"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rijen gelezen"), default=0)
    #: An estimate of the data rows (line count) made before reading, for the progress bar.
    rows_expected = models.PositiveIntegerField(_("verwachte rijen"), null=True, blank=True)
    #: The uploader's language. Findings are stored in every language (UploadIssue.message_en);
    #: this says what the uploader read, and what findings of before migration 0019 are in.
    language = models.CharField(_("taal"), max_length=10, default="nl")
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    warning_count = models.PositiveIntegerField(_("waarschuwingen"), default=0)
    validation_started_at = models.DateTimeField(null=True, blank=True)
    validation_finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_uploads",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("aanlevering")
        verbose_name_plural = _("aanleveringen")

    def __str__(self) -> str:
        return f"{self.organisation.code} · {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        """Validation is over (whatever the outcome): the report can be shown."""
        return self.status not in (UploadStatus.RECEIVED, UploadStatus.VALIDATING)

    @property
    def percent_read(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_expected))


class Severity(models.TextChoices):
    ERROR = "error", _("fout")
    WARNING = "warning", _("waarschuwing")


class UploadIssue(models.Model):
    """One finding of validation: row and column of the file, a code and its message in each
    language of the portal (issue 13: every reader reads their own), rendered when validated."""

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="issues")
    row = models.PositiveIntegerField(_("rij"), null=True, blank=True)
    column = models.CharField(_("kolom"), max_length=100, blank=True)
    severity = models.CharField(_("ernst"), max_length=10, choices=Severity.choices)
    code = models.CharField(_("code"), max_length=60)
    #: In Dutch (the portal's language). Findings of before migration 0019 hold the uploader's
    #: language here and, when that was English, in `message_en` as well.
    message = models.TextField(_("melding"))
    message_en = models.TextField(_("melding (Engels)"), blank=True, default="")

    class Meta:
        ordering = ["upload", "severity", "row", "pk"]
        indexes = [models.Index(fields=["upload", "severity", "code"])]
        verbose_name = _("controlebevinding")
        verbose_name_plural = _("controlebevindingen")

    def __str__(self) -> str:
        return f"{self.severity} {self.code} (rij {self.row}, {self.column})"

    @property
    def text(self) -> str:
        """The message in the active language (Dutch where no English one was stored)."""
        return message_in(self.message, self.message_en)


def message_in(message: str, message_en: str) -> str:
    """Of a finding's messages, the one in the active language (`UploadIssue.text`)."""
    if (get_language() or "nl").startswith("en") and message_en:
        return message_en
    return message


def dimension_key_of(dimensions: dict[str, str]) -> str:
    """The canonical key of dimension values: "dim=value;dim2=value2", sorted by name; "" for none."""
    return ";".join(f"{name}={value}" for name, value in sorted(dimensions.items()))


#: The key part that names a forecast's round in a series key (`series_key`): never a dimension.
ROUND = "round"


def series_key(dimension_key: str, round_: str) -> str:
    """The key of a series as the rebuild stores it: the dimension key, and for a forecast its
    round in front ("round=2026-06;scenario=expected"; "round=2026-06" without dimensions).

    A round leads the key so that the rebuild's SQL can build it by concatenation; the
    subtotals never leave it out, so rounds are never added up (`dashboards.rebuild.subtotals`).
    """
    if not round_:
        return dimension_key
    lead = f"{ROUND}={round_}"
    return f"{lead};{dimension_key}" if dimension_key else lead


def split_series_key(key: str) -> tuple[str, str]:
    """(round, dimension key) of a series key; round "" when it has none (`series_key`)."""
    lead = f"{ROUND}="
    if not key.startswith(lead):
        return "", key
    round_, _sep, rest = key[len(lead) :].partition(";")
    return round_, rest


def dimensions_of(dimension_key: str) -> dict[str, str]:
    """The dimension values of a canonical key, as a dict (the inverse of `dimension_key_of`)."""
    return dict(part.split("=", 1) for part in dimension_key.split(";") if "=" in part)


class Observation(models.Model):
    """One figure from one upload: immutable. `period` is canonical: 2024-03, 2024-Q1 or 2024.

    Integrity, and why the foreign keys have no database constraint: rows are only ever
    written by services.validate_upload's COPY, with ids from the locked Upload and the
    catalogue, and it checks them as a set (one anti-join) before committing. Per-row foreign
    key triggers cost ~30 s per million rows at COPY and commit (bench/ingest.py). What the
    constraints would protect against, deletion, is refused more strongly on PostgreSQL by
    triggers (migration 0004): no UPDATE or DELETE of an observation, no DELETE of an upload.

    Storage is kept to what every million-row upload must pay for (migration 0005): every
    B-tree index costs about as much at COPY as the table itself, so there is one besides the
    primary key. It is the unique cell constraint, ordered (organisation, period_start,
    indicator, dimension_key, period_type, upload), which serves the delivery overview
    (organisation and a period range) and a cell's history (all equalities) as well; (period_start,
    period_type) determines the canonical period, so it refuses the same cell twice in an upload
    exactly as before. The rows of an upload are found through a BRIN index on upload_id
    (PostgreSQL; an upload's rows are written by one COPY, so they lie together). The dimension
    values are not stored twice: `dimensions` is derived from `dimension_key`. Ids are drawn from
    their sequence 1000 at a time per session (migration 0007): unique, not in insertion order
    across concurrent sessions, with gaps.
    """

    upload = models.ForeignKey(
        Upload,
        on_delete=models.PROTECT,
        related_name="observations",
        db_constraint=False,
        db_index=False,  # BRIN on PostgreSQL (migration 0005)
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="observations",
        db_constraint=False,
        db_index=False,  # the unique cell constraint below serves it (with the organisation)
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique cell constraint below starts with it
    )
    period = models.CharField(max_length=7)
    period_type = models.CharField(max_length=10, choices=Frequency.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    #: Canonical "dim=value;dim2=value2" (sorted by dimension name); "" when no dimension.
    dimension_key = models.CharField(max_length=200, default="", blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    row = models.PositiveIntegerField()
    #: Forecasts only: the month the forecast was published ("2026-06"); "" for every other
    #: figure. Each round is a cell of its own: a later round does not supersede an earlier one.
    round = models.CharField(_("ronde"), max_length=7, default="", db_default="", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "period_start",
                    "indicator",
                    "dimension_key",
                    "period_type",
                    "round",
                    "upload",
                ],
                name="observation_cell_per_upload",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.dimension_key} = {self.value}"

    @property
    def dimensions(self) -> dict[str, str]:
        """The dimension values as a dict, e.g. {"application_type": "first"}; {} for none."""
        return dimensions_of(self.dimension_key)

    @dimensions.setter
    def dimensions(self, values: dict[str, str]) -> None:
        """Accepts `Observation(dimensions={...})`: sets (or must agree with) `dimension_key`."""
        key = dimension_key_of(values or {})
        if self.dimension_key and self.dimension_key != key:
            raise ValueError(
                f"dimensions {values!r} disagree with dimension_key {self.dimension_key!r}"
            )
        self.dimension_key = key


class CurrentCell(models.Model):
    """The current value of a cell: the observation of the latest approved upload holding it.
    A forecast's cell includes its round: an upload supersedes only the rounds it holds."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    dimension_key = models.CharField(max_length=200, default="", blank=True)
    #: The forecast round of the cell ("" for figures that are no forecast): see Observation.
    round = models.CharField(_("ronde"), max_length=7, default="", db_default="", blank=True)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period", "dimension_key", "round"],
                name="current_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.dimension_key} → {self.observation_id}"
