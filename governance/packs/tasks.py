"""Celery task of the board packs: a thin wrapper around the service, taking an id."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def generate_board_pack(pack_id: int) -> None:
    """Generate a queued board pack. Idempotent: a pack already claimed or done is left alone
    (see `services.generate_board_pack`)."""
    services.generate_board_pack(pack_id=pack_id)
