"""Malware scanning of uploads (issue 15): files refused as infected, and uploads that wait for
the scanner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation


class QuarantinedFile(models.Model):
    """A file that clamd found infected: never an upload, kept apart for the administrator."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    detected_at = models.DateTimeField(_("gevonden op"), default=timezone.now)
    file = models.FileField(_("bestand"), upload_to="quarantine/%Y/%m/")
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    signature = models.CharField(_("gevonden malware"), max_length=200)
    #: The upload this file was first stored as, when it waited for the scanner.
    upload_id_was = models.PositiveBigIntegerField(_("was aanlevering"), null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("bestand in quarantaine")
        verbose_name_plural = _("bestanden in quarantaine")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.signature})"


class PendingScan(models.Model):
    """An upload stored while the scanner was unreachable: it is not validated until clamd has
    called it clean (the beat task `scan_waiting_uploads` tries again)."""

    upload = models.OneToOneField(
        "dashboards.Upload", on_delete=models.PROTECT, related_name="pending_scan"
    )
    since = models.DateTimeField(_("wacht sinds"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("pogingen"), default=1)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wacht op virusscan")
        verbose_name_plural = _("wachten op virusscan")

    def __str__(self) -> str:
        return f"upload {self.upload_id} since {self.since:%Y-%m-%d %H:%M}"
