"""Board packs ("vergaderstukken"): one document per meeting with what the board needs to decide.

Like a progress report, a generated pack is stored as files (an HTML snapshot and a tagged PDF)
with their SHA-256, so the pack sent to the members is the one downloaded later. Generating
again makes a new version; earlier versions stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .boards import Meeting
from .reports import ReportStatus


class BoardPackQuerySet(models.QuerySet["BoardPack"]):
    def succeeded(self) -> BoardPackQuerySet:
        return self.filter(status=ReportStatus.SUCCEEDED)

    def pending(self) -> BoardPackQuerySet:
        return self.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])


def pack_path(pack: BoardPack, filename: str) -> str:
    return f"board-packs/{pack.meeting_id}/{pack.pk}/{filename}"


class BoardPack(models.Model):
    """One generated version of a meeting's pack. Its files never change once stored."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="packs", verbose_name=_("vergadering")
    )
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
    #: The release whose figures the pack cites and shows; none: the figures current when it is made.
    release = models.ForeignKey(
        "dashboards.Release",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("release"),
    )
    #: The pack's content as computed (JSON): what the HTML and PDF were made from.
    data = models.JSONField(_("inhoud"), default=dict, blank=True, editable=False)
    html_file = models.FileField(_("HTML"), upload_to=pack_path, blank=True, editable=False)
    pdf_file = models.FileField(_("PDF"), upload_to=pack_path, blank=True, editable=False)
    html_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("vergaderstuk")
        verbose_name_plural = _("vergaderstukken")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="board_pack_percent_at_most_100"
            ),
            # One pack in the making per meeting: a second request joins the first.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=["queued", "running"]),
                name="one_pending_pack_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
