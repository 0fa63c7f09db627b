"""Celery tasks of the governance app: thin wrappers around the services, taking ids."""

from celery import shared_task

from . import reports
from .loop import compute_signals


@shared_task(acks_late=True)
def compute_signals_task() -> dict[str, int]:
    """Recompute the signals. Idempotent: running it twice leaves the same open signals (see
    governance.loop.compute_signals); meant to be chained after a dashboard rebuild."""
    run = compute_signals()
    return {"opened": run.opened, "refreshed": run.refreshed, "closed": run.closed}


@shared_task(acks_late=True)
def generate_progress_report(report_id: int) -> None:
    """Generate a queued progress report. Idempotent: a report already claimed or done is left
    alone (see reports.generate_progress_report)."""
    reports.generate_progress_report(report_id=report_id)
