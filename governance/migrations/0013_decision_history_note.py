# A decision's status change keeps its note whole beside the (100-character) history reason.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0012_calendar_feeds'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaldecision',
            name='history_note',
            field=models.TextField(blank=True, default='', verbose_name='toelichting'),
        ),
    ]
