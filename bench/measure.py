"""In-process measurements for `make bench` (bench/run.py): Django's test client, no HTTP server.

The guide pages and the home page with the page cache cold and warm, search,
and how many cached pages one change empties.
"""

import statistics
import time
from urllib.parse import urlencode

GUIDE_REQUESTS = {"uncached": 30, "cached": 300}
SEARCH_QUERIES = [
    "glutamine",
    "magnesium sleep",
    "vitamin d3 immunity",
    "creatine muscle strength",
    "fish oil blood pressure",
]
SEARCH_REQUESTS = 5


def median_ms(timings):
    return round(statistics.median(timings) * 1000, 2)


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, response


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # thousands of pages are counted; only this one's queries matter
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def measure_guide_page(client, url):
    """Uncached: the page cache keeps nothing (as DJANGO_PAGE_CACHE_SECONDS=0), what a guide's text keeps stays."""
    from django.conf import settings
    from django.core.cache import cache

    lifetime = settings.READER_PAGE_CACHE_SECONDS
    settings.READER_PAGE_CACHE_SECONDS = 0
    try:
        cache.clear()
        client.get(url)  # compile templates, open the database connection, render the guide's text once
        uncached_queries = count_queries(client, url)
        uncached = []
        for _ in range(GUIDE_REQUESTS["uncached"]):
            elapsed, response = timed_get(client, url)
            uncached.append(elapsed)
    finally:
        settings.READER_PAGE_CACHE_SECONDS = lifetime
    client.get(url)
    cached_queries = count_queries(client, url)
    cached = [timed_get(client, url)[0] for _ in range(GUIDE_REQUESTS["cached"])]
    return {
        "url": url,
        "bytes": len(response.content),
        "queries_uncached": uncached_queries,
        "queries_cached": cached_queries,
        "median_ms_uncached": median_ms(uncached),
        "median_ms_cached": median_ms(cached),
        "requests": GUIDE_REQUESTS,
    }


def measure_search(client, search_url):
    from django.core.cache import cache

    from readers.search import search

    queries = {}
    for query in SEARCH_QUERIES:
        url = f"{search_url}?{urlencode({'q': query})}"
        cache.clear()
        client.get(url)
        cache.clear()
        sql_queries = count_queries(client, url)
        timings = []
        for _ in range(SEARCH_REQUESTS):
            cache.clear()
            timings.append(timed_get(client, url)[0])
        queries[query] = {"median_ms": median_ms(timings), "results": search(query).count, "sql_queries": sql_queries}
    return {
        "queries": queries,
        "median_ms": round(statistics.median(q["median_ms"] for q in queries.values()), 2),
        "requests_per_query": SEARCH_REQUESTS,
    }


def measure_invalidation(client, vendor_guides):
    """How many of the site's cached reader pages one new price, and one guide edit, empty.

    Every guide and product page of the dataset, the lists and a search are
    cached; then one offer of a ranked product gets a new price (saved as the
    admin saves it), and separately one guide gets a new FAQ. A page counts as
    emptied when answering it runs a query. Both changes are rolled back.
    """
    from django.db import transaction

    from guides.models import FAQ, RankedProduct
    from products.models import Offer

    ranked = RankedProduct.objects.filter(guide__in=vendor_guides).select_related("product", "guide")
    paths = {guide.get_absolute_url() for guide in vendor_guides}
    paths |= {item.product.get_absolute_url() for item in ranked}
    paths |= {"/", "/guides/", "/products/", "/evidence/", f"/search/?{urlencode({'q': SEARCH_QUERIES[0]})}"}

    def emptied():
        return sum(count_queries(client, path) > 0 for path in sorted(paths))

    def after(change):
        emptied()  # every page cached
        with transaction.atomic():
            change()
            count = emptied()
            transaction.set_rollback(True)
        return count

    first = ranked.first()

    def new_price():
        offer = Offer.objects.filter(product=first.product).first()
        offer.price += 1
        offer.save()

    def new_faq():
        FAQ.objects.create(guide=first.guide, order=99, question="A question added for the benchmark?", answer="Yes.")

    return {"pages": len(paths), "one_price": after(new_price), "one_guide_edit": after(new_faq)}
