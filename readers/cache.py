"""Whole-page cache for anonymous readers.

Anonymous GET and HEAD responses are kept for READER_PAGE_CACHE_SECONDS
(5 minutes by default) in the default cache: Redis when REDIS_URL is set, so
every app server shares it. Saving anything readers see (readers.signals),
or a job that changes it (a price feed, a retraction, a scheduled guide),
changes the content version that is part of every key, so the next request
renders afresh. The version is one database row, read on every cached
request (one primary-key query), so a worker or a command in another
process empties the web server's cache even when that cache is its own
memory; during a database outage the last version read keeps the cached
pages served. The short lifetime bounds the rest: a price hidden when it
goes stale, an import that writes in bulk without model signals, all show
within 5 minutes.

Never cached: signed-in users (who may see unpublished guides and pending changes), anything other than a
200, responses that set a cookie, views marked never_cache, and any page
that used a CSRF token, so one reader's token never reaches another.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from .models import PageCacheVersion

HEADERS_NOT_KEPT = {"set-cookie", "cache-control", "age"}


def cache_seconds():
    return settings.READER_PAGE_CACHE_SECONDS


_last_version_read = uuid.uuid4().hex


def content_version():
    global _last_version_read
    try:
        # Plain SQL: this runs on every cached request, and the ORM would take ten times as long.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {PageCacheVersion._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        version = row[0] if row else None
        if version is None:
            # A fresh random version, never an old one: pages cached under an
            # earlier version can never be served again.
            version = PageCacheVersion.objects.get_or_create(pk=1, defaults={"version": uuid.uuid4().hex})[0].version
    except DatabaseError:
        return _last_version_read
    _last_version_read = version
    return version


def bump_content_version():
    version = uuid.uuid4().hex
    if not PageCacheVersion.objects.filter(pk=1).update(version=version):
        PageCacheVersion.objects.get_or_create(pk=1, defaults={"version": version})


def page_key(request, version):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"reader-pages:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


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

        key = page_key(request, content_version())
        stored = cache.get(key)
        if stored is not None:
            return self.rebuild(stored)

        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        if is_cacheable_response(request, response):
            cache.set(key, self.freeze(response), timeout=cache_seconds())
            patch_cache_control(response, public=True, max_age=cache_seconds())
        return response

    @staticmethod
    def freeze(response):
        return {
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
