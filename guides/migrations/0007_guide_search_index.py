# The search index exists only on PostgreSQL, so it lives here rather than in
# Guide.Meta.indexes, which SQLite would also try to build. Its expression must
# stay the same as guides.search.GUIDE_VECTOR for queries to use it.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(
    SearchVector("title", weight="A", config="english") + SearchVector("intro", weight="B", config="english"),
    name="guides_guide_search",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("guides", "Guide"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("guides", "Guide"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0006_reader_site"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
