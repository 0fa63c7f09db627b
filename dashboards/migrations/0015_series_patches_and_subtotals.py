# A rebuild after an approval patches only the series-years its cells touch (issue 14): the rows
# of SeriesYear say which rebuild wrote them and which replaced them, the pointer of an indicator
# names the build whose partition holds its rows (`base`) beside the last one that changed them,
# and a rebuild remembers the uploads whose cells it recomputes. The view `dashboards_seriespoint`
# carries the two new columns, so readers can pick the rows of the build they follow.

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
               dimension_key, value, months, months = expected AS complete, first_upload_id,
               written_by, replaced_by
        FROM (
            SELECT s.id * 32 + p.slot AS id, s.rebuild_id, s.indicator_id, s.organisation_id,
                   p.frequency, s.year || p.suffix AS period, {start} AS period_start,
                   s.dimension_key, {_case("s.{}", "NULL")} AS value,
                   {_case("s.{}_months", "1", months=False)} AS months, p.expected,
                   {_case("s.{}_upload", "NULL", months=False)} AS first_upload_id,
                   s.written_by, s.replaced_by
            FROM dashboards_seriesyear s CROSS JOIN {slots}
        ) f
        WHERE value IS NOT NULL
    """


def drop_view(apps, schema_editor):
    schema_editor.execute("DROP VIEW IF EXISTS dashboards_seriespoint", None)


def create_view(apps, schema_editor):
    schema_editor.execute(view_sql(schema_editor.connection.vendor), None)


def written_by_its_build(apps, schema_editor):
    """Rows built before patches existed were all written by their partition's own build; the
    rebuilds that ran get their id as their version."""
    schema_editor.execute(
        "UPDATE dashboards_rebuild SET version = id WHERE status <> 'queued'", None
    )
    schema_editor.execute("UPDATE dashboards_seriesyear SET written_by = rebuild_id", None)
    schema_editor.execute("UPDATE dashboards_indicatorbuild SET base_id = rebuild_id", None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0014_seed_catalogue_labels"),
    ]

    operations = [
        migrations.RunPython(drop_view, create_view),
        migrations.AddField(
            model_name="rebuild",
            name="upload_ids",
            field=models.JSONField(blank=True, default=list, verbose_name="aanleveringen"),
        ),
        migrations.AddField(
            model_name="rebuild",
            name="version",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="volgnummer"),
        ),
        migrations.AddField(
            model_name="seriesyear",
            name="written_by",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="seriesyear",
            name="replaced_by",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="indicatorbuild",
            name="base",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="dashboards.rebuild",
            ),
        ),
        migrations.RunPython(written_by_its_build, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicatorbuild",
            name="base",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="dashboards.rebuild"
            ),
        ),
        migrations.AddIndex(
            model_name="seriesyear",
            index=models.Index(
                condition=models.Q(organisation__isnull=False),
                fields=["indicator", "rebuild", "dimension_key", "year"],
                name="seriesyear_chain",
            ),
        ),
        migrations.AddIndex(
            model_name="seriesyear",
            index=models.Index(
                condition=models.Q(replaced_by__isnull=False),
                fields=["replaced_by"],
                name="seriesyear_replaced",
            ),
        ),
        migrations.AddField(
            model_name="seriespoint",
            name="written_by",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="seriespoint",
            name="replaced_by",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(create_view, drop_view),
    ]
