import pytest
from django.contrib.auth.models import Permission

from guides.tests.factories import ReviewerFactory

GUIDE_PERMS = ["view_guide", "add_guide", "change_guide"]


def staff(django_user_model, username, *codenames, reviewer=False):
    """A staff login with guide permissions, all parts' permissions and `codenames`."""
    user = django_user_model.objects.create_user(
        username=username,
        password="pw-" + username + "-123",
        first_name=username.capitalize(),
        is_staff=True,
    )
    perms = Permission.objects.filter(codename__in=[*GUIDE_PERMS, *codenames])
    parts = Permission.objects.filter(content_type__app_label="guides").exclude(codename__endswith="_guide")
    user.user_permissions.set([*perms, *parts])
    if reviewer:
        ReviewerFactory(user=user, name=f"{username.capitalize()} Reviewer")
    return user


@pytest.fixture
def make_staff(django_user_model):
    return lambda username, *codenames, reviewer=False: staff(
        django_user_model, username, *codenames, reviewer=reviewer
    )


@pytest.fixture
def editor_user(make_staff):
    return make_staff("edith", "publish_guide")


@pytest.fixture
def reviewer_user(make_staff):
    return make_staff("rita", "sign_off_guide", reviewer=True)
