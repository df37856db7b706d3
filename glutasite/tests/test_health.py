import json

import pytest
from django.test import Client

from glutasite.tests.test_outage import database_down

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache_as_json(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_says_503_when_the_database_does_not_answer():
    with database_down():
        response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert (body["status"], body["checks"]["database"]["ok"], body["checks"]["cache"]["ok"]) == (
        "unavailable",
        False,
        True,
    )
    assert "refused" not in response.content.decode()  # no error text, host or port


def test_healthz_is_never_cached_never_limited_and_makes_no_session(client, django_assert_num_queries):
    for _ in range(30):
        with django_assert_num_queries(1):  # the database is asked every time: nothing answered from a cache
            response = client.get("/healthz")
        assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert "sessionid" not in client.cookies


def test_healthz_answers_a_probe_by_address_over_plain_http(settings):
    settings.ALLOWED_HOSTS = ["guides.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz", headers={"Host": "10.0.0.7:8000"})
    assert response.status_code == 200
