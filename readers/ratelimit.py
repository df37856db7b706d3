"""Per-client limits on reader form submissions, kept in the cache.

A client is known only by an HMAC of its address keyed with SECRET_KEY: the
cache never holds a raw IP address, and the key lasts only as long as the
limit's window.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The reader's address. Behind our TLS proxy (see README) it is the last X-Forwarded-For entry,
    the one our proxy appended; earlier entries come from the client and may be forged."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request, scope):
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{scope}:{digest}"


def over_limit(request, scope, *, limit, window):
    """Count one attempt for this client; True once it has made more than `limit` in `window` seconds."""
    key = client_key(request, scope)
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts > limit
