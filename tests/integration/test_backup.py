"""Backups that restore (issue 15): a populated portal is backed up, restored into a fresh
database and media folder, and compared table by table and file by file."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dashboards.models import Upload
from dashboards.uploads import approval, services
from governance.models import Organisation
from ketenportaal import backup
from tests.dashboards.factories import IND_Q1, csv_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def empty_database():
    """A new, empty PostgreSQL database beside the test database; dropped afterwards."""
    source = backup.Connection.from_django(connection.settings_dict)
    name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**{**source.psycopg(), "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = backup.Connection(
        name=name, user=source.user, password=source.password, host=source.host, port=source.port
    )
    try:
        yield target
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def url_of(db: backup.Connection) -> str:
    return f"postgres://{db.user}@{db.host or '127.0.0.1'}:{db.port or 5432}/{db.name}"


def counts_of(db: backup.Connection) -> dict[str, int]:
    with psycopg2.connect(**db.psycopg()) as conn, conn.cursor() as cursor:
        return backup.row_counts(cursor)


def hashes_of(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def populate(regie, ind_partner) -> None:
    ind = Organisation.objects.get(code="IND")
    first = services.submit_upload(organisation=ind, by=ind_partner, file=csv_file(IND_Q1))
    services.validate_upload(upload_id=first.pk)
    approval.approve_upload(upload=Upload.objects.get(pk=first.pk), by=regie)
    second = services.submit_upload(
        organisation=ind,
        by=ind_partner,
        file=csv_file("indicator,period,value\nasylum_pending,2024-04,x\n", name="fout.csv"),
    )
    services.validate_upload(upload_id=second.pk)


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
    media, empty_database, tmp_path, regie, ind_partner
):
    populate(regie, ind_partner)
    output = tmp_path / "backup"
    call_command("backup_portal", output=str(output))
    manifest = json.loads((output / "manifest.json").read_text())
    source = backup.Connection.from_django(connection.settings_dict)
    source_counts = counts_of(source)
    assert manifest["database"]["tables"]["dashboards_observation"] == 4
    assert len(manifest["media"]) == 2 == len(hashes_of(media))

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore_portal",
        str(output),
        database_url=url_of(empty_database),
        media_root=str(restored_media),
    )
    restored_counts = counts_of(empty_database)
    # The backup's own audit event came after the snapshot.
    source_counts["governance_auditevent"] -= 1
    assert restored_counts == source_counts
    assert restored_counts["dashboards_upload"] == 2
    assert hashes_of(restored_media) == hashes_of(media)
    # The restored database keeps its rules: observations and the audit trail stay append-only.
    with (
        psycopg2.connect(**empty_database.psycopg()) as conn,
        conn.cursor() as cursor,
        pytest.raises(psycopg2.errors.InsufficientPrivilege),
    ):
        cursor.execute("DELETE FROM governance_auditevent")


def test_a_restore_refuses_a_tampered_backup_and_a_database_that_is_not_empty(
    media, empty_database, tmp_path, regie, ind_partner
):
    populate(regie, ind_partner)
    output = tmp_path / "backup"
    call_command("backup_portal", output=str(output))
    source_url = url_of(backup.Connection.from_django(connection.settings_dict))
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore_portal", str(output), database_url=source_url, media_root=str(tmp_path / "m1")
        )
    tampered = next((output / "media").rglob("*.csv"))
    tampered.write_bytes(tampered.read_bytes() + b"\n")
    with pytest.raises(CommandError, match="sha256"):
        call_command(
            "restore_portal",
            str(output),
            database_url=url_of(empty_database),
            media_root=str(tmp_path / "m2"),
        )
    assert counts_of(empty_database) == {}
