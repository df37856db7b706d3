"""PostgreSQL: a wait the server never answers ends at a deadline, and the process pauses before trying again."""

import time

import pytest
from django.db import OperationalError, connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the deadline watches PostgreSQL's socket"),
]


@pytest.fixture
def short_deadline(settings, monkeypatch):
    from glutasite.postgres import base

    settings.DATABASE_STATEMENT_TIMEOUT = 1
    monkeypatch.setattr(base, "GRACE_SECONDS", 0.5)
    monkeypatch.setattr(base, "PAUSE_SECONDS", 2)
    return base.watchdog


def test_a_query_the_server_never_answers_fails_at_the_deadline_and_the_site_recovers(short_deadline):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # as if the server could not enforce it
    started = time.monotonic()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")
    assert 1.4 <= time.monotonic() - started < 3
    connection.close()

    with pytest.raises(OperationalError, match="trying again within"):  # paused: fails at once
        connection.ensure_connection()
    time.sleep(2.1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
