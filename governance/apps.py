from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Signal receivers: the audit trail (logins, logouts, failures, admin actions), the
        # lockout reset after a complete login, and the sessions ended when rights change.
        from .accounts import audit, mfa, sessions  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site: the admin behind the second factor.
    Not this module's default config (that is GovernanceConfig)."""

    default = False

    default_site = "governance.accounts.admin_site.PortalAdminSite"
