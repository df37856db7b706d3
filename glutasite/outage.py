"""When the database is down or does not answer: a 503 page, not a 500.

A query that cannot reach the database (refused, timed out connecting,
cancelled by the statement timeout, connection lost) raises OperationalError
or InterfaceError. Readers then get a short page saying the site is back in
a moment, with `Retry-After`, rendered from a template alone so that it
needs no query. Pages in the reader page cache are still served: that cache
answers before any query runs (readers/cache.py). Nothing here holds state,
so the first request after the database is back is served as usual.

Each such failure is logged as one line (glutasite/log.py), and the error
log is what mails ADMINS or reaches Sentry.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

try:
    import psycopg
except ImportError:  # pragma: no cover - SQLite-only installs
    psycopg = None

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError) + (
    (psycopg.OperationalError, psycopg.InterfaceError) if psycopg else ()
)

logger = logging.getLogger("django.request")


def is_database_unavailable(error):
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__
    return False


def unavailable_response(request, error):
    logger.error(
        "Database unavailable: %s %s (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "no message",
        extra={"status_code": 503, "request": request},
    )
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # the line above says more than Django's "Service Unavailable: /path"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view or its template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """handler500: a database error raised outside a view (a session saved by middleware, say) is a 503 too."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return unavailable_response(request, error)
    return django_server_error(request)
