"""Which sessions belong to whom, so that they can be ended (issue 15, sessions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginSession(models.Model):
    """One login of a user: the session it opened. Deleted with the session it names."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_sessions",
        verbose_name=_("gebruiker"),
    )
    session_key = models.CharField(_("sessiesleutel"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
