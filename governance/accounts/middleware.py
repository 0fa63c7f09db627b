"""Session rules that every request passes: the second factor, and the idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import mfa

#: Paths an unverified session may use: the second-factor pages themselves, logging out,
#: the language switch, static files and the health endpoints.
OPEN_PREFIXES = ("/static/", "/i18n/", "/jsi18n/", "/livez", "/readyz", "/oidc/")
LAST_SEEN_KEY = "last_seen"


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("login"),
        reverse("logout"),
        reverse("mfa-setup"),
        reverse("mfa-verify"),
        reverse("mfa-recovery"),
    )


class SecondFactorMiddleware:
    """Until a session is verified, a user who must pass a second factor only reaches the
    verify page (they have a device) or the set-up page (their role requires one).

    Comes after django-otp's OTPMiddleware. API requests with a token carry no session and pass
    untouched; a session-authenticated API call that lacks the factor gets 403 in JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not user.is_authenticated
            or request.path_info.startswith(OPEN_PREFIXES)
            or request.path_info in _open_paths()
        ):
            return self.get_response(request)
        if mfa.session_is_verified(request):
            return self.get_response(request)
        if request.path_info.startswith("/admin/") or mfa.applies_to(user):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"message": _("Bevestig eerst uw tweede factor in het portaal.")},
                    status=403,
                )
            target = "mfa-verify" if mfa.has_second_factor(user) else "mfa-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends a session that saw no request for SESSION_IDLE_SECONDS (0: never).

    The time of the last request is kept in the session, rewritten at most once a minute so a
    busy page does not save its session on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = settings.SESSION_IDLE_SECONDS
        if idle and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > idle:
                logout(request)
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"message": _("Uw sessie is verlopen; log opnieuw in.")}, status=403
                    )
                messages.info(request, _("U was te lang niet actief en bent uitgelogd."))
                return redirect(
                    f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
