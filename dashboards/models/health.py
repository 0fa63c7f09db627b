"""Heartbeats of the Celery worker and beat, for the status endpoint (issue 15, health)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of one process kind (`worker`, `beat`)."""

    name = models.CharField(_("proces"), max_length=20, unique=True)
    at = models.DateTimeField(_("laatst gezien"))

    class Meta:
        verbose_name = _("hartslag")
        verbose_name_plural = _("hartslagen")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
