"""The client's address, taken only from the reverse proxies we were told to trust.

`NUM_PROXIES` (DRF's setting, also used here for the audit trail and the lockout) says how many
proxies in front of the portal append to `X-Forwarded-For`. With 0 the header is ignored: anyone
can write it, so trusting it lets a client pick a fresh address per request and slip past every
per-address throttle.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client as seen by the outermost trusted proxy (or the socket)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "NUM_PROXIES", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            candidate = addresses[-min(proxies, len(addresses))]
            return candidate if _is_ip(candidate) else remote
    return remote


def client_ip_for_axes(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address the audit trail records."""
    return client_ip(request)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
