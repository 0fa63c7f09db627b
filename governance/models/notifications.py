"""Notifications ("meldingen"): reminders and news for one user, in the portal and by e-mail.

A notification is made once per user and `key` (a unique constraint), so a beat task that runs
twice, or twice at the same time, never makes (or mails) one twice. Its text is not stored: it
is written from `params` in the reader's language, the portal's or the user's preferred one for
mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MILESTONE_DUE = "milestone_due", _("Mijlpaal nadert de deadline")
    MILESTONE_OVERDUE = "milestone_overdue", _("Mijlpaal over de deadline")
    DELIVERY_DUE = "delivery_due", _("Aanlevering nadert de termijn")
    DELIVERY_MISSING = "delivery_missing", _("Aanlevering ontbreekt")
    UPLOAD_APPROVED = "upload_approved", _("Aanlevering goedgekeurd")
    UPLOAD_REJECTED = "upload_rejected", _("Aanlevering afgewezen")
    FOLLOW_UP_ASSIGNED = "follow_up_assigned", _("Vervolgactie toegewezen")
    REPORTING_MOMENT = "reporting_moment", _("Verantwoordingsmoment nadert")


class MailPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("Direct, een e-mail per melding")
    DIGEST = "digest", _("Eén e-mail per dag met alle meldingen")
    OFF = "off", _("Geen e-mail, alleen in het portaal")


class MailState(models.TextChoices):
    PENDING = "pending", _("Nog te versturen")
    CLAIMED = "claimed", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    SKIPPED = "skipped", _("Niet per e-mail")


class NotificationPreference(models.Model):
    """How a user wants to be told, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("gebruiker"),
    )
    mail = models.CharField(
        _("e-mail"), max_length=10, choices=MailPreference.choices, default=MailPreference.IMMEDIATE
    )
    language = models.CharField(
        _("taal"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_mail_display()})"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder or piece of news for one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("gebruiker"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    #: What the notification is about, e.g. `milestone_due:12:2026-12-24`: one per user and key.
    key = models.CharField(_("sleutel"), max_length=200)
    #: The facts the text is written from (titles, dates as ISO strings, a reason).
    params = models.JSONField(_("gegevens"), default=dict)
    #: The page it is about (a path in the portal).
    url = models.CharField(_("pagina"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    mail_state = models.CharField(
        _("e-mail"), max_length=10, choices=MailState.choices, default=MailState.PENDING
    )
    mailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_key")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["mail_state", "user"], name="notification_mail_state"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"
