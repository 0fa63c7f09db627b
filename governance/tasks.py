"""Celery tasks of the governance app: thin wrappers around services, taking ids."""

from celery import shared_task

from . import reports


@shared_task(acks_late=True)
def generate_progress_report(report_id: int) -> None:
    """Generate a queued progress report. Idempotent: a report already claimed or done is left
    alone (see reports.generate_progress_report)."""
    reports.generate_progress_report(report_id=report_id)
