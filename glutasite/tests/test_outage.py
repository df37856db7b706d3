"""With the database down: cached pages still served, a 503 page otherwise, one log line, one mail."""

import logging
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client

from glutasite.log import OneLineFormatter
from glutasite.tests.test_settings import BASE_DIR, PRODUCTION
from guides.tests.factories import GuideFactory
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"}


@contextmanager
def database_down():
    """Every query in this thread fails as it does when PostgreSQL is stopped."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def test_a_cached_page_is_served_without_the_database(reader, django_assert_num_queries):
    guide = GuideFactory()
    assert reader.get(guide.get_absolute_url()).status_code == 200
    with database_down(), django_assert_num_queries(0):
        response = reader.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert guide.title in response.content.decode()


def test_a_page_not_in_the_cache_answers_503_with_retry_after_and_recovers(reader):
    guide = GuideFactory()
    with database_down():
        response = reader.get(guide.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Back in a moment" in response.content.decode()
    assert reader.get(guide.get_absolute_url()).status_code == 200


def test_a_database_error_outside_a_view_is_a_503_too(reader, editor):
    reader.force_login(editor)  # the session is read from the database by middleware, before any view
    with database_down():
        response = reader.get("/")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_other_errors_stay_a_500(reader, monkeypatch):
    monkeypatch.setattr("readers.views.guide_cards", lambda *a: 1 / 0)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_go_follows_a_link_it_has_seen_while_the_database_is_down(reader):
    offer = OfferFactory(affiliate_url="https://shop.example.com/item/7?tag=glutasite")
    assert reader.get(f"/go/{offer.token}/", headers=BROWSER).status_code == 302
    with database_down():
        response = reader.get(f"/go/{offer.token}/", headers=BROWSER)
        unknown = reader.get("/go/never-seen/", headers=BROWSER)
    assert (response.status_code, response["Location"]) == (302, "https://shop.example.com/item/7?tag=glutasite")
    assert unknown.status_code == 503


def test_an_outage_is_one_log_line_per_request_and_one_mail(reader, settings, caplog):
    settings.ADMINS = [("Ops", "ops@example.com")]
    guide = GuideFactory()
    with database_down(), caplog.at_level(logging.ERROR, logger="django.request"):
        for _ in range(3):
            assert reader.get(guide.get_absolute_url()).status_code == 503
    lines = [OneLineFormatter().format(record) for record in caplog.records]
    assert len(lines) == 3
    assert all("\n" not in line for line in lines)
    assert lines[0].startswith(f"Database unavailable: GET {guide.get_absolute_url()} (OperationalError: connection")
    assert len(mail.outbox) == 1
    assert "Database unavailable" in mail.outbox[0].subject


def test_a_traceback_is_logged_as_one_line():
    try:
        {}["missing"]
    except KeyError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Boom: %s", ("/x/",), sys.exc_info())
    line = OneLineFormatter().format(record)
    assert "\n" not in line
    assert line.startswith("Boom: /x/ | KeyError: 'missing' at ")
    assert "test_a_traceback_is_logged_as_one_line" in line


def test_sentry_is_used_only_when_its_dsn_is_set():
    show = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    run = [sys.executable, "manage.py", "shell", "-v", "0", "-c", show]

    def active(**env):
        result = subprocess.run(
            run,
            cwd=BASE_DIR,
            env={"PATH": "/usr/bin:/bin", **PRODUCTION, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip()

    assert active() == "False"
    assert active(SENTRY_DSN="http://public@127.0.0.1:9/1") == "True"
