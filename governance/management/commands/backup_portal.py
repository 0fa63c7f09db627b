"""`python manage.py backup_portal --output DIR`: a consistent backup of the portal (database
dump, private media, manifest with sha256); see ketenportaal.backup and the README."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from governance.accounts import audit
from governance.models import AuditAction
from ketenportaal import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the private media, with a manifest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, help="a new, empty folder for the backup")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("backup_portal backs up PostgreSQL; the SQLite demo needs none.")
        media_root = backup.media_location()
        try:
            manifest = backup.backup(
                database=backup.Connection.from_django(connection.settings_dict),
                media_root=media_root,
                output=Path(options["output"]),
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit.record(
            action=AuditAction.BACKUP,
            detail={"output": str(options["output"]), "files": len(manifest["media"])},
        )
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"Backup written to {options['output']}: {len(manifest['database']['tables'])} "
            f"tables, {rows} rows, {len(manifest['media'])} files."
        )
