"""One HTTP client for every outside service: requests with our User-Agent, timeouts and manners.

`Client(min_interval=…)` keeps at least that many seconds between two
requests to one host (NCBI allows 3 a second; shops get a polite second),
refuses addresses `addresses.check_address` refuses, and, when asked,
retries connection failures, 429 and 5xx with doubling delays (honouring
Retry-After). Tests point it at 127.0.0.1 (pytest-httpserver) only.
"""

import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings

from .addresses import check_address

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60  # seconds: a longer Retry-After is not waited for


def user_agent():
    return settings.OUTBOUND_USER_AGENT


class Client:
    def __init__(self, *, min_interval=0.0, timeout=10, retries=0, backoff=None):
        self.min_interval = min_interval
        self.timeout = timeout
        self.retries = retries
        self.backoff = settings.OUTBOUND_RETRY_BACKOFF_SECONDS if backoff is None else backoff
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent()
        self._last_request = {}
        self._lock = threading.Lock()

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def request(self, method, url, **kwargs):
        """Send one request (retried as configured); raises requests' errors and ValidationError for refused URLs."""
        check_address(url)
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(self.retries + 1):
            self._wait_turn(url)
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                if attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code not in RETRY_STATUSES or attempt == self.retries:
                return response
            time.sleep(min(retry_after(response), MAX_RETRY_AFTER) or self.backoff * 2**attempt)
            response.close()
        raise AssertionError("unreachable")

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def head(self, url, **kwargs):
        return self.request("HEAD", url, **kwargs)

    def _wait_turn(self, url):
        host = urlsplit(url).netloc.lower()
        with self._lock:
            wait = self._last_request.get(host, -1e9) + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_request[host] = time.monotonic()


def name_not_found(error):
    """True when a requests connection error says the host's name does not resolve (DNS)."""
    text = str(error).lower()
    return "resolve" in text or "name or service" in text


def why_unreachable(error):
    """A requests connection error or timeout in a few words for staff."""
    if isinstance(error, requests.exceptions.SSLError):
        return "its TLS certificate was refused"
    if isinstance(error, requests.Timeout):
        return "it did not answer in time"
    if name_not_found(error):
        return "its name does not resolve (DNS): it does not exist, or this machine has no network"
    return "the connection was refused or broken"


def retry_after(response):
    """Seconds the server asked us to wait (Retry-After: seconds or an HTTP date), or 0."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return int(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0
