"""Celery tasks of the steering loop: thin wrappers around the services."""

from celery import shared_task

from .signals import compute_signals


@shared_task(acks_late=True)
def compute_signals_task() -> dict[str, int]:
    """Recompute the signals. Idempotent: running it twice leaves the same open signals (see
    `signals.compute_signals`); sent after every successful dashboard rebuild."""
    run = compute_signals()
    return {"opened": run.opened, "refreshed": run.refreshed, "closed": run.closed}
