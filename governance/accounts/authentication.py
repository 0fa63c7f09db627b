"""API authentication: knox's hashed, expiring tokens, with failed attempts throttled.

Kept apart from ketenportaal.api because DRF imports authentication classes while
`rest_framework.views` is still loading: this module must not import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts failed token authentications per client address (scope `auth`).

    DRF's own throttles run after authentication, so they never see a wrong token; this one is
    consulted by `ThrottledTokenAuthentication` before the token is checked.
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
        history = [t for t in self.cache.get(key, []) if t > now - self.duration]
        return key, history

    def blocked_for(self, request: Request) -> float | None:
        """Seconds to wait, or None when the client may try."""
        _key, history = self._history(request)
        if len(history) < self.num_requests:
            return None
        return max(self.duration - (self.timer() - history[-1]), 1)

    def record_failure(self, request: Request) -> None:
        key, history = self._history(request)
        history.insert(0, self.timer())
        self.cache.set(key, history, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    """knox's hashed, expiring tokens, with failed attempts throttled per client address."""

    def authenticate(self, request: Request):
        throttle = FailedTokenThrottle()
        wait = throttle.blocked_for(request)
        if wait is not None and self._has_token_header(request):
            raise Throttled(
                wait=wait, detail="Te veel mislukte aanmeldpogingen; probeer het later."
            )
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure(request)
            raise

    def _has_token_header(self, request: Request) -> bool:
        header = get_authorization_header(request).split()
        return (
            bool(header) and header[0].lower() == self.authenticate_header(request).lower().encode()
        )
