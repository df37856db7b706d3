"""PostgreSQL with a deadline on every wait for the server, and a pause after a timeout.

`statement_timeout` is enforced by the server and `connect_timeout` by libpq
while connecting. A server that stops answering on a connection already made
(a hung host, a network dropping packets, a stopped process) enforces
neither, and libpq waits for ever: the worker is held until gunicorn kills
it. Here each query is watched, and so is Django's health check of a kept
connection: with no answer by the statement timeout plus a grace (the check,
a `SELECT 1`: in HEALTH_CHECK_SECONDS), the connection's socket is shut down, the wait ends
with OperationalError (the 503 page) and Django drops the connection.

After a timeout (a deadline, or a connection not made in time) no process
sharing the cache connects for PAUSE_SECONDS: requests fail at once instead
of each waiting out a timeout, so the workers stay free to serve cached
pages. Then one process at a time tries again, every PAUSE_SECONDS, until a
connection is made, so the site comes back by itself. A refused connection
fails fast anyway and starts no pause.
"""

import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db.backends.postgresql import base
from psycopg import OperationalError

GRACE_SECONDS = 2
HEALTH_CHECK_SECONDS = 2
PAUSE_SECONDS = 10
TICK_SECONDS = 0.25
# Set after a timeout: while it lasts, one process may try to connect per PAUSE_SECONDS (TRY_KEY).
DOWN_KEY, DOWN_SECONDS = "database:timed-out", 60
TRY_KEY = "database:next-try"


def timed_out():
    try:
        cache.set(DOWN_KEY, True, timeout=DOWN_SECONDS)
        cache.set(TRY_KEY, True, timeout=PAUSE_SECONDS)
    except Exception:  # noqa: BLE001 - without a cache, every request tries the database
        pass


def may_connect():
    try:
        return not cache.get(DOWN_KEY) or cache.add(TRY_KEY, True, timeout=PAUSE_SECONDS)
    except Exception:  # noqa: BLE001
        return True


def connected():
    try:
        if cache.get(DOWN_KEY):
            cache.delete_many([DOWN_KEY, TRY_KEY])
    except Exception:  # noqa: BLE001
        pass


class Watchdog:
    """One thread per process that shuts down the socket of any wait past its deadline."""

    def __init__(self):
        self.lock = threading.Lock()
        self.armed = {}
        self.owner_pid = None

    @contextmanager
    def guard(self, fileno, seconds):
        if not seconds:
            yield
            return
        self.start()
        token = object()
        with self.lock:
            self.armed[token] = (time.monotonic() + seconds, fileno)
        try:
            yield
        finally:
            with self.lock:
                self.armed.pop(token, None)

    def start(self):
        if self.owner_pid != os.getpid():  # a forked worker needs its own thread
            self.owner_pid = os.getpid()
            threading.Thread(target=self.run, name="database-deadline", daemon=True).start()

    def run(self):
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            # Under the lock, so a wait that ends meanwhile cannot hand its socket number to another socket;
            # the pause is recorded first, so the failed request does not try to connect again at once.
            with self.lock:
                for token, (deadline, fileno) in list(self.armed.items()):
                    if deadline <= now:
                        del self.armed[token]
                        timed_out()
                        shut_down(fileno)


def shut_down(fileno):
    try:
        with socket.socket(fileno=os.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


watchdog = Watchdog()


def statement_deadline():
    return settings.DATABASE_STATEMENT_TIMEOUT + GRACE_SECONDS if settings.DATABASE_STATEMENT_TIMEOUT else 0


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self.watched_execute)

    def watched_execute(self, execute, sql, params, many, context):
        with watchdog.guard(self.connection.fileno(), statement_deadline()):
            return execute(sql, params, many, context)

    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        with watchdog.guard(self.connection.fileno(), HEALTH_CHECK_SECONDS):
            return super().is_usable()

    def get_new_connection(self, conn_params):
        if not may_connect():
            raise OperationalError(f"the database did not answer in time; trying again within {PAUSE_SECONDS} s")
        started = time.monotonic()
        try:
            connection = super().get_new_connection(conn_params)
        except OperationalError:
            if time.monotonic() - started >= 1:  # a timeout, not a refusal
                timed_out()
            raise
        connected()
        return connection
