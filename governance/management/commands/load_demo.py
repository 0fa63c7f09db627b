"""Fill an empty database with a plausible demo chain."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions import demo as actions_demo
from actions.models import Action
from dashboards import demo as dashboards_demo
from dashboards.rebuild import rebuilds_deferred
from governance import demo as governance_demo
from governance import demo_boards
from governance.models import Organisation, Role
from governance.services import save_portal_user


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
        with transaction.atomic():
            jenv = Organisation.objects.get(code="JENV")
            # The demo's author of progress reports; demo_logins gives it a password.
            regie, _created, _token = save_portal_user(
                username="regie", organisation=jenv, role=Role.REGIE
            )
            recommendations = governance_demo.build()
            milestones = actions_demo.build()
            # Figures before boards: the boards' demo computes signals from them.
            # One full rebuild afterwards (make demo runs rebuild_dashboards), not one per approval.
            with rebuilds_deferred():
                uploads = dashboards_demo.build()
            boards = demo_boards.build(by=regie)
            moments = governance_demo.build_reporting_moments(by=regie)
        self.stdout.write(
            f"Demo loaded: {len(recommendations)} recommendations, {milestones} milestones, "
            f"{uploads} uploads of figures, {boards['meetings']} meetings, "
            f"{boards['decisions']} decisions, {boards['targets']} targets, "
            f"{boards['signals']} signals, {moments} reporting moments."
        )
