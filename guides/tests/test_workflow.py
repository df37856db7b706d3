from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import claim_with
from guides import workflow
from guides.models import CorrectionRequest, Guide, SiteSettings
from guides.tests.factories import (
    GuideFactory,
    KeyBenefitFactory,
    RankedProductFactory,
    ReviewerFactory,
    SectionFactory,
)
from guides.tests.test_views import main_text, page_text
from products.tests.factories import OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

GUIDE_PERMS = ["view_guide", "add_guide", "change_guide"]


def staff(django_user_model, username, *codenames, reviewer=False):
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
def editor_user(django_user_model):
    return staff(django_user_model, "edith", "publish_guide")


@pytest.fixture
def reviewer_user(django_user_model):
    return staff(django_user_model, "rita", "sign_off_guide", reviewer=True)


def ready_guide(**fields):
    """A draft that passes every check but the sign-off."""
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, updated_at=None, last_reviewed_on=None, **fields)
    claim = claim_with((Study.Design.RCT, ClaimStudy.Stance.SUPPORTS))  # graded moderate
    KeyBenefitFactory(guide=guide, title="Fuels the gut lining", claim=claim)
    ranked = RankedProductFactory(guide=guide, rank=1)
    OfferFactory(product=ranked.product)
    SectionFactory(guide=guide, heading="How it works", body="Glutamine feeds enterocytes.")
    workflow.record_revision(guide, None)
    return guide


def publish_now(guide, editor_user, reviewer_user, **kwargs):
    if guide.status != Guide.Status.IN_REVIEW:
        workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    return workflow.publish(guide=guide, user=editor_user, **kwargs)


def messages_of(error):
    return " ".join(error.value.messages)


# --- Transitions ---------------------------------------------------------------


def test_draft_goes_to_review_then_published_after_sign_off(client, editor_user, reviewer_user):
    guide = ready_guide()
    assert client.get(guide.get_absolute_url()).status_code == 404
    workflow.submit_for_review(guide=guide, user=editor_user)
    revision = workflow.sign_off(guide=guide, user=reviewer_user)
    workflow.publish(guide=guide, user=editor_user)
    guide.refresh_from_db()
    assert guide.status == Guide.Status.PUBLISHED
    assert guide.last_reviewed_on == timezone.localdate(revision.signed_off_at)
    assert guide.updated_at == guide.published_at
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_publishing_without_sign_off_is_refused_with_the_gate_message(editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(ValidationError) as error:
        workflow.publish(guide=guide, user=editor_user)
    assert "No reviewer has signed off the current version." in messages_of(error)
    guide.refresh_from_db()
    assert guide.status == Guide.Status.IN_REVIEW


def test_only_a_guide_in_review_can_be_signed_off(reviewer_user):
    with pytest.raises(ValidationError, match="Send the guide to review"):
        workflow.sign_off(guide=ready_guide(), user=reviewer_user)


def test_a_draft_cannot_be_published_straight_away(editor_user, reviewer_user):
    guide = ready_guide()
    with pytest.raises(ValidationError, match="Only a guide in review"):
        workflow.publish(guide=guide, user=editor_user)


def test_sign_off_needs_the_permission(editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(PermissionDenied):
        workflow.sign_off(guide=guide, user=editor_user)


def test_sign_off_needs_a_reviewer_profile_with_credentials(django_user_model, editor_user):
    user = staff(django_user_model, "newbie", "sign_off_guide")
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(PermissionDenied, match="not linked to a reviewer profile"):
        workflow.sign_off(guide=guide, user=user)
    ReviewerFactory(user=user, licence_number="")
    user = django_user_model.objects.get(pk=user.pk)
    with pytest.raises(ValidationError, match="licence number"):
        workflow.sign_off(guide=guide, user=user)


def test_publish_needs_the_permission(reviewer_user, editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    with pytest.raises(PermissionDenied):
        workflow.publish(guide=guide, user=reviewer_user)


def test_sign_off_records_who_when_and_which_version(editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    revision = workflow.sign_off(guide=guide, user=reviewer_user)
    assert revision == workflow.current_revision(guide)
    assert revision.signed_off_by == reviewer_user.reviewer_profile
    assert revision.signed_off_user == reviewer_user
    assert revision.signed_off_at is not None


def test_a_change_after_sign_off_needs_a_new_sign_off(editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    guide.intro = "A sentence the reviewer never saw."
    guide.save()
    workflow.record_revision(guide, editor_user)
    with pytest.raises(ValidationError, match="No reviewer has signed off the current version"):
        workflow.publish(guide=guide, user=editor_user)


def test_unpublished_guide_is_gone_for_readers(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    workflow.unpublish(guide=guide, user=editor_user)
    assert client.get(guide.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        workflow.unpublish(guide=guide, user=editor_user)


# --- Live version kept while a change is pending ----------------------------------


def test_readers_keep_the_live_version_while_a_change_is_pending(editor_client, editor_user, reviewer_user):
    client = Client()  # a reader; `editor_client` is logged in
    guide = ready_guide(title="Glutamine guide")
    publish_now(guide, editor_user, reviewer_user)
    draft = workflow.start_change(guide=guide, user=editor_user)
    section = draft.sections.get()
    section.body = "A half-finished rewrite."
    section.save()
    draft.title = "Glutamine guide, rewritten"
    draft.save()

    reader_html = main_text(client.get(guide.get_absolute_url()))
    assert "Glutamine feeds enterocytes." in reader_html
    assert "half-finished" not in reader_html
    assert "rewritten" not in reader_html

    staff_html = main_text(editor_client.get(guide.get_absolute_url()))
    assert "A half-finished rewrite." in staff_html
    assert "Pending change" in page_text(editor_client.get(guide.get_absolute_url()))
    assert "half-finished" not in main_text(editor_client.get(guide.get_absolute_url() + "?live=1"))


def test_publishing_a_pending_change_replaces_the_live_content(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    first_published = Guide.objects.get(pk=guide.pk).published_at
    draft = workflow.start_change(guide=guide, user=editor_user)
    section = draft.sections.get()
    section.body = "Glutamine is the gut lining's main fuel."
    section.save()
    workflow.record_revision(draft, editor_user)
    publish_now(draft, editor_user, reviewer_user)

    assert not Guide.objects.filter(draft_of=guide).exists()
    guide.refresh_from_db()
    assert guide.published_at == first_published
    assert guide.updated_at > first_published
    html = main_text(client.get(guide.get_absolute_url()))
    assert "Glutamine is the gut lining&#x27;s main fuel." in html or "main fuel." in html


def test_live_guide_cannot_be_changed_in_place_in_the_admin(editor_client):
    guide = GuideFactory()
    response = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Start a change" in html
    assert 'name="title"' not in html  # read-only page


def test_start_a_change_from_the_admin_opens_the_pending_change(editor_client):
    guide = GuideFactory()
    SectionFactory(guide=guide, heading="Dosage")
    response = editor_client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "edit"]))
    draft = Guide.objects.get(draft_of=guide)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:guides_guide_change", args=[draft.pk])
    assert list(draft.sections.values_list("heading", flat=True)) == ["Dosage"]
    assert draft.slug == guide.slug


# --- The publish gate --------------------------------------------------------------


def make_retracted_citation(guide):
    study = guide.key_benefits.get().claim.claim_studies.first().study
    study.retracted = True
    study.retracted_on = timezone.localdate()
    study.save()


GATE_CASES = {
    "reviewer without licence": (
        lambda g: g.reviewer.__class__.objects.filter(pk=g.reviewer_id).update(licence_number=""),
        "has no licence number on file",
        True,
    ),
    "unresolved citation marker": (
        lambda g: g.__class__.objects.filter(pk=g.pk).update(intro_html="<p>See [@pmid:99999999].</p>"),
        "Citation markers match no study: [@pmid:99999999]",
        True,
    ),
    "key benefit without citation": (
        lambda g: KeyBenefitFactory(guide=g, title="Better sleep", claim=None),
        "The key benefit “Better sleep” cites no study.",
        True,
    ),
    "retracted study": (make_retracted_citation, "has been retracted", True),
    "ranked product without a fresh offer": (
        lambda g: g.ranked_products.get().product.offers.update(price_checked_at=timezone.now() - timedelta(days=3)),
        "has no in-stock offer with a fresh price",
        False,
    ),
    "ranked product out of stock": (
        lambda g: g.ranked_products.get().product.offers.update(in_stock=False),
        "has no in-stock offer with a fresh price",
        False,
    ),
    "missing intro": (lambda g: g.__class__.objects.filter(pk=g.pk).update(intro=""), "The guide has no intro.", False),
    "missing disclaimer": (
        lambda g: SiteSettings.objects.update(medical_disclaimer=""),
        "medical disclaimer is empty",
        True,
    ),
    "grade above the claims": (
        lambda g: g.__class__.objects.filter(pk=g.pk).update(evidence_grade="strong", grade_override_reason=""),
        "higher than the key benefits' claims support",
        True,
    ),
}


@pytest.mark.parametrize("case", GATE_CASES)
def test_each_gate_check_names_the_problem(case):
    guide = ready_guide()
    break_it, message, blocking = GATE_CASES[case]
    break_it(guide)
    guide = Guide.objects.get(pk=guide.pk)
    failing = [check for check in workflow.publish_checks(guide) if message in check.message]
    assert failing, [check.message for check in workflow.publish_checks(guide)]
    assert failing[0].blocking is blocking


@pytest.mark.parametrize("size", [1, 10])
def test_gate_query_count_does_not_grow_with_the_guide(django_assert_max_num_queries, size):
    guide = ready_guide()
    for rank in range(2, size + 1):
        OfferFactory(product=RankedProductFactory(guide=guide, rank=rank).product)
        KeyBenefitFactory(guide=guide, claim=guide.key_benefits.first().claim, text="Helps [@pmid:99999999].")
    guide = Guide.objects.get(pk=guide.pk)
    with django_assert_max_num_queries(16):  # 15 when the text has no marker to look up
        workflow.publish_checks(guide)


def test_a_ready_guide_fails_only_the_sign_off_check():
    messages = [check.message for check in workflow.publish_checks(ready_guide())]
    assert messages == ["No reviewer has signed off the current version."]


def test_blocking_check_cannot_be_overridden(editor_user, reviewer_user):
    guide = ready_guide()
    GATE_CASES["retracted study"][0](guide)
    with pytest.raises(ValidationError, match="has been retracted"):
        publish_now(guide, editor_user, reviewer_user, override_reason="We checked it.")


def test_non_safety_check_needs_a_written_reason_which_is_kept(client, editor_user, reviewer_user):
    guide = ready_guide()
    guide.ranked_products.get().product.offers.update(in_stock=False)
    with pytest.raises(ValidationError, match="Write why you publish over these checks"):
        publish_now(guide, editor_user, reviewer_user)
    revision = workflow.publish(guide=guide, user=editor_user, override_reason="Restock expected tomorrow.")
    assert revision.override_reason == "Restock expected tomorrow."
    assert "has no in-stock offer" in revision.overridden_checks[0]
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_ready_to_publish_panel_lists_failures_while_editing(editor_client):
    guide = ready_guide()
    guide.ranked_products.get().product.offers.update(in_stock=False)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "Ready to publish?" in html
    assert "No reviewer has signed off the current version." in html
    assert "has no in-stock offer with a fresh price" in html


# --- What changed -------------------------------------------------------------------


def test_rank_change_needs_a_note_that_readers_see(client, editor_user, reviewer_user):
    guide = ready_guide()
    second = RankedProductFactory(guide=guide, rank=2, product=ProductFactory(name="Runner-up powder"))
    OfferFactory(product=second.product)
    workflow.record_revision(guide, editor_user)
    publish_now(guide, editor_user, reviewer_user)
    draft = workflow.start_change(guide=guide, user=editor_user)
    first, runner_up = draft.ranked_products.order_by("rank")
    first.rank, runner_up.rank = 3, 1
    first.save()
    runner_up.save()
    first.rank = 2
    first.save()
    workflow.record_revision(draft, editor_user)
    workflow.submit_for_review(guide=draft, user=editor_user)
    workflow.sign_off(guide=draft, user=reviewer_user)
    suggestion = workflow.suggested_change_note(draft)
    assert "Runner-up powder moved from #2 to #1." in suggestion
    with pytest.raises(ValidationError, match="Say what changed for readers"):
        workflow.publish(guide=draft, user=editor_user)
    workflow.publish(guide=draft, user=editor_user, change_note="Runner-up powder is now our top pick.")
    html = main_text(client.get(guide.get_absolute_url()))
    assert "What changed" in html
    assert "Runner-up powder is now our top pick." in html


# --- Scheduling -------------------------------------------------------------------


def test_first_publication_can_be_scheduled(editor_user, reviewer_user):
    guide = ready_guide()
    now = timezone.now()
    go_live = now + timedelta(hours=2)
    publish_now(guide, editor_user, reviewer_user, go_live_at=go_live)
    assert guide not in Guide.objects.published(at=now)
    assert guide not in Guide.objects.published(at=go_live - timedelta(minutes=1))
    assert guide in Guide.objects.published(at=go_live)


def test_scheduled_change_goes_live_by_command_at_its_time(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    draft = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=draft.pk).update(intro="New intro for next week.")
    draft.refresh_from_db()
    workflow.record_revision(draft, editor_user)
    go_live = timezone.now() + timedelta(days=7)
    publish_now(draft, editor_user, reviewer_user, go_live_at=go_live)
    assert workflow.publish_due(at=go_live - timedelta(minutes=1)) == 0
    assert Guide.objects.get(pk=guide.pk).intro != "New intro for next week."
    assert workflow.publish_due(at=go_live) == 1
    assert Guide.objects.get(pk=guide.pk).intro == "New intro for next week."


def test_scheduled_change_reaches_readers_even_if_the_command_runs_late(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    draft = workflow.start_change(guide=guide, user=editor_user)
    section = draft.sections.get()
    section.body = "Scheduled wording."
    section.save()
    workflow.record_revision(draft, editor_user)
    publish_now(draft, editor_user, reviewer_user, go_live_at=timezone.now() + timedelta(seconds=1))
    Guide.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now() - timedelta(minutes=5))
    assert "Scheduled wording." in main_text(client.get(guide.get_absolute_url()))
    assert not Guide.objects.filter(draft_of=guide).exists()


def test_publish_scheduled_command_reports_what_it_did(editor_user, reviewer_user, capsys):
    call_command("publish_scheduled")
    assert "Published 0 scheduled changes." in capsys.readouterr().out


def test_publish_form_names_the_site_time_zone(editor_client, editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert f"Go live at ({timezone.get_current_timezone_name()})" in html


# --- History and revert ------------------------------------------------------------------


def test_history_shows_who_changed_what_and_reverts(editor_client, editor, reviewer_user, django_user_model):
    guide = ready_guide(intro="First wording.")
    guide.intro = "Second wording."
    guide.save()
    workflow.record_revision(guide, editor)
    history = editor_client.get(reverse("admin:guides_guide_revisions", args=[guide.pk])).content.decode()
    assert "Erin Editor" in history
    diff = editor_client.get(reverse("admin:guides_guide_revision", args=[guide.pk, 2])).content.decode()
    assert "-First wording." in diff
    assert "+Second wording." in diff
    response = editor_client.post(
        reverse("admin:guides_guide_workflow", args=[guide.pk, "revert"]),
        {"number": "1"},
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.intro == "First wording."
    assert workflow.current_revision(guide).number == 3


def test_reverting_a_live_guide_prepares_a_pending_change(client, editor_user, reviewer_user):
    guide = ready_guide(intro="Live wording.")
    publish_now(guide, editor_user, reviewer_user)
    draft = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=draft.pk).update(intro="Newer wording.")
    draft.refresh_from_db()
    workflow.record_revision(draft, editor_user)
    publish_now(draft, editor_user, reviewer_user)
    first = guide.revisions.get(number=1)
    pending = workflow.revert(guide=Guide.objects.get(pk=guide.pk), revision=first, user=editor_user)
    assert pending.draft_of_id == guide.pk
    assert pending.intro == "Live wording."
    assert Guide.objects.get(pk=guide.pk).intro == "Newer wording."


# --- Concurrent edits -------------------------------------------------------------------


def admin_form_data(guide, opened_revision, **overrides):
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "category": guide.category_id,
        "evidence_grade": guide.evidence_grade,
        "grade_override_reason": "",
        "reviewer": guide.reviewer_id,
        "intro": guide.intro,
        "expert_take": "",
        "opened_revision": str(opened_revision),
    }
    for prefix in ["key_benefits", "ranked_products", "sections", "complaints", "safety_warnings", "faqs", "citations"]:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data.update(overrides)
    return data


def test_second_of_two_concurrent_saves_is_refused_and_keeps_the_text(client, django_user_model):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, evidence_grade="insufficient")
    workflow.record_revision(guide, None)
    url = reverse("admin:guides_guide_change", args=[guide.pk])
    alice = staff(django_user_model, "alice")
    bob = staff(django_user_model, "bob")

    client.force_login(alice)
    assert 'name="opened_revision" value="1"' in client.get(url).content.decode()
    client.force_login(bob)
    client.get(url)

    client.force_login(alice)
    assert client.post(url, admin_form_data(guide, 1, intro="Alice's intro.")).status_code == 302
    client.force_login(bob)
    response = client.post(url, admin_form_data(guide, 1, intro="Bob's careful intro."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This guide was changed by Alice at" in html
    assert "since you opened it" in html
    assert "Bob&#x27;s careful intro." in html
    guide.refresh_from_db()
    assert guide.intro == "Alice's intro."


# --- Review queue -----------------------------------------------------------------------


def test_review_queue_lists_guides_that_need_attention(editor_client, editor_user, reviewer_user):
    in_review = ready_guide(title="Waiting for review")
    workflow.submit_for_review(guide=in_review, user=editor_user)
    stale = ready_guide(title="Stale price guide")
    publish_now(stale, editor_user, reviewer_user)
    stale.ranked_products.get().product.offers.update(price_checked_at=timezone.now() - timedelta(days=2))
    old = GuideFactory(title="Reviewed long ago", last_reviewed_on=timezone.localdate() - timedelta(days=400))
    reported = GuideFactory(title="Reported by a reader")
    CorrectionRequest.objects.create(guide=reported, description="The dose in the FAQ says 50 g.")
    html = editor_client.get(reverse("admin:guides_guide_review_queue")).content.decode()
    assert "Reported by a reader" in html.split("Has open error reports from readers")[1]
    assert "Waiting for review" in html.split("Changed since sign-off")[0]
    assert "Stale price guide" in html.split("Shows a stale or unavailable price")[1]
    assert old.title in html.split("Last reviewed more than 12 months ago")[1].split("Cites a retracted")[0]


def test_review_queue_shows_changes_made_since_sign_off(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    assert guide not in Guide.objects.changed_since_sign_off()
    draft = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=draft.pk).update(intro="Edited after sign-off.")
    draft.refresh_from_db()
    workflow.record_revision(draft, editor_user)
    assert guide in Guide.objects.changed_since_sign_off()
