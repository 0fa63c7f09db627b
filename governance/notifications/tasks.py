"""Celery beat tasks of the notifications: thin, idempotent (see `services`)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def notify() -> dict[str, int]:
    """Make what is worth telling now and mail it to those who want it at once. Idempotent: a
    notification exists once per (user, key) and is mailed once, however often this runs."""
    created = services.create_notifications()
    return {"created": created, "mailed": services.send_immediate_mail()}


@shared_task(acks_late=True)
def send_daily_digest() -> int:
    """The daily digest mail. Idempotent: each notification is mailed once."""
    services.create_notifications()
    return services.send_daily_digest()
