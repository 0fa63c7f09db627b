# The dashboard tables as one row per series and year instead of one row per figure: a full
# rebuild of 10 million current cells wrote 15.9 million rows (most of them copies of the month
# figures), and writing them cost eight times the bare GROUP BY (bench/dashboards.py). A
# SeriesYear row holds the year's twelve months, four quarters and the year; the view
# `dashboards_seriespoint` unfolds it into the row-per-figure shape every reader already uses.
# On PostgreSQL the table is partitioned by rebuild (see partition_by_build). The figures of the
# builds readers see are carried over, so dashboards stay filled.

import django.db.models.deletion
from django.db import migrations, models

#: slot → (frequency, first month, label suffix, months a complete figure covers)
SLOTS = {
    **{n: ("month", n, f"-{n:02d}", 1) for n in range(1, 13)},
    **{12 + q: ("quarter", 3 * q - 2, f"-Q{q}", 3) for q in range(1, 5)},
    17: ("year", 1, "", 12),
}
COLUMNS = {
    **{n: f"m{n:02d}" for n in range(1, 13)},
    **{12 + q: f"q{q}" for q in range(1, 5)},
    17: "y",
}


def _case(template: str, default: str, *, months: bool = True) -> str:
    """CASE over the slots (without the month slots when `months` is false)."""
    whens = " ".join(
        f"WHEN {slot} THEN {template.format(COLUMNS[slot])}"
        for slot in SLOTS
        if months or SLOTS[slot][0] != "month"
    )
    return f"CASE p.slot {whens} ELSE {default} END"


def view_sql(vendor: str) -> str:
    values = ", ".join(
        f"({slot}, '{frequency}', {month}, '{suffix}', {expected})"
        for slot, (frequency, month, suffix, expected) in SLOTS.items()
    )
    if vendor == "postgresql":
        start = "make_date(s.year, p.month, 1)"
        slots = f"(VALUES {values}) AS p(slot, frequency, month, suffix, expected)"
    else:  # SQLite (the one-machine demo): no column list on VALUES, so name them in a SELECT
        start = "printf('%04d-%02d-01', s.year, p.month)"
        slots = (
            "(SELECT column1 AS slot, column2 AS frequency, column3 AS month, "
            f"column4 AS suffix, column5 AS expected FROM (VALUES {values})) AS p"
        )
    return f"""
        CREATE VIEW dashboards_seriespoint AS
        SELECT id, rebuild_id, indicator_id, organisation_id, frequency, period, period_start,
               dimension_key, value, months, months = expected AS complete, first_upload_id
        FROM (
            SELECT s.id * 32 + p.slot AS id, s.rebuild_id, s.indicator_id, s.organisation_id,
                   p.frequency, s.year || p.suffix AS period, {start} AS period_start,
                   s.dimension_key, {_case("s.{}", "NULL")} AS value,
                   {_case("s.{}_months", "1", months=False)} AS months, p.expected,
                   {_case("s.{}_upload", "NULL", months=False)} AS first_upload_id
            FROM dashboards_seriesyear s CROSS JOIN {slots}
        ) f
        WHERE value IS NOT NULL
    """


def create_view(apps, schema_editor):
    schema_editor.execute(view_sql(schema_editor.connection.vendor), None)


def drop_view(apps, schema_editor):
    schema_editor.execute("DROP VIEW IF EXISTS dashboards_seriespoint", None)


def partition_by_build(apps, schema_editor):
    """On PostgreSQL, SeriesYear becomes a table partitioned by rebuild: a rebuild loads its rows
    into a table of its own, indexes it once, and attaches it; a build no longer read is dropped
    as a whole instead of deleted row by row (see dashboards.rebuild)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        ALTER TABLE dashboards_seriesyear RENAME TO dashboards_seriesyear_plain;
        CREATE SEQUENCE dashboards_seriesyear_seq;
        CREATE TABLE dashboards_seriesyear (LIKE dashboards_seriesyear_plain)
            PARTITION BY LIST (rebuild_id);
        ALTER TABLE dashboards_seriesyear
            ALTER COLUMN id SET DEFAULT nextval('dashboards_seriesyear_seq');
        ALTER SEQUENCE dashboards_seriesyear_seq OWNED BY dashboards_seriesyear.id;
        DROP TABLE dashboards_seriesyear_plain;
        """,  # the read index follows from CreateModel's deferred SQL, on the partitioned table
        None,
    )


def carry_over(apps, schema_editor):
    """Fold the current builds' rows of the old table into SeriesYear rows."""
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT rebuild_id FROM dashboards_indicatorbuild")
            for (rebuild_id,) in cursor.fetchall():
                schema_editor.execute(
                    f"CREATE TABLE dashboards_seriesyear_{int(rebuild_id)} PARTITION OF "
                    f"dashboards_seriesyear FOR VALUES IN ({int(rebuild_id)})",
                    None,
                )
    year = "EXTRACT(year FROM period_start)" if postgres else "strftime('%Y', period_start)"
    month = "EXTRACT(month FROM period_start)" if postgres else "strftime('%m', period_start)"
    picks = []
    for slot, (frequency, first, _suffix, _expected) in SLOTS.items():
        where = f"FILTER (WHERE frequency = '{frequency}' AND CAST({month} AS INTEGER) = {first})"
        column = COLUMNS[slot]
        picks.append(f"MAX(value) {where} AS {column}")
        if frequency != "month":
            picks.append(f"MAX(months) {where} AS {column}_months")
            picks.append(f"MIN(first_upload_id) {where} AS {column}_upload")
    names = ", ".join(p.rsplit(" AS ", 1)[1] for p in picks)
    schema_editor.execute(
        f"""
        INSERT INTO dashboards_seriesyear
            (rebuild_id, indicator_id, organisation_id, dimension_key, year, {names})
        SELECT rebuild_id, indicator_id, organisation_id, dimension_key,
               CAST({year} AS INTEGER), {", ".join(picks)}
        FROM dashboards_seriespoint_old
        WHERE rebuild_id IN (SELECT rebuild_id FROM dashboards_indicatorbuild)
        GROUP BY rebuild_id, indicator_id, organisation_id, dimension_key, CAST({year} AS INTEGER)
        """,
        None,
    )


def slot_fields():
    fields = []
    for slot in SLOTS:
        column = COLUMNS[slot]
        fields.append((column, models.DecimalField(decimal_places=4, max_digits=24, null=True)))
        if SLOTS[slot][0] != "month":
            fields.append((f"{column}_months", models.PositiveSmallIntegerField(null=True)))
            fields.append((f"{column}_upload", models.BigIntegerField(null=True)))
    return fields


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0007_observation_storage"),
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeriesYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dimension_key", models.CharField(blank=True, default="", max_length=200)),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "indicator",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dashboards.indicator",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.organisation",
                    ),
                ),
                (
                    "rebuild",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dashboards.rebuild",
                    ),
                ),
                *slot_fields(),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["indicator", "rebuild", "organisation", "dimension_key", "year"],
                        name="seriesyear_read",
                    )
                ],
            },
        ),
        migrations.RunPython(partition_by_build, migrations.RunPython.noop),
        migrations.AlterModelTable(name="seriespoint", table="dashboards_seriespoint_old"),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="SeriesPoint"),
        migrations.CreateModel(
            name="SeriesPoint",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                (
                    "frequency",
                    models.CharField(
                        choices=[("month", "maand"), ("quarter", "kwartaal"), ("year", "jaar")],
                        max_length=10,
                    ),
                ),
                ("period", models.CharField(max_length=7)),
                ("period_start", models.DateField()),
                ("dimension_key", models.CharField(blank=True, default="", max_length=200)),
                ("value", models.DecimalField(decimal_places=4, max_digits=24)),
                ("months", models.PositiveSmallIntegerField()),
                ("complete", models.BooleanField()),
                ("first_upload_id", models.BigIntegerField(null=True)),
                (
                    "indicator",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dashboards.indicator",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.organisation",
                    ),
                ),
                (
                    "rebuild",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dashboards.rebuild",
                    ),
                ),
            ],
            options={"db_table": "dashboards_seriespoint", "managed": False},
        ),
        migrations.RunPython(create_view, drop_view),
    ]
