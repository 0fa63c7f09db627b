# Forecast rounds (issue 12, item 3): a forecast's figures carry the month the forecast was
# published. The round is part of the cell: in the observations' unique cell constraint and in
# the current cells' key, so an upload supersedes only the rounds it holds. "" for every figure
# that is no forecast (adding a column with a constant default rewrites no rows).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0016_releases'),
        ('governance', '0014_audit_mfa_reset'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='currentcell',
            name='current_cell_unique',
        ),
        migrations.RemoveConstraint(
            model_name='observation',
            name='observation_cell_per_upload',
        ),
        migrations.AddField(
            model_name='currentcell',
            name='round',
            field=models.CharField(blank=True, db_default="", default="", max_length=7, verbose_name="ronde"),
        ),
        migrations.AddField(
            model_name='observation',
            name='round',
            field=models.CharField(blank=True, db_default="", default="", max_length=7, verbose_name="ronde"),
        ),
        migrations.AddConstraint(
            model_name='currentcell',
            constraint=models.UniqueConstraint(fields=('indicator', 'organisation', 'period', 'dimension_key', 'round'), name='current_cell_unique'),
        ),
        migrations.AddConstraint(
            model_name='observation',
            constraint=models.UniqueConstraint(fields=('organisation', 'period_start', 'indicator', 'dimension_key', 'period_type', 'round', 'upload'), name='observation_cell_per_upload'),
        ),
    ]
