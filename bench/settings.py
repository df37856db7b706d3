"""The site's settings for `make bench`, with two changes.

Static files are collected into the benchmark's temporary folder
(BENCH_STATIC_ROOT), not the project's staticfiles/. The cache is always each
process's local memory, even when REDIS_URL is set, because the benchmark
empties it between requests and must never flush a shared cache.
"""

import os
from pathlib import Path

from glutasite.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# Room for every page of the dataset: the benchmark counts which cached pages a change empties.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}},
}
