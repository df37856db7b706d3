import shutil
import tempfile

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and rate-limit counts from one test must not reach the next."""
    cache.clear()
    yield
    cache.clear()


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
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": folder}}
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
