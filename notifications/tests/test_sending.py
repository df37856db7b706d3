"""Emails leave from jobs, never from a request: at once or in one daily digest, each once, as each person chose."""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from guides import workflow
from guides.tests.factories import ready_guide
from notifications.models import Notification, NotificationSettings
from notifications.notify import notify
from notifications.sending import send_digests, send_notifications

pytestmark = pytest.mark.django_db


def tell(user, title, kind="signed_off", url="/admin/"):
    return notify(kind, [user], title=title, body="Details.", url=url)


def test_nothing_is_emailed_inside_the_request(client, team):
    guide = ready_guide(reviewer=team["reviewer"].reviewer_profile)
    client.force_login(team["editor"])
    client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "submit"]))
    assert Notification.objects.filter(recipient=team["reviewer"]).exists()
    assert mail.outbox == []
    assert send_notifications() == 1
    assert mail.outbox[0].to == ["dana@example.com"]


def test_immediate_notifications_are_emailed_once_with_a_link(team, settings):
    settings.GLUTASITE_SITE_URL = "https://glutasite.example"
    tell(team["editor"], "Dana signed off “Zinc”", url="/admin/guides/guide/7/change/")
    assert send_notifications() == 1
    assert send_notifications() == 0
    email = mail.outbox[0]
    assert email.subject == "[Glutasite] Dana signed off “Zinc”"
    assert "https://glutasite.example/admin/guides/guide/7/change/" in email.body
    assert "https://glutasite.example/admin/notifications/settings/" in email.body


def test_a_daily_digest_gathers_everything_in_one_email_grouped_by_kind(team):
    NotificationSettings.objects.create(user=team["editor"], delivery=NotificationSettings.Delivery.DAILY)
    tell(team["editor"], "Dana signed off “Zinc”")
    tell(team["editor"], "Dana asked for changes to “Iron”", kind="changes_requested")
    tell(team["editor"], "Dana signed off “Iron”")
    assert send_notifications() == 0  # not at once: the digest takes them
    assert send_digests() == 3
    assert send_digests() == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[Glutasite] Your day: 3 notifications"
    assert body.index("Signed off") < body.index("Dana signed off “Zinc”") < body.index("Changes requested")
    assert "Dana asked for changes to “Iron”" in body


def test_no_email_means_the_list_only(team):
    NotificationSettings.objects.create(user=team["editor"], delivery=NotificationSettings.Delivery.NONE)
    tell(team["editor"], "Dana signed off “Zinc”")
    assert send_notifications() + send_digests() == 0
    assert Notification.objects.get().emailed_at is None


def test_a_login_without_an_address_is_not_emailed(team):
    team["editor"].email = ""
    team["editor"].save()
    tell(team["editor"], "Dana signed off “Zinc”")
    assert send_notifications() == 0


def test_a_failed_email_is_tried_again_next_run(team):
    tell(team["editor"], "Dana signed off “Zinc”")
    with mock.patch("notifications.sending.EmailMessage.send", side_effect=OSError("SMTP down")):
        assert send_notifications() == 0
    assert Notification.objects.get().emailed_at is None
    assert send_notifications() == 1


def test_the_commands_send_at_once_and_the_daily_digests(team, capsys):
    NotificationSettings.objects.create(user=team["reviewer"], delivery=NotificationSettings.Delivery.DAILY)
    guide = ready_guide(reviewer=team["reviewer"].reviewer_profile)
    workflow.submit_for_review(guide=guide, user=team["editor"])
    call_command("send_notifications")
    assert "Emailed 0 notifications." in capsys.readouterr().out
    call_command("send_notification_digests")
    assert "Emailed 1 notification in daily digests." in capsys.readouterr().out
