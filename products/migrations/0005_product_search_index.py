# Search indexes exist only on PostgreSQL, so they live here rather than in
# the models' Meta.indexes, which SQLite would also try to build. Their
# expressions must stay the same as PRODUCT_VECTOR and BRAND_VECTOR in
# readers/search.py for queries to use them.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    (
        "Product",
        GinIndex(
            SearchVector("name", weight="A", config="english")
            + SearchVector("certifications", weight="C", config="english"),
            name="products_product_search",
        ),
    ),
    ("Brand", GinIndex(SearchVector("name", config="english"), name="products_brand_search")),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name, index in INDEXES:
            schema_editor.add_index(apps.get_model("products", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name, index in INDEXES:
            schema_editor.remove_index(apps.get_model("products", model_name), index)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0004_offer_token_unique"),
    ]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
