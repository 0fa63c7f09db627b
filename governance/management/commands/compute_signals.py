"""Compute the PDCA signals now (normally run at the end of every dashboard rebuild)."""

from django.core.management.base import BaseCommand

from governance.steering.signals import compute_signals


class Command(BaseCommand):
    help = "Compare the current approved figures with targets and forecast, check milestones and deliveries."

    def handle(self, *args, **options):
        run = compute_signals()
        self.stdout.write(
            f"Signals: {run.opened} opened, {run.refreshed} still open, {run.closed} closed."
        )
