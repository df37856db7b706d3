"""Every part in the registry gets every behaviour derived from it: a part added there is copied into a
pending change, kept in a revision, diffed, restored, editable by the roles that edit guides, shown in the
admin and prefetched for the page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guides import changes, revisions, workflow
from guides.admin import GuideAdmin
from guides.models import Guide
from guides.parts import PARTS
from guides.roles import ROLES
from guides.selectors import guide_page
from guides.tests import factories

pytestmark = pytest.mark.django_db

PART_NAMES = [part.related_name for part in PARTS]


def guide_with(part):
    """A published guide holding one row of `part`, made by the part's factory."""
    guide = factories.GuideFactory(evidence_grade="insufficient")
    getattr(factories, f"{part.model.__name__}Factory")(guide=guide)
    return guide


@pytest.mark.parametrize("part", PARTS, ids=PART_NAMES)
def test_a_pending_change_copies_the_part_and_publishing_copies_it_back(part, editor):
    guide = guide_with(part)
    revisions.record_revision(guide, None)
    pending = workflow.start_change(guide=guide, user=editor)
    assert getattr(pending, part.related_name).count() == 1
    getattr(guide, part.related_name).all().delete()
    workflow.apply_change(pending)
    assert getattr(guide, part.related_name).count() == 1


@pytest.mark.parametrize("part", PARTS, ids=PART_NAMES)
def test_a_revision_keeps_diffs_and_restores_the_part(part):
    guide = guide_with(part)
    kept = revisions.snapshot(guide)
    assert len(kept[part.related_name]) == 1
    getattr(guide, part.related_name).all().delete()
    emptied = revisions.snapshot(guide)
    name = changes.Names(kept).show(part.model, part.names_row, kept[part.related_name][0][part.names_row])
    assert [heading for heading, _ in changes.diff(kept, emptied)] == [f"{part.label} 1 ({name}), removed"]
    revisions.restore(guide, kept)
    assert revisions.snapshot(guide) == kept


@pytest.mark.parametrize("part", PARTS, ids=PART_NAMES)
def test_whoever_edits_guides_may_edit_the_part(part):
    model_name = part.model._meta.model_name
    for role in ["Reviewers", "Editors"]:
        assert set(ROLES[role]["guides"][model_name]) == {"view", "add", "change", "delete"}
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {f"{action}_{model_name}" for action in ["view", "add", "change", "delete"]} <= codenames


def test_the_guide_admin_has_an_inline_for_each_part_in_registry_order(editor_client):
    assert [inline.model for inline in GuideAdmin.inlines] == [part.model for part in PARTS]
    guide = factories.GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    for name in PART_NAMES:
        assert f'name="{name}-TOTAL_FORMS"' in html


@pytest.mark.parametrize("part", PARTS, ids=PART_NAMES)
def test_the_guide_page_prefetches_the_part(part):
    guide = guide_page(Guide.objects.filter(pk=guide_with(part).pk)).get()
    with CaptureQueriesContext(connection) as queries:
        rows = list(getattr(guide, part.related_name).all())
    assert len(rows) == 1
    assert len(queries) == 0
