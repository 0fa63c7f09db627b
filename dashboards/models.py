"""Indicators, partner uploads and the observations they carry.

Observations are never updated or deleted. Which observation is the current value of a cell
(organisation, indicator, period, dimension values) is recorded in `CurrentCell`, which an
approval replaces for the cells its upload covers; every earlier observation of a cell stays
queryable as that cell's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation


class Frequency(models.TextChoices):
    MONTH = "month", _("maand")
    QUARTER = "quarter", _("kwartaal")
    YEAR = "year", _("jaar")


FREQUENCY_RANK = {Frequency.MONTH: 1, Frequency.QUARTER: 2, Frequency.YEAR: 3}


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
        if self.delivery_deadline_days is not None:
            return self.delivery_deadline_days
        return settings.DELIVERY_DEADLINE_DAYS


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
        from governance import roles

        if roles.is_regie(user):
            return self
        organisation = roles.organisation_of(user)
        if roles.is_partner(user) and organisation is not None:
            return self.filter(organisation=organisation)
        return self.none()

    def awaiting_decision(self) -> UploadQuerySet:
        return self.filter(status=UploadStatus.VALID)


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
    #: The uploader's language: the validation report's messages are written in it.
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
    """One finding of validation: row and column of the file, a code and a translated message."""

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="issues")
    row = models.PositiveIntegerField(_("rij"), null=True, blank=True)
    column = models.CharField(_("kolom"), max_length=100, blank=True)
    severity = models.CharField(_("ernst"), max_length=10, choices=Severity.choices)
    code = models.CharField(_("code"), max_length=60)
    message = models.TextField(_("melding"))

    class Meta:
        ordering = ["upload", "severity", "row", "pk"]
        indexes = [models.Index(fields=["upload", "severity", "code"])]
        verbose_name = _("controlebevinding")
        verbose_name_plural = _("controlebevindingen")

    def __str__(self) -> str:
        return f"{self.severity} {self.code} (rij {self.row}, {self.column})"


def dimension_key_of(dimensions: dict[str, str]) -> str:
    """The canonical key of dimension values: "dim=value;dim2=value2", sorted by name; "" for none."""
    return ";".join(f"{name}={value}" for name, value in sorted(dimensions.items()))


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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "period_start",
                    "indicator",
                    "dimension_key",
                    "period_type",
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
    """The current value of a cell: the observation of the latest approved upload holding it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    dimension_key = models.CharField(max_length=200, default="", blank=True)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period", "dimension_key"],
                name="current_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.dimension_key} → {self.observation_id}"


# ---------------------------------------------------------------- dashboard builds


class RebuildStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    SUCCEEDED = "succeeded", _("geslaagd")
    FAILED = "failed", _("mislukt")


class RebuildScope(models.TextChoices):
    FULL = "full", _("volledig")
    INCREMENTAL = "incremental", _("alleen gewijzigde indicatoren")


class RebuildTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("nachtelijke planning")
    COMMAND = "command", _("beheercommando")
    PORTAL = "portal", _("portaal")
    API = "api", _("API")
    APPROVAL = "approval", _("goedkeuring aanlevering")


class RebuildQuerySet(models.QuerySet["Rebuild"]):
    def succeeded(self) -> RebuildQuerySet:
        return self.filter(status=RebuildStatus.SUCCEEDED)

    def last_succeeded(self) -> Rebuild | None:
        return self.succeeded().order_by("-finished_at", "-pk").first()


class Rebuild(models.Model):
    """One run of the dashboard rebuild: the log regie reads, and the tag of the rows it built.

    Rows of `SeriesYear`/`ProgressPoint` carry the id of the rebuild that computed them; readers
    only see a rebuild's series rows once `IndicatorBuild` points at it (flipped in one
    transaction at the end), and its progress rows once it has `succeeded`.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=RebuildStatus.choices, default=RebuildStatus.QUEUED
    )
    scope = models.CharField(
        _("omvang"), max_length=12, choices=RebuildScope.choices, default=RebuildScope.FULL
    )
    #: The indicators an incremental rebuild recomputes; empty for a full rebuild.
    indicator_ids = models.JSONField(_("indicatoren"), default=list, blank=True)
    trigger = models.CharField(
        _("aanleiding"),
        max_length=10,
        choices=RebuildTrigger.choices,
        default=RebuildTrigger.COMMAND,
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    queued_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    rows = models.PositiveBigIntegerField(_("rijen"), default=0)
    duration = models.FloatField(_("duur (s)"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    step = models.CharField(_("stap"), max_length=200, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    #: The rows this rebuild wrote have been deleted (it failed, or a later one replaced it).
    pruned = models.BooleanField(default=False)

    objects = RebuildQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_scope_display()} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status in (RebuildStatus.SUCCEEDED, RebuildStatus.FAILED)


class IndicatorBuild(models.Model):
    """The pointer readers follow: which rebuild's rows are the current figures of an indicator."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    rebuild = models.ForeignKey(Rebuild, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.rebuild_id}"


class SeriesYear(models.Model):
    """One build's figures of one series (indicator, organisation, dimension value) in one year.

    A calendar year holds twelve months, four quarters and the year itself, so the rebuild writes
    one row where a row per figure would take seventeen: the month figures (`m01`…`m12`), the
    quarters and the year aggregated following the indicator's rule (`q1`…`q4`, `y`, each with the
    months its figures cover and its earliest upload). A null is a figure that is not there.
    `dimension_key` "" is the total over the dimension values; `organisation` null is the whole
    chain. Readers use the `SeriesPoint` view, a row per figure.

    On PostgreSQL the table is partitioned by rebuild: each rebuild loads its own partition and
    indexes it once (dashboards.rebuild), and a build nobody reads any more is dropped whole.
    """

    rebuild = models.ForeignKey(
        Rebuild, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        null=True,
    )
    dimension_key = models.CharField(max_length=200, default="", blank=True)
    year = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["indicator", "rebuild", "organisation", "dimension_key", "year"],
                name="seriesyear_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.organisation_id} {self.year} {self.dimension_key}"


#: (column prefix, how many) of the figures in a `SeriesYear` row.
SERIES_YEAR_SLOTS = {"m": 12, "q": 4, "y": 1}


def series_year_columns(prefix: str, count: int) -> list[str]:
    """The value columns of a slot kind: m01…m12, q1…q4, y."""
    if count == 1:
        return [prefix]
    width = len(str(count))
    return [f"{prefix}{n:0{width}d}" for n in range(1, count + 1)]


for _prefix, _count in SERIES_YEAR_SLOTS.items():
    for _column in series_year_columns(_prefix, _count):
        SeriesYear.add_to_class(
            _column, models.DecimalField(max_digits=24, decimal_places=4, null=True)
        )
        if _prefix != "m":
            # A month figure covers its one month, and is its cell's observation: only the
            # aggregates record the months they cover and their earliest upload (for timeliness).
            SeriesYear.add_to_class(
                f"{_column}_months", models.PositiveSmallIntegerField(null=True)
            )
            SeriesYear.add_to_class(f"{_column}_upload", models.BigIntegerField(null=True))


class SeriesPoint(models.Model):
    """One aggregated figure of a build: indicator, organisation, dimension value, period.

    A read-only database view over `SeriesYear` (a row per figure that is there). `months`
    counts the months the underlying current figures cover; `complete` says they cover the
    whole period. `first_upload_id`, the earliest upload behind a quarter or year (timeliness
    is judged per quarter), is empty for a month: its upload is its cell's.
    """

    id = models.BigIntegerField(primary_key=True)
    rebuild = models.ForeignKey(
        Rebuild, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", null=True
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    period = models.CharField(max_length=7)
    period_start = models.DateField()
    dimension_key = models.CharField(max_length=200, default="", blank=True)
    value = models.DecimalField(max_digits=24, decimal_places=4)
    months = models.PositiveSmallIntegerField()
    complete = models.BooleanField()
    first_upload_id = models.BigIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "dashboards_seriespoint"

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.organisation_id} {self.period} {self.dimension_key}"


class ProgressKind(models.TextChoices):
    CHAIN = "chain", _("hele keten")
    THEME = "theme", _("thema")
    PERSPECTIVE = "perspective", _("handelingsperspectief")
    ORGANISATION = "organisation", _("organisatie")


class ProgressPoint(models.Model):
    """Burn-up of one group of milestones on one day: cumulative done and due vs the total."""

    rebuild = models.ForeignKey(
        Rebuild, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=ProgressKind.choices)
    #: Theme, perspective or organisation id; 0 for the chain.
    group_id = models.BigIntegerField()
    day = models.DateField()
    total = models.PositiveIntegerField()
    due = models.PositiveIntegerField()
    done = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["rebuild", "kind", "group_id", "day"], name="progresspoint_read")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.group_id} {self.day}"
