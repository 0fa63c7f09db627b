"""Liveness and readiness for the orchestrator (DESIGN.md, Health).

`/livez`: 200 while the process answers. `/readyz`: 200 when the database, the broker and the
cache answer, else 503 naming the failing part — and nothing else: no versions, no data, no
login needed. Every check has a short timeout, so a hung dependency makes the answer 503, not
slow.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2.0


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    """The Celery broker answers (Redis PING). The in-memory broker of the demo always does."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return
    _redis_ping(url)


def check_cache() -> None:
    """The shared cache answers. Asked directly: the cache backend itself degrades silently."""
    if getattr(settings, "CACHE_URL", ""):
        _redis_ping(settings.CACHE_URL)
    else:
        cache.get("readyz")


def _redis_ping(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss"}:
        return
    with socket.create_connection(
        (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=TIMEOUT_SECONDS
    ) as sock:
        sock.settimeout(TIMEOUT_SECONDS)
        if parsed.password:
            user = parsed.username or "default"
            sock.sendall(_command("AUTH", user, parsed.password))
            if not sock.recv(64).startswith(b"+OK"):
                raise ConnectionError("AUTH refused")
        sock.sendall(_command("PING"))
        if not sock.recv(64).startswith(b"+PONG"):
            raise ConnectionError("no PONG")


def _command(*parts: str) -> bytes:
    out = f"*{len(parts)}\r\n"
    for part in parts:
        out += f"${len(part.encode())}\r\n{part}\r\n"
    return out.encode()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            logger.warning("readyz: %s is not ready (%s)", name, type(exc).__name__)
            failing.append(name)
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})
