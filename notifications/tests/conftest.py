import pytest
from django.contrib.auth.models import Group

from guides.tests.factories import ReviewerFactory


@pytest.fixture
def person(django_user_model):
    """A staff login in `roles` (the real groups), with an email, and a reviewer profile when asked."""

    def make(username, *roles, reviewer=False):
        user = django_user_model.objects.create_user(
            username=username,
            password=None,  # no hashing: tests sign in with force_login
            first_name=username.capitalize(),
            email=f"{username}@example.com",
            is_staff=True,
        )
        user.groups.set(Group.objects.filter(name__in=roles))
        if reviewer:
            ReviewerFactory(user=user, name=f"{username.capitalize()} Reviewer")
        return user

    return make


@pytest.fixture
def team(person):
    """An editor, two reviewers and a product importer, as the role table makes them."""
    return {
        "editor": person("erin", "Editors"),
        "reviewer": person("dana", "Reviewers", reviewer=True),
        "other_reviewer": person("sam", "Reviewers", reviewer=True),
        "importer": person("priya", "Product importers"),
    }
