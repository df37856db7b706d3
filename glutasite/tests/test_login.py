"""Admin sign-in: throttled by client and by account before any password is hashed."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PAUSED = "signing in is paused for 15 minutes"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("alice", "alice@example.com", "correct-horse-battery")


def sign_in(client, username, password, address="203.0.113.7", next_url="/admin/"):
    return client.post(
        f"/admin/login/?next={next_url}",
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=address,
    )


def test_ten_wrong_passwords_pause_signing_in_with_a_clear_message(client, admin_user):
    for _ in range(9):
        assert sign_in(client, "alice", "wrong").status_code == 200  # the form again, with its error
    refused = sign_in(client, "alice", "wrong")
    assert refused.status_code == 429
    assert PAUSED in refused.content.decode()
    assert "ask an administrator to unlock you" in refused.content.decode()
    # Even the right password is refused while paused.
    assert sign_in(client, "alice", "correct-horse-battery").status_code == 429


def test_while_paused_no_password_is_hashed(client, admin_user, monkeypatch):
    for _ in range(10):
        sign_in(client, "alice", "wrong")
    hashed = []
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *args: hashed.append(args) or False)
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *args: hashed.append(args) or "md5$x$y")
    for _ in range(20):
        assert sign_in(client, "alice", "wrong").status_code == 429
    assert hashed == []


def test_one_client_guessing_many_accounts_is_paused(client, admin_user):
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong")
    assert sign_in(client, "alice", "correct-horse-battery").status_code == 429


def test_many_clients_guessing_one_account_pause_that_account(client, admin_user):
    for n in range(10):
        sign_in(client, "alice", "wrong", address=f"198.51.100.{n}")
    assert sign_in(client, "alice", "correct-horse-battery", address="192.0.2.1").status_code == 429
    # Another account from the same address is not held back.
    assert sign_in(Client(), "bob", "wrong", address="192.0.2.1").status_code == 200


def test_an_administrator_unlocks_an_account_with_a_command(client, admin_user):
    for _ in range(10):
        sign_in(client, "alice", "wrong")
    call_command("axes_reset_username", "alice")
    call_command("axes_reset_ip", "203.0.113.7")
    assert sign_in(client, "alice", "correct-horse-battery").status_code == 302


def test_failed_attempts_are_forgotten_when_the_pause_is_over(client, admin_user):
    sign_in(client, "alice", "wrong")
    sign_in(client, "bob", "wrong", address="198.51.100.9")
    AccessAttempt.objects.filter(username="bob").update(attempt_time=timezone.now() - timedelta(minutes=16))
    call_command("forget_login_attempts")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice"]


def test_a_successful_sign_in_leaves_no_address_behind(client, admin_user):
    sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", "correct-horse-battery").status_code == 302
    assert not AccessAttempt.objects.exists()


def test_a_refused_next_lands_on_the_admin(client, admin_user):
    response = sign_in(client, "alice", "correct-horse-battery", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
