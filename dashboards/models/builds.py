"""The dashboard builds: the rebuild log, the pointers readers follow, and the built figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation

from .catalogue import Frequency, Indicator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


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

    def record(
        self,
        *,
        indicator_ids: Sequence[int] | None = None,
        upload_ids: Sequence[int] | None = None,
        trigger: str = RebuildTrigger.COMMAND,
        triggered_by: User | AnonymousUser | None = None,
    ) -> Rebuild:
        """A new queued rebuild: of these indicators and of the cells of these approved uploads
        only, or (neither given) of everything."""
        return self.create(
            scope=RebuildScope.INCREMENTAL if indicator_ids or upload_ids else RebuildScope.FULL,
            indicator_ids=sorted({int(pk) for pk in indicator_ids or []}),
            upload_ids=sorted({int(pk) for pk in upload_ids or []}),
            trigger=trigger,
            triggered_by=triggered_by if triggered_by and triggered_by.is_authenticated else None,
        )


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
    #: The indicators an incremental rebuild recomputes whole; empty for a full rebuild.
    indicator_ids = models.JSONField(_("indicatoren"), default=list, blank=True)
    #: The approved uploads whose cells an incremental rebuild recomputes: only the series-years
    #: those cells lie in (indicator, organisation, dimension values, year), and the subtotals
    #: and chain rows above them.
    upload_ids = models.JSONField(_("aanleveringen"), default=list, blank=True)
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
    #: Its place in the order rebuilds ran in (drawn when it starts, under the one-at-a-time lock;
    #: ids follow the order they were queued in). `SeriesYear.written_by` and `replaced_by` hold
    #: it, so a reader of a build sees exactly the rows of the rebuilds that ran before.
    version = models.PositiveBigIntegerField(_("volgnummer"), null=True, blank=True)
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
    """The pointer readers follow: which build's rows are the current figures of an indicator.

    `base` is the build whose partition holds the indicator's rows (the last one that computed
    it whole); `rebuild` the last one that changed them, perhaps only a few series-years patched
    into the base's partition. Readers see the rows of `base` written by `rebuild` or earlier and
    not replaced by then (`SeriesYear.written_by`, `replaced_by`).
    """

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    rebuild = models.ForeignKey(Rebuild, on_delete=models.PROTECT, related_name="+")
    base = models.ForeignKey(Rebuild, on_delete=models.PROTECT, related_name="+")
    #: A digest of the rows the pointer names (`dashboards.rebuild.digests`): equal digests,
    #: equal figures. Null where it is not known (SQLite; pointers made before digests).
    digest = models.DecimalField(max_digits=40, decimal_places=0, null=True, blank=True)

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

    On PostgreSQL the table is partitioned by rebuild: each rebuild that computes indicators whole
    loads its own partition and indexes it once (dashboards.rebuild), and a build nobody reads any
    more is dropped whole. A rebuild after an approval patches the series-years the approval
    touched into the partition they live in: its rows carry its id in `written_by`, and the rows
    they replace get it in `replaced_by`, so readers of the earlier build still see the earlier
    rows until the pointers flip.
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
    #: The `Rebuild.version` of the rebuild that computed this row (its partition's own build,
    #: or a later patch).
    written_by = models.BigIntegerField()
    #: The version of the rebuild whose row replaced this one; null while it is current.
    replaced_by = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["indicator", "rebuild", "organisation", "dimension_key", "year"],
                name="seriesyear_read",
            ),
            # A patch combines the chain row of a series-year from every organisation's row.
            models.Index(
                fields=["indicator", "rebuild", "dimension_key", "year"],
                name="seriesyear_chain",
                condition=models.Q(organisation__isnull=False),
            ),
            # Replaced rows, found and deleted once no reader can need them.
            models.Index(
                fields=["replaced_by"],
                name="seriesyear_replaced",
                condition=models.Q(replaced_by__isnull=False),
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
    written_by = models.BigIntegerField()
    replaced_by = models.BigIntegerField(null=True)

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
