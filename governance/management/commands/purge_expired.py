"""`python manage.py purge_expired`: delete expired sessions, API tokens and lockout rows now
(Celery beat runs the same every night)."""

from django.core.management.base import BaseCommand

from governance.accounts.sessions import purge_expired


class Command(BaseCommand):
    help = "Delete expired sessions, expired API tokens and old lockout rows."

    def handle(self, *args, **options) -> None:
        counts = purge_expired()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
