"""Django's file cache, with add() and incr() atomic across processes.

The default cache when REDIS_URL is not set: a folder every gunicorn worker
on the machine shares, so the reader page cache, the form rate limits and
the page-cache version hold across workers, and outlive a database outage.
Django's own incr() is a get then a set: two workers counting at once lose a
count, and the set starts the entry's lifetime again (an hour's limit would
reset after the default 5 minutes). Here add() and incr() hold a lock file,
and incr() keeps the entry's expiry. Several machines need Redis.
"""

import fcntl
import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    @contextmanager
    def _locked(self):
        os.makedirs(self._dir, exist_ok=True)
        with open(os.path.join(self._dir, ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        name = self._key_to_file(key, version)
        with self._locked():
            try:
                with open(name, "rb") as stored:
                    expiry = pickle.load(stored)  # the file starts with its expiry, then the compressed value
                    value = pickle.loads(zlib.decompress(stored.read()))
            except (FileNotFoundError, EOFError):
                value, expiry = None, 0
            if value is None or (expiry is not None and expiry <= time.time()):
                raise ValueError(f"Key '{key}' not found")
            remaining = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, value + delta, timeout=remaining, version=version)
            return value + delta
