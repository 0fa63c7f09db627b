"""A user's secret calendar address: an iCal feed of their meetings and milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The one calendar feed of a user. Only the SHA-256 of its secret token is stored: the
    address is shown once when it is made; making a new one or revoking it ends the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("gebruiker"),
    )
    token_hash = models.CharField(_("hash van het token"), max_length=64, unique=True)
    # The first characters of the token, to recognise an address without revealing it.
    token_prefix = models.CharField(_("begin van het token"), max_length=8)
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return f"{self.user} ({self.token_prefix}…)"
