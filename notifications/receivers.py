"""Who hears about what: one receiver per kind of notification, connected to the events of the apps below.

Guides' workflow events come from `guides.signals`; retractions from
`evidence.signals`; broken shop links and failing price feeds from
`products.signals`; readers' error reports from their model's save. A
receiver only writes rows (`notify`); emails leave later, from a job.
"""

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from evidence.signals import retraction_recorded
from guides import signals as workflow
from guides.actions import editor_time
from guides.models import Guide, GuideRevision
from guides.selectors import people_who_may
from products.signals import merchant_feed_failing, offer_link_broken
from readers.models import CorrectionRequest

from .notify import name_of, notify


def guide_url(guide):
    return reverse("admin:guides_guide_change", args=[guide.pk])


def assignee_of(guide):
    assignment = getattr(guide, "assignment", None) if guide.pk else None
    return assignment.assignee if assignment else None


def reviewers_for(guide):
    """The guide's reviewer's login; when it names none who may sign off, every reviewer with a profile."""
    may_sign_off = people_who_may("guides.sign_off_guide").filter(reviewer_profile__isnull=False)
    named = list(may_sign_off.filter(reviewer_profile=guide.reviewer_id)) if guide.reviewer_id else []
    return named or list(may_sign_off)


def people_on(guide):
    """Whoever sent the guide to review last, started it, or has it now."""
    submitted = (
        GuideRevision.objects.filter(guide=guide.live_guide, submitted_by__isnull=False)
        .select_related("submitted_by")
        .order_by("-number")
        .first()
    )
    return [submitted.submitted_by if submitted else None, guide.started_by, assignee_of(guide)]


def tell(kind, people, *, guide, user, title, body=""):
    """Tell `people` about an event on `guide` that `user` caused, linking the guide's admin page."""
    notify(kind, people, title=title, body=body, url=guide_url(guide), guide=guide, actor=user)


def on_sent_to_review(sender, guide, user, revision, **kwargs):
    people = [*reviewers_for(guide), assignee_of(guide)]
    title = f"{name_of(user)} sent “{guide}” to review"
    body = f"Version {revision.number} is waiting for a reviewer's sign-off."
    tell("sent_to_review", people, guide=guide, user=user, title=title, body=body)


def on_signed_off(sender, guide, user, revision, **kwargs):
    title = f"{name_of(user)} signed off “{guide}”"
    body = f"Version {revision.number} is signed off: an editor may publish it once the checks pass."
    tell("signed_off", people_on(guide), guide=guide, user=user, title=title, body=body)


def on_changes_requested(sender, guide, user, revision, **kwargs):
    title = f"{name_of(user)} asked for changes to “{guide}”"
    tell("changes_requested", people_on(guide), guide=guide, user=user, title=title, body=revision.review_comment)


def on_published(sender, guide, user, revision, **kwargs):
    if revision.published_at > timezone.now():
        what = f"scheduled “{guide.live_guide}” for {editor_time(revision.published_at)}"
    else:
        what = f"published “{guide.live_guide}”"
    people = [*people_on(guide), revision.signed_off_user]
    tell(
        "published",
        people,
        guide=guide,
        user=user,
        title=f"{name_of(user)} {what}",
        body="\n".join(revision.change_lines),
    )


def on_assigned(sender, guide, user, assignment, **kwargs):
    due = f", due {assignment.due_on:%-d %B}" if assignment.due_on else ""
    notify(
        "assigned",
        [assignment.assignee],
        title=f"{name_of(user)} gave you “{guide}”{due}",
        body=assignment.note,
        url=guide_url(guide),
        guide=guide,
        actor=user,
        dedupe_key=f"assigned:{assignment.pk}:{assignment.assigned_at.isoformat()}",
    )


NATURES = {
    "retraction": "was retracted",
    "expression_of_concern": "has an expression of concern",
    "correction": "was corrected",
    "reinstatement": "was reinstated",
}


def on_retraction_recorded(sender, study, nature, notice_url="", **kwargs):
    guides = list(Guide.objects.citing(study).select_related("reviewer__user", "pending_change_of"))
    if not guides:
        return
    names = ", ".join(f"“{guide}”" for guide in guides)
    reviewers = [guide.reviewer.user for guide in guides if guide.reviewer and guide.reviewer.user]
    notify(
        "study_retracted",
        [*people_who_may("guides.publish_guide"), *reviewers],
        title=f"A study cited in {len(guides)} guide{'s' if len(guides) != 1 else ''} {NATURES.get(nature, nature)}: "
        f"{Truncator(study.title).chars(120)}",
        body=f"Cited in {names}.\n{notice_url}".strip(),
        url=reverse("admin:guides_guide_review_queue") + "?reason=cites-retracted",
        guide=guides[0] if len(guides) == 1 else None,
        dedupe_key=f"retraction:{study.pk}:{nature}:{notice_url}",
    )


def _guides_ranking(products):
    return list(Guide.objects.filter(ranked_products__product__in=products).distinct().order_by("title"))


def on_offer_link_broken(sender, offer, **kwargs):
    guides = _guides_ranking([offer.product_id])
    if not guides:
        return
    notify(
        "link_broken",
        people_who_may("products.change_offer"),
        title=f"The shop link of {offer} is broken; it is hidden from readers",
        body="Ranked in " + ", ".join(f"“{guide}”" for guide in guides) + ".",
        url=reverse("admin:products_offer_change", args=[offer.pk]),
        guide=guides[0] if len(guides) == 1 else None,
        dedupe_key=f"link-broken:{offer.pk}:{offer.affiliate_url}",
    )


def on_merchant_feed_failing(sender, merchant, error="", **kwargs):
    guides = _guides_ranking(merchant.offers.values("product"))
    if not guides:
        return
    notify(
        "feed_failing",
        people_who_may("products.change_offer"),
        title=f"The price feed of {merchant} is failing; its prices will go stale",
        body=f"{error}\nAffects " + ", ".join(f"“{guide}”" for guide in guides) + ".",
        url=reverse("admin:products_merchant_change", args=[merchant.pk]),
        guide=guides[0] if len(guides) == 1 else None,
    )


def on_report_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    guide = instance.guide
    where = f" ({instance.location})" if instance.location else ""
    notify(
        "error_reported",
        [*people_who_may("readers.change_correctionrequest"), assignee_of(guide)],
        title=f"A reader reported an error in “{guide}”{where}",
        body=Truncator(instance.description).chars(500),
        url=reverse("admin:readers_correctionrequest_change", args=[instance.pk]),
        guide=guide,
    )


def connect():
    receivers = [
        (workflow.sent_to_review, on_sent_to_review, Guide),
        (workflow.signed_off, on_signed_off, Guide),
        (workflow.changes_requested, on_changes_requested, Guide),
        (workflow.published, on_published, Guide),
        (workflow.assigned, on_assigned, Guide),
        (retraction_recorded, on_retraction_recorded, None),
        (offer_link_broken, on_offer_link_broken, None),
        (merchant_feed_failing, on_merchant_feed_failing, None),
        (post_save, on_report_saved, CorrectionRequest),
    ]
    for signal, receiver, sender in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=f"notifications.{receiver.__name__}")
