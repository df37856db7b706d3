"""Each person's notifications in the admin: unread count, the list, marking read, and their settings."""

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationSettings
from notifications.notify import notify

pytestmark = pytest.mark.django_db


def tell(user, title, url="/admin/guides/guide/"):
    return notify("signed_off", [user], title=title, url=url)[0]


def test_the_header_counts_unread_notifications(client, team):
    tell(team["editor"], "One")
    tell(team["editor"], "Two")
    client.force_login(team["editor"])
    html = client.get(reverse("admin:guides_guide_changelist")).content.decode()
    assert '<strong class="unread-count">(2 unread)</strong>' in html


def test_the_list_shows_only_the_persons_own(client, team):
    tell(team["editor"], "For Erin")
    tell(team["reviewer"], "For Dana")
    client.force_login(team["editor"])
    html = client.get(reverse("admin:notifications")).content.decode()
    assert "For Erin" in html
    assert "For Dana" not in html
    assert "1 unread." in html


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, team):
    notification = tell(team["editor"], "Open me", url="/admin/guides/guide/")
    client.force_login(team["editor"])
    response = client.get(reverse("admin:notification_open", args=[notification.pk]))
    assert response["Location"] == "/admin/guides/guide/"
    notification.refresh_from_db()
    assert notification.is_read


def test_a_notification_never_redirects_off_site(client, team):
    notification = tell(team["editor"], "Odd", url="https://evil.example/")
    client.force_login(team["editor"])
    response = client.get(reverse("admin:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("admin:notifications")


def test_someone_elses_notification_is_not_found(client, team):
    notification = tell(team["reviewer"], "Dana's")
    client.force_login(team["editor"])
    assert client.get(reverse("admin:notification_open", args=[notification.pk])).status_code == 404
    client.post(reverse("admin:notification_read", args=[notification.pk]))
    assert not Notification.objects.get(pk=notification.pk).is_read


def test_mark_one_and_mark_all_read(client, team):
    first = tell(team["editor"], "First")
    tell(team["editor"], "Second")
    client.force_login(team["editor"])
    client.post(reverse("admin:notification_read", args=[first.pk]))
    assert Notification.objects.unread().count() == 1
    response = client.post(reverse("admin:notifications_read"), follow=True)
    assert "Marked 1 notification read." in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_a_person_chooses_the_daily_digest_and_turns_a_kind_off(client, team):
    client.force_login(team["editor"])
    page = client.get(reverse("admin:notification_settings")).content.decode()
    assert "One email a day with everything new (a digest)" in page
    assert "Emails go to erin@example.com." in page
    kinds = ["sent_to_review", "signed_off", "published", "assigned", "due_soon"]
    client.post(reverse("admin:notification_settings"), {"delivery": "daily", "kinds": kinds})
    settings = NotificationSettings.objects.get(user=team["editor"])
    assert settings.delivery == "daily"
    assert "changes_requested" in settings.muted_kinds
    assert "signed_off" not in settings.muted_kinds
    assert notify("changes_requested", [team["editor"]], title="Muted") == []


def test_notification_pages_are_for_signed_in_staff(client):
    assert client.get(reverse("admin:notifications")).status_code == 302
