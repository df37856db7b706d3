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
