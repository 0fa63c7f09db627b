"""Structured JSON logs (structlog) with a request id that the audit trail carries too.

Every request gets an id (a valid incoming `X-Request-ID` from the reverse proxy, or a new
one), bound to the log context for everything logged while it runs, answered in the
`X-Request-ID` header and stored on the audit events it causes. Celery tasks carry the id of
the request that sent them. One line per request names the URL *pattern*, not the path, so a
password-reset link's token never reaches a log; a processor blanks any field whose name says
it holds a secret, wherever it was logged from.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse

from .net import client_ip

logger = structlog.get_logger("ketenportaal.request")

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SECRET_KEYS = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|session|otp|code|key", re.IGNORECASE
)
# Keys that match the pattern above but hold no secret (ids, names of things).
NOT_SECRET = {"request_id", "token_key", "status_code", "event", "logger", "level"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    return str(structlog.contextvars.get_contextvars().get("request_id", ""))


def current_client_ip() -> str | None:
    return structlog.contextvars.get_contextvars().get("ip") or None


def redact_secrets(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: a field named like a secret is logged as `[redacted]`."""
    for key in list(event):
        if key not in NOT_SECRET and SECRET_KEYS.search(key):
            event[key] = "[redacted]"
    return event


def processors() -> list[Any]:
    """The processors shared by structlog's own loggers and by the standard logging ones."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
        structlog.processors.format_exc_info,
    ]


def configure(*, json: bool) -> dict[str, Any]:
    """Configure structlog and return the formatter definition for Django's LOGGING."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        "foreign_pre_chain": [structlog.stdlib.ExtraAdder(), *processors()],
    }


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """Django's LOGGING: every record through structlog to the console."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": configure(json=json)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # Celery logs every finished task at INFO; in-process (demo) that drowns the console.
        "loggers": {
            "axes": {"level": "WARNING"},
            "celery.app.trace": {"level": "WARNING"},
            "kombu.connection": {"level": "ERROR"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


class RequestIdMiddleware:
    """Binds a request id (and the client address) to the log context of each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id, ip=client_ip(request))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            duration = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request_id
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            method=request.method,
            route=match.route if match else "(no route)",
            status_code=response.status_code,
            duration_ms=duration,
            user_id=user.pk if user is not None and user.is_authenticated else None,
        )
        structlog.contextvars.clear_contextvars()
        return response


# ---------------------------------------------------------------- Celery


def bind_task_context(task_id: str | None, task: Any, **_kwargs: Any) -> None:
    """celery task_prerun: the task's logs carry the request id of the request that sent it."""
    structlog.contextvars.clear_contextvars()
    headers = getattr(getattr(task, "request", None), "headers", None) or {}
    request_id = (
        headers.get("request_id") or getattr(task.request, "request_id", None) or task_id or ""
    )
    structlog.contextvars.bind_contextvars(request_id=request_id, task=task.name)


def add_request_id_header(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """celery before_task_publish: send the current request id along with the task."""
    request_id = current_request_id()
    if headers is not None and request_id:
        headers["request_id"] = request_id


def clear_task_context(**_kwargs: Any) -> None:
    structlog.contextvars.clear_contextvars()
