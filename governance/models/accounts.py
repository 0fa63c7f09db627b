"""Organisations of the chain and the users' places in them: memberships with a role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """A chain partner ("ketenpartner") or the ministry's directie Regie Migratieketen."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    is_chain_partner = models.BooleanField(_("ketenpartner"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Role(models.TextChoices):
    REGIE = "regie", _("Regie Migratieketen")
    PARTNER = "partner", _("Ketenpartner")
    VIEWER = "viewer", _("Lezer")
    ADMIN = "admin", _("Functioneel beheerder")


class Membership(models.Model):
    """A user's place in the chain: one organisation, one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}, {self.get_role_display()})"
