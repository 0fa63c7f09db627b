"""`python manage.py rebuild_dashboards`: run a full rebuild now, in the foreground."""

from django.core.management.base import BaseCommand, CommandError

from dashboards.models import Indicator, RebuildTrigger
from dashboards.rebuild.build import RebuildInProgress, rebuild_dashboards


class Command(BaseCommand):
    help = "Rebuild the dashboard tables from the current approved figures, in the foreground."

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            metavar="CODE",
            help="rebuild only this indicator (repeatable); default: everything",
        )

    def handle(self, *args, indicator: list[str], **options):
        ids = list(Indicator.objects.filter(code__in=indicator).values_list("pk", flat=True))
        if len(ids) != len(set(indicator)):
            raise CommandError(f"Unknown indicator code among: {', '.join(indicator)}")
        try:
            rebuild = rebuild_dashboards(indicator_ids=ids or None, trigger=RebuildTrigger.COMMAND)
        except RebuildInProgress as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            raise CommandError(f"Rebuild failed: {exc}") from exc
        self.stdout.write(
            f"Rebuild {rebuild.pk} {rebuild.status}: {rebuild.rows} rows in {rebuild.duration:.2f} s."
        )
