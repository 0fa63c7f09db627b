from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Signal receivers: the audit trail (logins, logouts, failures, admin actions), the
        # lockout reset after a complete login, and the sessions ended when rights change.
        from .accounts import audit, mfa, sessions  # noqa: F401
