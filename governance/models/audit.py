"""The audit trail: one append-only row per thing that happened (issue 15).

On PostgreSQL the database itself refuses UPDATE and DELETE on it (migration 0006), as it does
for observations: nothing, not even the Django admin or a bug, can rewrite what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGOUT = "logout", _("Uitgelogd")
    LOGOUT_EVERYWHERE = "logout_everywhere", _("Overal uitgelogd")
    MFA_VERIFIED = "mfa_verified", _("Tweede factor bevestigd")
    MFA_FAILED = "mfa_failed", _("Tweede factor mislukt")
    MFA_ENABLED = "mfa_enabled", _("Tweede factor ingesteld")
    MFA_DISABLED = "mfa_disabled", _("Tweede factor uitgezet")
    MFA_RESET = "mfa_reset", _("Tweede factor teruggezet door beheerder")
    RECOVERY_CODES_CREATED = "recovery_codes_created", _("Herstelcodes gemaakt")
    SSO_LOGIN_FAILED = "sso_login_failed", _("Inloggen via SSO mislukt")
    PASSWORD_CHANGED = "password_changed", _("Wachtwoord gewijzigd")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Wachtwoordherstel aangevraagd")
    SESSIONS_REVOKED = "sessions_revoked", _("Sessies en tokens ingetrokken")
    TOKEN_CREATED = "token_created", _("API-token gemaakt")
    TOKEN_REVOKED = "token_revoked", _("API-token ingetrokken")
    TOKEN_USED = "token_used", _("API-token gebruikt")
    TOKEN_FAILED = "token_failed", _("API-token geweigerd")
    DOWNLOAD_UPLOAD = "download_upload", _("Origineel bestand gedownload")
    DOWNLOAD_UPLOAD_REPORT = "download_upload_report", _("Controlerapport gedownload")
    DOWNLOAD_REPORT = "download_report", _("Rapportage gedownload")
    DOWNLOAD_AUDIT = "download_audit", _("Audittrail gedownload")
    DOWNLOAD_QUARANTINE = "download_quarantine", _("Bestand uit quarantaine gedownload")
    UPLOAD_SUBMITTED = "upload_submitted", _("Aanlevering ingediend")
    UPLOAD_APPROVED = "upload_approved", _("Aanlevering goedgekeurd")
    UPLOAD_REJECTED = "upload_rejected", _("Aanlevering afgewezen")
    UPLOAD_INFECTED = "upload_infected", _("Besmet bestand geweigerd")
    USER_SAVED = "user_saved", _("Gebruiker opgeslagen")
    WRITE = "write", _("Wijziging")
    ADMIN_ADD = "admin_add", _("Toegevoegd in beheer")
    ADMIN_CHANGE = "admin_change", _("Gewijzigd in beheer")
    ADMIN_DELETE = "admin_delete", _("Verwijderd in beheer")
    BACKUP = "backup", _("Back-up gemaakt")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    FAILURE = "failure", _("Mislukt")
    DENIED = "denied", _("Geweigerd")


class AuditEventQuerySet(models.QuerySet):
    def for_listing(self) -> AuditEventQuerySet:
        return self.select_related("actor", "organisation").order_by("-at", "-pk")


class AuditEvent(models.Model):
    """Who did what, when, from where, and how it ended. Only ever inserted."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    # The user name as given: for a failed login there may be no such user.
    actor_name = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "governance.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    action = models.CharField(_("handeling"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True, db_index=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        indexes = [
            models.Index(fields=["action", "at"], name="auditevent_action_at"),
            models.Index(fields=["actor", "at"], name="auditevent_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def object_label(self) -> str:
        if self.object_type and self.object_id:
            return f"{self.object_type} #{self.object_id} {self.object_repr}".strip()
        return self.object_repr
