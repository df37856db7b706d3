import time

import pytest
from django.core.exceptions import ValidationError

from outbound.http import Client


@pytest.fixture(autouse=True)
def local_allowed(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0.01


def test_requests_name_the_site_and_refuse_addresses_the_rule_refuses(httpserver, settings):
    httpserver.expect_request("/ok", headers={"User-Agent": settings.OUTBOUND_USER_AGENT}).respond_with_data("fine")
    with Client() as client:
        assert client.get(httpserver.url_for("/ok")).text == "fine"
        settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
        with pytest.raises(ValidationError):
            client.get(httpserver.url_for("/ok"))
    assert len(httpserver.log) == 1


def test_busy_and_failing_answers_are_retried_with_backoff_when_asked(httpserver):
    httpserver.expect_ordered_request("/api").respond_with_data("busy", status=429, headers={"Retry-After": "0"})
    httpserver.expect_ordered_request("/api").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/api").respond_with_json({"ok": True})
    with Client(retries=2) as client:
        assert client.get(httpserver.url_for("/api")).json() == {"ok": True}
    with Client(retries=0) as client:
        httpserver.expect_request("/down").respond_with_data("down", status=503)
        assert client.get(httpserver.url_for("/down")).status_code == 503


def test_requests_to_one_host_keep_a_polite_gap(httpserver):
    httpserver.expect_request("/p").respond_with_data("")
    with Client(min_interval=0.2) as client:
        started = time.monotonic()
        for _ in range(3):
            client.get(httpserver.url_for("/p"))
    assert time.monotonic() - started >= 0.4
