"""`/healthz` for a load balancer: is this app server able to serve?

Answered by the first middleware, before the https redirect, the host check,
sessions, the page cache and the rate limits, so a probe over plain http to
the server's own address gets a real answer, and none is ever cached or
counted. It reads the database (`SELECT 1`, within the connect and statement
timeouts) and writes and reads the cache. JSON, no version, host or error
text: 200 when both answer, 503 when either does not.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    key, value = "healthz:" + uuid.uuid4().hex, uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


def run_check(name, check):
    started = time.monotonic()
    try:
        ok = check()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"; the log says which
        logger.warning("Health check %s failed: %s", name, type(error).__name__)
        ok = False
    return {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1)}


def health(request):
    results = {name: run_check(name, check) for name, check in CHECKS.items()}
    healthy = all(result["ok"] for result in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the failing check logged its own line
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH and request.method in {"GET", "HEAD"}:
            return health(request)
        return self.get_response(request)
