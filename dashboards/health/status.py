"""The portal's operational status for `regie` and `admin`: the last successful rebuild, the
heartbeats of worker and beat, the uploads waiting, and the alarms raised from them."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from dashboards.models import (
    Heartbeat,
    PendingScan,
    QuarantinedFile,
    Rebuild,
    RebuildScope,
    Upload,
    UploadStatus,
)

logger = logging.getLogger(__name__)


def record_heartbeat(name: str) -> None:
    """Move the heartbeat of `name` (`worker`, `beat`) to now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def _age_seconds(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def portal_status(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything the status endpoint answers, with `alarms`: a list of {code, message}."""
    now = now or timezone.now()
    last_full = (
        Rebuild.objects.succeeded().filter(scope=RebuildScope.FULL).order_by("-finished_at").first()
    )
    last_any = Rebuild.objects.last_succeeded()
    beats = {beat.name: beat.at for beat in Heartbeat.objects.all()}
    waiting = Upload.objects.filter(status__in=[UploadStatus.RECEIVED, UploadStatus.VALIDATING])
    oldest_waiting = waiting.aggregate(oldest=Min("uploaded_at"))["oldest"]
    alarms = []
    full_age = _age_seconds(last_full.finished_at if last_full else None, now)
    if full_age is None or full_age > settings.HEALTH_REBUILD_MAX_AGE_HOURS * 3600:
        alarms.append(
            {
                "code": "rebuild_missed",
                "message": f"No successful full rebuild in the last {settings.HEALTH_REBUILD_MAX_AGE_HOURS:g} hours.",
            }
        )
    wait_age = _age_seconds(oldest_waiting, now)
    if wait_age is not None and wait_age > settings.HEALTH_UPLOAD_MAX_WAIT_MINUTES * 60:
        alarms.append(
            {
                "code": "upload_waiting",
                "message": f"An upload has waited for validation longer than {settings.HEALTH_UPLOAD_MAX_WAIT_MINUTES:g} minutes.",
            }
        )
    for name in ("worker", "beat"):
        age = _age_seconds(beats.get(name), now)
        if age is None or age > settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS:
            alarms.append({"code": f"{name}_silent", "message": f"No heartbeat from the {name}."})
    return {
        "checked_at": now,
        "last_successful_rebuild": _rebuild(last_any, now),
        "last_successful_full_rebuild": _rebuild(last_full, now),
        "heartbeats": {
            name: {"at": beats.get(name), "age_seconds": _age_seconds(beats.get(name), now)}
            for name in ("worker", "beat")
        },
        "uploads_waiting": waiting.count(),
        "oldest_upload_waiting_since": oldest_waiting,
        "uploads_waiting_for_scan": PendingScan.objects.count(),
        "files_in_quarantine": QuarantinedFile.objects.count(),
        "alarms": alarms,
        "healthy": not alarms,
    }


def _rebuild(rebuild: Rebuild | None, now: datetime.datetime) -> dict[str, Any] | None:
    if rebuild is None:
        return None
    return {
        "id": rebuild.pk,
        "scope": rebuild.scope,
        "finished_at": rebuild.finished_at,
        "age_seconds": _age_seconds(rebuild.finished_at, now),
    }


def log_alarms() -> list[str]:
    """Log each alarm at ERROR (for the log monitor); returns their codes."""
    alarms = portal_status()["alarms"]
    for alarm in alarms:
        logger.error("health alarm: %s", alarm["message"], extra={"alarm": alarm["code"]})
    return [alarm["code"] for alarm in alarms]
