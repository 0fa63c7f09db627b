"""`python manage.py check_heartbeat worker|beat`: exit 0 when that process's heartbeat is recent
(HEALTH_HEARTBEAT_MAX_AGE_SECONDS), 1 otherwise. Beat's container health check."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboards.health.status import portal_status


class Command(BaseCommand):
    help = "Check that the worker's or beat's heartbeat is recent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=["worker", "beat"])

    def handle(self, *args, **options) -> None:
        beat = portal_status()["heartbeats"][options["name"]]
        age = beat["age_seconds"]
        if age is None or age > settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS:
            raise CommandError(f"No recent heartbeat from the {options['name']} (age: {age} s).")
        self.stdout.write(f"{options['name']}: last heartbeat {age:.0f} s ago")
