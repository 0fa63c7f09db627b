"""Celery tasks of the steering loop: thin wrappers around the services."""

from celery import shared_task

from .signals import compute_signals


@shared_task(acks_late=True)
def compute_signals_task(indicator_ids: list[int] | None = None) -> dict[str, int]:
    """Recompute the signals, of these indicators only (after an incremental rebuild) or all.
    Idempotent: running it twice leaves the same open signals (see `signals.compute_signals`);
    sent after every successful dashboard rebuild."""
    run = compute_signals(indicator_ids=indicator_ids)
    return {"opened": run.opened, "refreshed": run.refreshed, "closed": run.closed}
