"""The digests of builds and releases are now sums of `hash_record_extended` (the columns' own
hashes) instead of hashes of the rows' text (`dashboards.rebuild.digests.row_hash`): the digests
made the old way are forgotten, so those pointers are compared row by row until the next full
rebuild gives them new ones (a patch keeps a pointer without a digest without one)."""

from django.db import migrations


def forget_digests(apps, schema_editor):
    for name in ("IndicatorBuild", "ReleaseBuild"):
        apps.get_model("dashboards", name).objects.exclude(digest=None).update(digest=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0019_build_digests"),
    ]

    operations = [
        migrations.RunPython(forget_digests, migrations.RunPython.noop),
    ]
