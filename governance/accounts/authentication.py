"""API authentication: knox's hashed, expiring tokens, with failed attempts throttled.

Kept apart from ketenportaal.api because DRF imports authentication classes while
`rest_framework.views` is still loading: this module must not import it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.cache import cache
from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle

from governance.accounts import audit
from governance.models import AuditAction, AuditOutcome

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)

#: A token's use is written to the audit trail at most once per this many seconds.
TOKEN_USE_AUDIT_SECONDS = 3600


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts failed token authentications per client address (scope `auth`).

    DRF's own throttles run after authentication, so they never see a wrong token; this one is
    consulted by `ThrottledTokenAuthentication` after a token failed. The client address honours
    `NUM_PROXIES` (DRF's `get_ident`). Without a cache (Redis down) it fails open: counting
    stops, and valid tokens keep working.
    """

    scope = "auth"
    # Set by SimpleRateThrottle.__init__ from the `auth` rate, which the settings always give
    # (DRF's stubs do not declare them).
    num_requests: int
    duration: int

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _history(self, request: Request) -> tuple[str, list[float]]:
        key = self.get_cache_key(request, None)
        now = self.timer()
        try:
            stored = self.cache.get(key, [])
        except Exception:  # the cache is down: count nothing
            logger.warning("Throttle cache unavailable; failed tokens are not counted")
            stored = []
        return key, [t for t in stored if t > now - self.duration]

    def blocked_for(self, request: Request) -> float | None:
        """Seconds to wait, or None when the client may try."""
        _key, history = self._history(request)
        if len(history) < self.num_requests:
            return None
        return max(self.duration - (self.timer() - history[-1]), 1)

    def record_failure(self, request: Request) -> None:
        key, history = self._history(request)
        history.insert(0, self.timer())
        try:
            self.cache.set(key, history, self.duration)
        except Exception:
            logger.warning("Throttle cache unavailable; a failed token was not counted")


class ThrottledTokenAuthentication(TokenAuthentication):
    """knox's hashed, expiring tokens, with failed attempts throttled per client address.

    A valid token is always accepted, even from an address that sent many wrong ones: one
    misconfigured script behind a shared gateway must not lock the other partners out. Wrong
    tokens from a blocked address get 429 instead of 401; guessing a token stays hopeless
    (knox keys carry 256 bits).
    """

    def authenticate(self, request: Request):
        throttle = FailedTokenThrottle()
        try:
            result = super().authenticate(request)
        except AuthenticationFailed:
            if not self._has_token_header(request):
                raise
            wait = throttle.blocked_for(request)
            throttle.record_failure(request)
            audit.record(
                action=AuditAction.TOKEN_FAILED,
                outcome=AuditOutcome.FAILURE,
                request=request._request,
            )
            if wait is not None:
                raise Throttled(
                    wait=wait, detail="Te veel mislukte aanmeldpogingen; probeer het later."
                ) from None
            raise
        if result is not None:
            self._audit_use(request, *result)
        return result

    def _audit_use(self, request: Request, user, token) -> None:
        key = f"audit-token-used:{token.token_key}"
        try:
            first_this_hour = cache.add(key, 1, TOKEN_USE_AUDIT_SECONDS)
        except Exception:
            first_this_hour = True
        if first_this_hour:
            audit.record(
                action=AuditAction.TOKEN_USED, actor=user, token=token, request=request._request
            )

    def _has_token_header(self, request: Request) -> bool:
        header = get_authorization_header(request).split()
        return (
            bool(header) and header[0].lower() == self.authenticate_header(request).lower().encode()
        )
