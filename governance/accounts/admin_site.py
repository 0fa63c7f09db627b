"""The Django admin site, behind the portal's second factor (as django-otp's OTPAdminSite).

SecondFactorMiddleware already sends an unverified session that asks for /admin/ to the verify
or set-up page. The site checks it again itself, so that the admin stays closed to a session
without the second factor whatever the middleware order or the admin's URL: django-otp's
`OTPAdminSite.has_permission`, with the portal's own notion of verified (a TOTP or recovery
code, or the identity provider's multi-factor login where OIDC_MFA_SKIPS_TOTP allows it).
Installed as the default site by `governance.apps.PortalAdminConfig`.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from . import mfa


class PortalAdminSite(admin.AdminSite):
    site_header = "Ketenportaal – beheer"
    site_title = "Ketenportaal"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and mfa.session_is_verified(request)
