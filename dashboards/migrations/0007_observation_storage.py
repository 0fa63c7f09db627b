# Ids of observations are taken from their identity sequence 1000 at a time per database session
# (CACHE 1000) instead of one at a time: a million-row COPY otherwise updates the sequence a
# million times, a tenth of its cost (bench/ingest.py). Ids stay unique and increasing within a
# session; a session that ends leaves a gap, and two sessions inserting at once interleave their
# id ranges. Nothing orders by an observation's id: an upload's rows are found by upload_id.

from django.db import migrations

CACHE_SQL = "ALTER TABLE dashboards_observation ALTER COLUMN id SET CACHE 1000;"
NO_CACHE_SQL = "ALTER TABLE dashboards_observation ALTER COLUMN id SET CACHE 1;"


def cache_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CACHE_SQL, None)


def one_id_at_a_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_CACHE_SQL, None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0006_observation_lean_storage"),
    ]

    operations = [
        migrations.RunPython(cache_ids, one_id_at_a_time),
    ]
