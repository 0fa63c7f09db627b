# Storage of observations kept to what a million-row upload must pay for (bench/ingest.py):
# every B-tree index costs about as much at COPY as the table itself, and the jsonb copy of the
# dimension values another third. One unique B-tree (organisation, period_start, indicator,
# dimension_key, period_type, upload) replaces the per-upload unique constraint, the cell read
# index and the (organisation, period_start) index: (period_start, period_type) determines the
# canonical period, so it refuses the same cell twice in an upload exactly as before, and its
# order serves the delivery overview and a cell's history. An upload's rows (written by one
# COPY, so lying together) are found through a BRIN index on upload_id (PostgreSQL only).
# `dimensions` is derived from `dimension_key` (Observation.dimensions).

from django.db import migrations, models

BRIN_SQL = """
CREATE INDEX observation_upload_brin ON dashboards_observation
    USING brin (upload_id) WITH (autosummarize = on);
"""
DROP_BRIN_SQL = "DROP INDEX IF EXISTS observation_upload_brin;"


def add_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BRIN_SQL, None)
    else:  # SQLite (the demo): a plain index does the same job
        schema_editor.execute(
            "CREATE INDEX observation_upload_brin ON dashboards_observation (upload_id)", None
        )


def drop_brin(apps, schema_editor):
    schema_editor.execute(DROP_BRIN_SQL, None)


def restore_dimensions(apps, schema_editor):
    """Reverse: refill the jsonb copy of the dimension values from dimension_key."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        ALTER TABLE dashboards_observation DISABLE TRIGGER observation_immutable;
        UPDATE dashboards_observation SET dimensions = COALESCE((
            SELECT jsonb_object_agg(split_part(part, '=', 1),
                                    substr(part, length(split_part(part, '=', 1)) + 2))
            FROM unnest(string_to_array(dimension_key, ';')) AS part
            WHERE part <> ''), '{}'::jsonb);
        ALTER TABLE dashboards_observation ENABLE TRIGGER observation_immutable;
        """,
        None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0005_rebuild_tables"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="observation",
            name="observation_unique_cell_per_upload",
        ),
        migrations.RemoveIndex(
            model_name="observation",
            name="dashboards__indicat_25c39f_idx",
        ),
        migrations.RemoveIndex(
            model_name="observation",
            name="observation_org_start",
        ),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.UniqueConstraint(
                fields=(
                    "organisation",
                    "period_start",
                    "indicator",
                    "dimension_key",
                    "period_type",
                    "upload",
                ),
                name="observation_cell_per_upload",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, restore_dimensions),
        migrations.RemoveField(
            model_name="observation",
            name="dimensions",
        ),
        migrations.RunPython(add_brin, drop_brin),
    ]
