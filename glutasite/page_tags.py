"""What a reader page shows, as tags, so a change empties only the cached pages that show it.

A view names what its page shows with `tag_page(request, ...)`: one tag per
object (`guide_tag(pk)`, `product_tag(pk)`, ...) and one per kind of list
(`GUIDE_LISTS`, `PRODUCT_LISTS`, `STUDY_LISTS`). The page cache
(readers/cache.py) stores each page with the versions of its tags and serves
it only while they are unchanged; readers/signals.py says which tags a saved
row changes. A page whose view names nothing is emptied by every change, as is
every page by a change nobody mapped to tags (site settings, categories).

It lives in the project package so that every app's views can name their tags
without importing the readers app above them.
"""

import uuid

from django.core.cache import cache

TAG_KEY = "reader-pages:tag:{}"
EVERYTHING = "everything"  # every page shows it: a change nobody mapped to tags empties every page
ANYTHING = "anything"  # pages whose view named no tags: every change empties them
GUIDE_LISTS = "lists:guides"  # home, guide list, categories, reviewers, what changed, search
PRODUCT_LISTS = "lists:products"  # the product index and search: names, brands, prices
STUDY_LISTS = "lists:studies"  # the evidence library and search


def guide_tag(pk):
    return f"guide:{pk}"


def product_tag(pk):
    return f"product:{pk}"


def study_tag(pk):
    return f"study:{pk}"


def claim_tag(pk):
    return f"claim:{pk}"


def tag_page(request, *tags):
    """Add tags to what the page being answered shows."""
    request.page_tags = getattr(request, "page_tags", frozenset()) | frozenset(tags)


def page_tags(request):
    """The page's tags, or None when its view named none (so any change empties it)."""
    return getattr(request, "page_tags", None)


def tag_versions(tags):
    """{tag: its current version} in one round trip to the cache (two the first time a tag is seen)."""
    keys = {TAG_KEY.format(tag): tag for tag in tags}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        # A fresh random version, never an old one: pages cached under an
        # evicted version can never be served again.
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found.update(cache.get_many(missing))
    return {keys[key]: version for key, version in found.items()}


def bump_tags(tags):
    """Empty every cached page that shows one of these tags (and every page that named none)."""
    cache.set_many({TAG_KEY.format(tag): uuid.uuid4().hex for tag in {*tags, ANYTHING}}, timeout=None)
