"""Fill an empty database with a plausible demo chain."""

from django.core.management.base import BaseCommand, CommandError

from actions.models import Action
from governance.demo.load import load_demo


class Command(BaseCommand):
    help = (
        "Fill an empty database with a plausible demo chain (recommendations, actions, milestones)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (and succeed) when data exists"
        )

    def handle(self, *args, if_empty: bool, **options):
        if Action.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds a chain; demo not loaded again.")
                return
            raise CommandError("The database is not empty; load_demo fills an empty database.")
        loaded = load_demo()
        self.stdout.write(
            f"Demo loaded: {loaded.recommendations} recommendations, {loaded.milestones} "
            f"milestones, {loaded.uploads} uploads of figures, {loaded.meetings} meetings, "
            f"{loaded.decisions} decisions, {loaded.targets} targets, {loaded.signals} signals, "
            f"{loaded.moments} reporting moments."
        )
