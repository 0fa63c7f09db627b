"""Upload findings carry their message in Dutch and English (issue 13, one language at a time).

Existing findings were written in their uploader's language only, and cannot be rendered again
(their parameters were not kept). Those of English uploads get their text as `message_en` too,
so English readers keep reading it in English; `message` keeps what it held, which is what a
Dutch reader falls back to. Findings of Dutch uploads have no English text: English readers
see the Dutch one. New findings are rendered in both languages at validation.
"""

from django.db import migrations, models
from django.db.models import F


def english_uploads_keep_their_english(apps, schema_editor):
    UploadIssue = apps.get_model("dashboards", "UploadIssue")
    Upload = apps.get_model("dashboards", "Upload")
    english = Upload.objects.filter(language__startswith="en").values("pk")
    UploadIssue.objects.filter(upload_id__in=english).update(message_en=F("message"))


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0017_forecast_rounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="uploadissue",
            name="message_en",
            field=models.TextField(blank=True, default="", verbose_name="melding (Engels)"),
        ),
        migrations.RunPython(english_uploads_keep_their_english, migrations.RunPython.noop),
    ]
