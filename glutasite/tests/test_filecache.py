import multiprocessing
import pickle
import time

import pytest

from glutasite.filecache import FileCache


@pytest.fixture
def file_cache(tmp_path):
    return FileCache(str(tmp_path), {})


def count(location, times):
    cache = FileCache(location, {})
    for _ in range(times):
        cache.incr("posts")


def test_counts_from_several_processes_at_once_are_all_kept(file_cache, tmp_path):
    file_cache.add("posts", 0, timeout=3600)
    workers = [multiprocessing.get_context("fork").Process(target=count, args=(str(tmp_path), 100)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert file_cache.get("posts") == 400


def test_a_count_keeps_the_lifetime_it_was_started_with(file_cache):
    file_cache.add("posts", 0, timeout=3600)
    file_cache.incr("posts")
    with open(file_cache._key_to_file("posts"), "rb") as entry:
        assert pickle.load(entry) - time.time() > 3500  # not the default 300 s a plain set() would give


def test_counting_a_missing_or_expired_key_fails_as_django_caches_do(file_cache):
    with pytest.raises(ValueError, match="not found"):
        file_cache.incr("nothing")
    file_cache.add("brief", 1, timeout=0.01)
    time.sleep(0.05)
    with pytest.raises(ValueError, match="not found"):
        file_cache.incr("brief")
    assert file_cache.add("brief", 5) is True
