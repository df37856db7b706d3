"""The home page's queries work in memory: no sort or hash spills to disk as the guides grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides.tests.factories import CategoryFactory, GuideFactory, RankedProductFactory
from products.tests.factories import ProductFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: EXPLAIN ANALYZE and work_mem (set DATABASE_URL)",
    ),
]

INTRO = " ".join(["L-glutamine fuels the cells lining the gut, and some trials used it after surgery."] * 12)


def spills(node):
    """The plan nodes, from EXPLAIN's JSON, that wrote to disk: a sort or a hash table too big for work_mem."""
    found = [node] if node.get("Sort Space Type") == "Disk" or node.get("Disk Usage", 0) > 0 else []
    found += [node] if "external" in node.get("Sort Method", "") else []
    for child in node.get("Plans", []):
        found += spills(child)
    return found


def test_no_query_of_the_home_page_spills_to_disk(client):
    products = ProductFactory.create_batch(5)
    category = CategoryFactory()
    for n in range(40):
        guide = GuideFactory(category=category, intro=INTRO, featured=n < 3)
        for product in products:
            RankedProductFactory(guide=guide, product=product)
    with connection.cursor() as cursor:
        # The least memory a sort may have: 40 guides in it behave as the bench's hundreds do in the usual 4 MB.
        cursor.execute("SET LOCAL work_mem = '64kB'")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert len(selects) >= 4  # featured, recent, categories and their counts
    for sql in selects:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            [plan] = cursor.fetchone()[0]
        assert spills(plan["Plan"]) == [], sql
