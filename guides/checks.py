"""The publish gate: every reason a guide is not ready for readers, in plain words.

`publish_checks()` returns `Check(message, blocking)`: the admin's "Ready to
publish?" panel lists them and `workflow.publish()` refuses on them. A
blocking check stops publication; another may be published over with a
written reason. A draft saves with only its title, so what a reader's page
needs (category, grade, reviewer) is checked here, not by the form. The
checks run in a fixed number of queries whatever the guide's size.
"""

from dataclasses import dataclass

from django.utils import timezone

from products.models import Offer

from . import citations
from .models import SiteSettings, cited_studies
from .parts import text_in_page_order
from .revisions import current_revision


@dataclass(frozen=True)
class Check:
    message: str
    blocking: bool  # True: no one may publish over it; False: an editor may, with a reason


# A draft saves with only a title; these are what readers' pages need.
REQUIRED_TO_PUBLISH = (
    ("category_id", "The guide has no category."),
    ("evidence_grade", "The guide has no evidence grade."),
    ("reviewer_id", "The guide names no reviewer."),
)


def publish_checks(guide, at=None):
    at = at or timezone.now()
    problems = []
    revision = current_revision(guide)
    if revision is None or not revision.is_signed_off:
        problems.append(Check("No reviewer has signed off the current version.", blocking=True))
    for field, message in REQUIRED_TO_PUBLISH:
        if not getattr(guide, field):
            problems.append(Check(message, blocking=True))
    missing = guide.reviewer.missing_credentials if guide.reviewer else []
    if missing:
        problems.append(
            Check(f"The reviewer {guide.reviewer.name} has no {', '.join(missing)} on file.", blocking=True),
        )
    unresolved = citations.unresolved_markers(getattr(part, field) for part, field in text_in_page_order(guide))
    if unresolved:
        problems.append(Check(f"Citation markers match no study: {', '.join(unresolved)}.", blocking=True))
    benefits = guide.key_benefits.select_related("claim").prefetch_related("claim__claim_studies__study")
    for benefit in benefits:
        if benefit.claim is None or not benefit.claim.claim_studies.all():
            problems.append(Check(f"The key benefit “{benefit.title}” cites no study.", blocking=True))
    for study in cited_studies(guide.pk).filter(retracted=True).distinct():
        problems.append(Check(f"The cited study “{study.title}” has been retracted.", blocking=True))
    ranked_products = list(guide.ranked_products.select_related("product__brand"))
    buyable = set(
        Offer.objects.buyable(at)
        .filter(product__in=[ranked.product_id for ranked in ranked_products])
        .values_list("product", flat=True),
    )
    for ranked in ranked_products:
        if ranked.product_id not in buyable:
            problems.append(
                Check(
                    f"The ranked product #{ranked.rank} {ranked.product} has no in-stock offer with a fresh price.",
                    blocking=False,
                ),
            )
    if not guide.intro.strip():
        problems.append(Check("The guide has no intro.", blocking=False))
    if not SiteSettings.load().medical_disclaimer.strip():
        problems.append(Check("The site's medical disclaimer is empty.", blocking=True))
    if guide.grade_needs_reason([benefit.claim for benefit in benefits if benefit.claim]):
        problems.append(
            Check("The evidence grade is higher than the key benefits' claims support, with no reason given.", True),
        )
    return problems
