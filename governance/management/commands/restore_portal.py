"""`python manage.py restore_portal DIR --database-url URL [--media-root PATH]`: restore a
backup of backup_portal into an empty database and an empty media folder, verifying every
file's sha256 and every table's row count; see ketenportaal.backup and the README."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ketenportaal import backup


class Command(BaseCommand):
    help = "Restore a portal backup into an empty database and media folder, and verify it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup_dir", help="the folder backup_portal wrote")
        parser.add_argument(
            "--database-url", required=True, help="postgres://… of an empty database"
        )
        parser.add_argument(
            "--media-root",
            help="an empty folder for the media (default: MEDIA_ROOT of these settings)",
        )

    def handle(self, *args, **options) -> None:
        media_root = (
            Path(options["media_root"]) if options["media_root"] else backup.media_location()
        )
        try:
            result = backup.restore(
                backup_dir=Path(options["backup_dir"]),
                database=backup.Connection.from_url(options["database_url"]),
                media_root=media_root,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored and verified: {result['tables']} tables, {result['rows']} rows, "
            f"{result['files']} files (sha256 and row counts match the manifest)."
        )
