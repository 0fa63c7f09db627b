"""Make and mail the notifications now (normally Celery beat's `notify` and daily digest)."""

from django.core.management.base import BaseCommand

from governance.notifications import services


class Command(BaseCommand):
    help = "Make the notifications due now and mail them; --digest also sends the daily digests."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="also send the daily digests")

    def handle(self, *args, **options):
        created = services.create_notifications()
        mailed = services.send_immediate_mail()
        digests = services.send_daily_digest() if options["digest"] else 0
        self.stdout.write(
            f"Notifications: {created} new, {mailed} mailed at once, {digests} digests sent."
        )
