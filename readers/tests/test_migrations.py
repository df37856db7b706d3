"""Moving pages, subscribers and error reports from guides to readers loses no row, permission or history."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("guides", "0008_editorial_roles"), ("readers", None)]
AFTER = [("guides", "0009_pending_change_of_readers_models_moved"), ("readers", "0001_initial")]


def test_moved_models_keep_their_rows_permissions_and_admin_history(migrate_to):
    old = migrate_to(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    page_type, _ = ContentType.objects.get_or_create(app_label="guides", model="page")
    change_page, _ = Permission.objects.get_or_create(
        content_type=page_type,
        codename="change_page",
        defaults={"name": "Can change page"},
    )
    group = old.get_model("auth", "Group").objects.create(name="Page keepers")
    group.permissions.add(change_page)
    user = old.get_model("auth", "User").objects.create(username="keeper")
    page = old.get_model("guides", "Page").objects.create(title="About", slug="about", description="Us.", body="We.")
    old.get_model("guides", "NewsletterSubscriber").objects.create(email="reader@example.com")
    category = old.get_model("guides", "Category").objects.create(name="Gut", slug="gut")
    reviewer = old.get_model("guides", "Reviewer").objects.create(name="Dana", slug="dana")
    guide = old.get_model("guides", "Guide").objects.create(
        title="Glutamine",
        slug="glutamine",
        category=category,
        evidence_grade="limited",
        reviewer=reviewer,
        intro="Intro.",
    )
    pending = old.get_model("guides", "Guide").objects.create(
        title="Glutamine",
        slug="glutamine",
        category=category,
        evidence_grade="limited",
        reviewer=reviewer,
        intro="Edited intro.",
        draft_of=guide,
    )
    old.get_model("guides", "CorrectionRequest").objects.create(guide=guide, description="The dose is wrong here.")
    old.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type=page_type,
        object_id=str(page.pk),
        object_repr="About",
        action_flag=2,
    )

    new = migrate_to(AFTER)
    assert new.get_model("readers", "Page").objects.get().title == "About"
    assert new.get_model("readers", "NewsletterSubscriber").objects.get().email == "reader@example.com"
    assert new.get_model("readers", "CorrectionRequest").objects.get().guide_id == guide.pk
    assert new.get_model("guides", "Guide").objects.get(pk=pending.pk).pending_change_of_id == guide.pk
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=page_type.pk)
    assert (moved.app_label, moved.model) == ("readers", "page")
    kept = new.get_model("auth", "Group").objects.get(name="Page keepers").permissions.get()
    assert (kept.content_type.app_label, kept.codename) == ("readers", "change_page")
    assert new.get_model("admin", "LogEntry").objects.get().content_type.app_label == "readers"
