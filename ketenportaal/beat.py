"""What Celery beat runs and when: heartbeat and health, scanning, purging, the nightly rebuild,
notifications, and the requeues that send lost work again. The times come from the environment
(settings.py documents the variables that the rest of the portal reads)."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from celery.schedules import crontab


def schedule(*, notify_every_minutes: float, digest_hour: int) -> dict[str, dict[str, Any]]:
    """CELERY_BEAT_SCHEDULE."""
    return {
        "heartbeat": {
            "task": "dashboards.health.tasks.heartbeat",
            "schedule": timedelta(seconds=float(os.environ.get("HEARTBEAT_SECONDS", "60"))),
        },
        "health-check": {
            "task": "dashboards.health.tasks.check_health",
            "schedule": timedelta(minutes=5),
        },
        "scan-waiting-uploads": {
            "task": "dashboards.uploads.tasks.scan_waiting_uploads",
            "schedule": timedelta(seconds=float(os.environ.get("CLAMAV_RETRY_SECONDS", "60"))),
        },
        "nightly-purge": {
            "task": "governance.accounts.tasks.purge_expired_task",
            "schedule": crontab(hour=os.environ.get("PURGE_HOUR", "3"), minute="30"),
        },
        "nightly-dashboard-rebuild": {
            "task": "dashboards.rebuild.tasks.scheduled_rebuild",
            # REBUILD_EVERY_SECONDS replaces the nightly time by an interval (the integration test).
            "schedule": (
                timedelta(seconds=float(os.environ["REBUILD_EVERY_SECONDS"]))
                if os.environ.get("REBUILD_EVERY_SECONDS")
                else crontab(
                    hour=os.environ.get("REBUILD_HOUR", "2"),
                    minute=os.environ.get("REBUILD_MINUTE", "0"),
                )
            ),
        },
        "notify": {
            "task": "governance.notifications.tasks.notify",
            "schedule": timedelta(minutes=notify_every_minutes),
        },
        "notification-digest": {
            "task": "governance.notifications.tasks.send_daily_digest",
            "schedule": crontab(hour=str(digest_hour), minute="0"),
        },
        # A lost message (broker outage, killed worker) delays work; these send it again.
        "requeue-stuck-uploads": {
            "task": "dashboards.uploads.tasks.requeue_stuck_uploads",
            "schedule": timedelta(minutes=5),
        },
        "requeue-waiting-rebuilds": {
            "task": "dashboards.rebuild.tasks.requeue_waiting_rebuilds",
            "schedule": timedelta(minutes=5),
        },
    }
