"""Celery tasks of the accountability reports: thin wrappers around the services, taking ids."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def generate_progress_report(report_id: int) -> None:
    """Generate a queued progress report. Idempotent: a report already claimed or done is left
    alone (see `services.generate_progress_report`)."""
    services.generate_progress_report(report_id=report_id)
