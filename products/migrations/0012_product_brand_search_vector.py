# Search ranks every match, and ranking an expression index's match means
# parsing the row's text again. Instead PostgreSQL keeps each vector in a
# stored generated column, computed on every insert and update (and for the
# rows already there when the column is added), and the GIN indexes cover the
# columns. The dictionary and weights are those of 0005, so results and their
# order stay the same. PostgreSQL only, as 0005 was: SQLite searches in Python
# (readers/search.py) and gets no columns, so the models do not declare them.
#
# PostgreSQL refuses to change the type of a column that a generated column
# reads: a migration altering a product's name or certifications, or a brand's
# name, must drop search_vector first and add it back after.

from django.db import migrations

PRODUCT_VECTOR = """
    setweight(to_tsvector('english', coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(certifications, '')), 'C')
"""
BRAND_VECTOR = "to_tsvector('english', coalesce(name, ''))"
FORWARD = [
    "DROP INDEX products_product_search",
    f"ALTER TABLE products_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PRODUCT_VECTOR}) STORED",
    "CREATE INDEX products_product_search ON products_product USING gin (search_vector)",
    "DROP INDEX products_brand_search",
    f"ALTER TABLE products_brand ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({BRAND_VECTOR}) STORED",
    "CREATE INDEX products_brand_search ON products_brand USING gin (search_vector)",
]
BACKWARD = [
    "ALTER TABLE products_product DROP COLUMN search_vector",  # and its index
    f"CREATE INDEX products_product_search ON products_product USING gin (({PRODUCT_VECTOR}))",
    "ALTER TABLE products_brand DROP COLUMN search_vector",
    f"CREATE INDEX products_brand_search ON products_brand USING gin (({BRAND_VECTOR}))",
]


def run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0011_merge_one_row_per_observation"),
    ]

    operations = [
        migrations.RunPython(run_on_postgres(FORWARD), run_on_postgres(BACKWARD), elidable=False),
    ]
