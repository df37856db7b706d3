"""Empty the cached reader pages that show what an editor, an import or a job changed.

`tags_changed_by(row)` says which pages show a saved row, as the tags their
views name (glutasite/page_tags.py): a price empties its product's page, the
guides that rank it and the product lists; a guide's FAQ empties that guide and
the guide lists. A row it does not know (site settings, a category, a
reviewer) empties every page, as do bulk writes (imports, jobs), which send no
per-row signal.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from evidence.models import Claim, ClaimStudy, Study
from evidence.notices import StudyNotice
from glutasite.page_tags import (
    GUIDE_LISTS,
    PRODUCT_LISTS,
    STUDY_LISTS,
    bump_tags,
    claim_tag,
    guide_tag,
    product_tag,
    study_tag,
)
from guides.models import Citation, Guide, GuideRevision, KeyBenefit
from guides.parts import PARTS
from jobs.signals import job_finished
from products.clicks import LinkCheck
from products.models import Offer, Product
from products.signals import offers_imported

from .cache import bump_content_version

READER_APPS = {"guides", "products", "evidence", "readers"}
# Rows readers never see; clicks and price history are written on every visit or import.
NOT_SHOWN_TO_READERS = {
    "readers.newslettersubscriber",
    "readers.correctionrequest",
    "products.affiliateclick",
    "products.pricehistory",
    "guides.assignment",
    "products.merchantfeed",
}


GUIDE_PART_MODELS = {part.model for part in PARTS} | {GuideRevision}


def guides_citing(studies):
    """Guides whose page shows these studies: as references, or behind a key benefit's claim."""
    cited = Citation.objects.filter(study__in=studies).values_list("guide_id", flat=True)
    claimed = KeyBenefit.objects.filter(claim__claim_studies__study__in=studies).values_list("guide_id", flat=True)
    return {guide_tag(pk) for pk in {*cited, *claimed}}


def guides_claiming(claims):
    return {guide_tag(pk) for pk in KeyBenefit.objects.filter(claim__in=claims).values_list("guide_id", flat=True)}


def tags_changed_by(row):
    """The tags of the pages that show `row`, or None when any page may show it."""
    if isinstance(row, Guide):
        # A pending change shows nowhere, but scheduling it sets when its guide's page changes.
        return {
            guide_tag(row.pk),
            GUIDE_LISTS,
            *([guide_tag(row.pending_change_of_id)] if row.pending_change_of_id else []),
        }
    if type(row) in GUIDE_PART_MODELS:
        tags = {guide_tag(row.guide_id), GUIDE_LISTS}
        if isinstance(row, Citation):
            tags.add(study_tag(row.study_id))
        return tags
    if isinstance(row, Offer):
        return {product_tag(row.product_id), PRODUCT_LISTS}
    if isinstance(row, Product):
        return {product_tag(row.pk), PRODUCT_LISTS}
    if isinstance(row, LinkCheck):
        return {product_tag(row.offer.product_id), PRODUCT_LISTS}
    if isinstance(row, StudyNotice):
        row = row.study
    if isinstance(row, Study):
        claims = ClaimStudy.objects.filter(study=row).values_list("claim_id", flat=True)
        return {study_tag(row.pk), STUDY_LISTS, *map(claim_tag, claims), *guides_citing([row.pk])}
    if isinstance(row, ClaimStudy):
        return {claim_tag(row.claim_id), study_tag(row.study_id), *guides_claiming([row.claim_id])}
    if isinstance(row, Claim):
        studies = ClaimStudy.objects.filter(claim=row).values_list("study_id", flat=True)
        return {claim_tag(row.pk), *map(study_tag, studies), *guides_claiming([row.pk])}
    return None


def empty_pages_showing(tags):
    if tags is None:
        bump_content_version()
    else:
        bump_tags(tags)


def content_changed(sender, instance=None, **kwargs):
    if sender.__module__ == "__fake__":
        return  # a migration's historical model: no reader has seen anything yet
    if (
        sender._meta.app_label in READER_APPS
        and sender._meta.label_lower not in NOT_SHOWN_TO_READERS
        # django-simple-history's copies: editors see them, readers never do.
        and not hasattr(sender, "instance_type")
    ):
        # A many-to-many change is sent by its through model; `instance` is the row it was made on.
        tags = tags_changed_by(instance)
        empty_pages_showing(tags)
        # Again after commit: a reader's request between the save and the
        # commit may have cached the old content under the new version.
        transaction.on_commit(lambda: empty_pages_showing(tags))


def import_finished(sender, **kwargs):
    bump_content_version()


def job_changed_pages(sender, run, **kwargs):
    """A job that changed what readers see (a price feed, a retraction, a scheduled guide) empties the cache."""
    if sender.changes_reader_pages and run.items_changed:
        bump_content_version()


def connect():
    post_save.connect(content_changed, dispatch_uid="readers.cache.post_save")
    post_delete.connect(content_changed, dispatch_uid="readers.cache.post_delete")
    m2m_changed.connect(content_changed, dispatch_uid="readers.cache.m2m_changed")
    # The spreadsheet import writes in bulk, which sends no model signals.
    offers_imported.connect(import_finished, dispatch_uid="readers.cache.import")
    job_finished.connect(job_changed_pages, dispatch_uid="readers.cache.job")
