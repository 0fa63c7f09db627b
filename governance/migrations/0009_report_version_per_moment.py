"""Progress reports are numbered per reporting moment (v1, v2, …) instead of by their global id."""

from django.db import migrations, models


def number_per_moment(apps, schema_editor):
    ProgressReport = apps.get_model("governance", "ProgressReport")
    counters: dict[int, int] = {}
    for report in ProgressReport.objects.order_by("moment_id", "requested_at", "pk"):
        counters[report.moment_id] = counters.get(report.moment_id, 0) + 1
        report.version = counters[report.moment_id]
        report.save(update_fields=["version"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0008_consistency_rules")]

    operations = [
        migrations.AddField(
            model_name="progressreport",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, editable=False, verbose_name="versie"),
        ),
        migrations.RunPython(number_per_moment, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.UniqueConstraint(
                fields=("moment", "version"), name="report_version_per_moment"
            ),
        ),
    ]
