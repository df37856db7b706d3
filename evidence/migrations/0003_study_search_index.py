# The search index exists only on PostgreSQL, so it lives here rather than in
# Study.Meta.indexes, which SQLite would also try to build. Its expression must
# stay the same as STUDY_VECTOR in readers/search.py for queries to use it.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(
    SearchVector("title", weight="A", config="english")
    + SearchVector("finding", weight="B", config="english")
    + SearchVector("authors", weight="B", config="english")
    + SearchVector("summary", weight="C", config="english"),
    name="evidence_study_search",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("evidence", "Study"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("evidence", "Study"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_study_details_topics_claims"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
