# Search ranks every match, and ranking an expression index's match means
# parsing the guide's text again. Instead PostgreSQL keeps the vector in a
# stored generated column, computed on every insert and update (and for the
# rows already there when the column is added), and the GIN index covers the
# column. The dictionary and weights are those of 0007, so results and their
# order stay the same. PostgreSQL only, as 0007 was: SQLite searches in Python
# (readers/search.py) and gets no column, so the model does not declare it.
#
# PostgreSQL refuses to change the type of a column that a generated column
# reads: a migration altering title or intro must drop search_vector first and
# add it back after.

from django.db import migrations

VECTOR = """
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(intro, '')), 'B')
"""
FORWARD = [
    "DROP INDEX guides_guide_search",
    f"ALTER TABLE guides_guide ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX guides_guide_search ON guides_guide USING gin (search_vector)",
]
BACKWARD = [
    "ALTER TABLE guides_guide DROP COLUMN search_vector",  # and its index
    f"CREATE INDEX guides_guide_search ON guides_guide USING gin (({VECTOR}))",
]


def run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0012_merge_drafts_and_phone_page"),
    ]

    operations = [
        migrations.RunPython(run_on_postgres(FORWARD), run_on_postgres(BACKWARD), elidable=False),
    ]
