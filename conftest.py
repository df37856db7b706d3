import shutil
import tempfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from huey.contrib.djhuey import HUEY


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once():
    """Tasks run inside the test that queues them (Huey's immediate mode, with its own in-memory queue)."""
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver's outside services answer on 127.0.0.1, the one address tests may reach."""
    return ("127.0.0.1", 0)


@pytest.fixture
def job_queue(monkeypatch):
    """Tasks wait in the in-memory queue, as they would for a worker, until the test calls `run_queued()`."""
    monkeypatch.setattr(HUEY, "_immediate", False)  # the setter would swap in the real queue file
    # A worker closes its database connections around each task; the test's connection holds its transaction.
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.storage.flush_all()

    class Queue:
        def __len__(self):
            return HUEY.pending_count()

        def run_queued(self):
            while (task := HUEY.dequeue()) is not None:
                HUEY.execute(task)

        def run_retries_due(self, after_seconds):
            """Run the retries a worker would run `after_seconds` from now, as if then; returns how many."""
            at = HUEY._get_timestamp() + timedelta(seconds=after_seconds)
            due = HUEY.read_schedule(at)
            for task in due:
                HUEY.execute(task, timestamp=at)
            return len(due)

    yield Queue()
    HUEY.storage.flush_all()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages, guide text and rate-limit counts from one test must not reach the next."""
    for alias in ("default", "fragments"):
        caches[alias].clear()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()


@pytest.fixture
def editor(django_user_model):
    """A staff member who may manage guides, studies and products, without superuser powers."""
    user = django_user_model.objects.create_user(
        username="editor",
        password="correct-horse-battery",
        first_name="Erin",
        last_name="Editor",
        is_staff=True,
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["guides", "evidence", "products", "readers"])
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def migrate_to():
    """Migrate the test database to given nodes and return the models as they stood there (with the
    admin's log beside them); the latest schema is put back afterwards for the tests that follow."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        admin = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "admin"]
        return executor.loader.project_state([node for node in targets if node[1]] + admin).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def pytest_configure(config):
    """Each test run gets its own file-cache folder, so two runs at once (SQLite and PostgreSQL) never
    empty each other's cache."""
    from django.conf import settings

    if settings.CACHES["default"]["BACKEND"] == "glutasite.filecache.FileCache":
        folder = tempfile.mkdtemp(prefix="glutasite-test-cache-")
        settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": folder}}
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own(settings, tmp_path_factory):
    """Photos saved by a test (seed_demo draws some) go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
