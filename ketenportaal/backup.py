"""Backups that restore (issue 15): a consistent PostgreSQL dump, the private media, and a
manifest with the sha256 of every file and the row count of every table.

Consistency: the row counts are taken in a REPEATABLE READ transaction whose snapshot is
exported and handed to `pg_dump --snapshot`, so the dump holds exactly the rows counted. The
media are copied after the dump: a file is stored before the row naming it commits, so every
file the dump refers to exists by then (a file written later is an unreferenced extra).

A restore goes into an empty database and an empty media folder only, verifies every file's
sha256 against the manifest before it touches anything, and compares the row counts after.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

import psycopg2
from django.conf import settings
from psycopg2 import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass(frozen=True)
class Connection:
    """libpq connection parameters, from Django's settings or a postgres:// URL."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_django(cls, settings_dict: dict[str, Any]) -> Connection:
        return cls(
            name=settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Connection:
        parsed = urlparse(url)
        if parsed.scheme not in {"postgres", "postgresql"}:
            raise BackupError(f"Not a PostgreSQL URL: {parsed.scheme}://…")
        return cls(
            name=unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
        )

    def psycopg(self) -> dict[str, str]:
        params = {"dbname": self.name, "user": self.user, "host": self.host, "port": self.port}
        if self.password:
            params["password"] = self.password
        return {key: value for key, value in params.items() if value}

    def cli(self) -> tuple[list[str], dict[str, str]]:
        """Arguments and environment for pg_dump/pg_restore (the password never on argv)."""
        args = ["--dbname", self.name]
        for flag, value in (
            ("--host", self.host),
            ("--port", self.port),
            ("--username", self.user),
        ):
            if value:
                args += [flag, value]
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return args, env


def media_location() -> Path:
    """The folder of the private media: original uploads, quarantine and generated reports."""
    storage = cast(dict[str, Any], settings.STORAGES["default"])
    return Path(storage["OPTIONS"]["location"])


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


# ---------------------------------------------------------------- backup


def backup(*, database: Connection, media_root: Path, output: Path) -> dict[str, Any]:
    """Write dump, media and manifest to `output` (which must not exist or be empty)."""
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: a backup goes into a new folder.")
    output.mkdir(parents=True, exist_ok=True)
    args, env = database.cli()
    connection = psycopg2.connect(**database.psycopg())
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
            result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
                [
                    _program("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(output / DUMP),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    finally:
        connection.rollback()
        connection.close()
    media_files = _copy_media(media_root, output / MEDIA)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {
            "file": DUMP,
            "sha256": sha256_of(output / DUMP),
            "size": (output / DUMP).stat().st_size,
            "tables": counts,
        },
        "media": media_files,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _copy_media(source: Path, target: Path) -> list[dict[str, Any]]:
    target.mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    if not source.exists():
        return files
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files.append(
            {
                "path": relative.as_posix(),
                "sha256": sha256_of(destination),
                "size": destination.stat().st_size,
            }
        )
    return files


# ---------------------------------------------------------------- restore


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    path = backup_dir / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} is missing: not a portal backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify(backup_dir: Path, manifest: dict[str, Any]) -> None:
    """Every file of the backup has the size and sha256 the manifest names (BackupError)."""
    entries = [
        (backup_dir / manifest["database"]["file"], manifest["database"]["sha256"]),
        *((backup_dir / MEDIA / item["path"], item["sha256"]) for item in manifest["media"]),
    ]
    for path, expected in entries:
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup.")
        if sha256_of(path) != expected:
            raise BackupError(f"{path} does not match its sha256 in the manifest.")


def restore(*, backup_dir: Path, database: Connection, media_root: Path) -> dict[str, Any]:
    """Restore into an empty database and an empty media folder; verify files and row counts."""
    manifest = read_manifest(backup_dir)
    verify(backup_dir, manifest)
    connection = psycopg2.connect(**database.psycopg())
    try:
        with connection.cursor() as cursor:
            if _tables(cursor):
                raise BackupError(f"Database {database.name} is not empty: restore into a new one.")
    finally:
        connection.close()
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore the media into a new folder.")
    args, env = database.cli()
    result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        [
            _program("pg_restore"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(backup_dir / manifest["database"]["file"]),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media_root.mkdir(parents=True, exist_ok=True)
    for item in manifest["media"]:
        source = backup_dir / MEDIA / item["path"]
        destination = media_root / item["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        if sha256_of(destination) != item["sha256"]:
            raise BackupError(f"{destination} does not match its sha256 after copying.")
    connection = psycopg2.connect(**database.psycopg())
    try:
        with connection.cursor() as cursor:
            restored = row_counts(cursor)
    finally:
        connection.close()
    differing = {
        table: (count, restored.get(table))
        for table, count in manifest["database"]["tables"].items()
        if restored.get(table) != count
    }
    if differing:
        raise BackupError(f"Row counts differ after the restore (backup, restored): {differing}")
    return {
        "tables": len(restored),
        "rows": sum(restored.values()),
        "files": len(manifest["media"]),
    }
