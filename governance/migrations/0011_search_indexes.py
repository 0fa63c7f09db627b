"""GIN indexes for the portal's search (governance.search) on PostgreSQL: the same `dutch`
text-search vectors the search builds, so a search uses the index. Nothing on SQLite."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = {
    "Recommendation": ("recommendation_search", ["code", "text"]),
    "Decision": ("decision_search", ["number", "title", "text"]),
    "Meeting": ("meeting_search", ["title", "location", "minutes"]),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("governance", model_name)
        schema_editor.add_index(model, GinIndex(SearchVector(*fields, config="dutch"), name=name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("governance", model_name)
        schema_editor.remove_index(
            model, GinIndex(SearchVector(*fields, config="dutch"), name=name)
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0010_notifications_and_board_packs")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
