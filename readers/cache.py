"""Whole-page cache for anonymous readers.

Anonymous GET and HEAD responses are kept for READER_PAGE_CACHE_SECONDS
(5 minutes by default) in the default cache, which every process shares: a
folder on the machine by default, Redis when REDIS_URL is set, so every app
server shares it. Each page is stored with the versions of the tags its view
says it shows (glutasite/page_tags.py: this guide, these products, the guide
lists) and of the tag `everything`; it is served only while those versions are
unchanged. Saving anything readers see (readers.signals) gives new versions to
the tags of what was saved, so only the pages that show it render afresh; a job
or an import that writes in bulk changes `everything`. The versions live in the
same shared cache, so whichever process made the change, the next request in
any process sees it. A cached page is answered without touching the database,
even during an outage. The short lifetime bounds the rest: a price hidden when
it goes stale, a bulk write nobody reported, all show within 5 minutes.

Never cached: signed-in users (who may see unpublished guides and pending changes), anything other than a
200, responses that set a cookie, views marked never_cache, and any page
that used a CSRF token, so one reader's token never reaches another.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers

from glutasite.page_tags import ANYTHING, EVERYTHING, bump_tags, page_tags, tag_versions

HEADERS_NOT_KEPT = {"set-cookie", "cache-control", "age"}


def cache_seconds():
    return settings.READER_PAGE_CACHE_SECONDS


def bump_content_version():
    """Empty every cached page."""
    bump_tags([EVERYTHING])


def tags_of_page(named):
    """The tags a page is stored under: what its view named, or ANYTHING when it named nothing."""
    return {EVERYTHING, *(named if named is not None else [ANYTHING])}


def query_parameters_read(request):
    """The query parameters the page's view says it reads (its `reads_query` attribute); none unless it says.

    Any other parameter (`?utm_source=…`, `?x=<random>`) is left out of the
    cache key, so it neither makes a new entry nor misses the cached page.
    Views set the attribute themselves, so apps below readers import nothing
    to declare it.
    """
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return set()
    return getattr(view, "reads_query", set())


def page_key(request):
    """One entry per page: the query string keeps only the parameters that page reads, in one order."""
    read = query_parameters_read(request)
    query = urlencode(sorted((name, value) for name in read for value in request.GET.getlist(name)))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"reader-pages:page:{hashlib.sha256(address.encode()).hexdigest()}"


def is_cacheable_request(request):
    return request.method in {"GET", "HEAD"} and not request.user.is_authenticated


def is_cacheable_response(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and "*" not in response.get("Vary", "")
    )


class ReaderPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response

        key = page_key(request)
        stored = cache.get(key)
        before = tag_versions(stored["tags"]) if stored is not None else {}
        if stored is not None and before == stored["tags"]:
            return self.rebuild(stored)

        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        if is_cacheable_response(request, response):
            tags = tags_of_page(page_tags(request))
            # Versions read before rendering where known: a change committed while
            # the page rendered leaves it stored under the older version, so the
            # next request renders it again instead of serving what it missed.
            versions = {**tag_versions(tags - before.keys()), **{tag: before[tag] for tag in tags & before.keys()}}
            cache.set(key, self.freeze(response, versions), timeout=cache_seconds())
            patch_cache_control(response, public=True, max_age=cache_seconds())
        return response

    @staticmethod
    def freeze(response, tags):
        return {
            "tags": tags,
            "stored_at": time.time(),
            "status": response.status_code,
            "content": response.content,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in HEADERS_NOT_KEPT],
        }

    @staticmethod
    def rebuild(stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response[name] = value
        # A shared cache downstream may keep the page only for what is left of
        # our lifetime, so no reader ever sees it older than that.
        age = int(time.time() - stored["stored_at"])
        patch_cache_control(response, public=True, max_age=max(0, cache_seconds() - age))
        return response
