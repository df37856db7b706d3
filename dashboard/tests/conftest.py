from notifications.tests.conftest import person, team  # noqa: F401  the same people as the notifications tests
