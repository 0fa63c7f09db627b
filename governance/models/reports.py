"""Accountability moments ("verantwoordingsmomenten") and the progress reports made for them.

A generated report is stored as files (HTML snapshot, PDF, XLSX) with their SHA-256, so the same
report is downloaded again unchanged later. Generating again makes a new version; earlier
versions stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportingMoment(models.Model):
    """A date on which the minister informs parliament, with the report that goes with it."""

    date = models.DateField(_("peildatum"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("verantwoordingsmoment")
        verbose_name_plural = _("verantwoordingsmomenten")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def previous(self) -> ReportingMoment | None:
        """The moment before this one: what the report compares with."""
        return ReportingMoment.objects.filter(date__lt=self.date).order_by("-date").first()


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Wordt gemaakt")
    SUCCEEDED = "succeeded", _("Gereed")
    FAILED = "failed", _("Mislukt")


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def succeeded(self) -> ProgressReportQuerySet:
        return self.filter(status=ReportStatus.SUCCEEDED)

    def pending(self) -> ProgressReportQuerySet:
        return self.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])


def report_path(report: ProgressReport, filename: str) -> str:
    return f"reports/{report.moment_id}/{report.pk}/{filename}"


class ProgressReport(models.Model):
    """One generated version of a moment's progress report. Its files never change once stored."""

    moment = models.ForeignKey(
        ReportingMoment,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("verantwoordingsmoment"),
    )
    #: The version of this moment's report: 1 for its first, counted per moment.
    version = models.PositiveSmallIntegerField(_("versie"), default=1, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    percent = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    step = models.CharField(_("stap"), max_length=200, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    #: The release whose figures the report cites and shows; none: the figures current at the moment.
    release = models.ForeignKey(
        "dashboards.Release",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("release"),
    )
    #: The report's content as computed (JSON): what the HTML, PDF and XLSX were made from.
    data = models.JSONField(_("inhoud"), default=dict, blank=True, editable=False)
    html_file = models.FileField(_("HTML"), upload_to=report_path, blank=True, editable=False)
    pdf_file = models.FileField(_("PDF"), upload_to=report_path, blank=True, editable=False)
    xlsx_file = models.FileField(_("XLSX"), upload_to=report_path, blank=True, editable=False)
    html_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    xlsx_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="progress_report_percent_at_most_100"
            ),
            # One report in the making per moment: a second request joins the first.
            models.UniqueConstraint(
                fields=["moment"],
                condition=Q(status__in=["queued", "running"]),
                name="one_pending_report_per_moment",
            ),
            models.UniqueConstraint(fields=["moment", "version"], name="report_version_per_moment"),
        ]

    def __str__(self) -> str:
        return f"{self.moment} v{self.version}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
