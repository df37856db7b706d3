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


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own(settings, tmp_path_factory):
    """Photos saved by a test (seed_demo draws some) go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
