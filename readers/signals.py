"""Empty the reader page cache when editors change anything readers see."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from products.signals import offers_imported

from .cache import bump_content_version

READER_APPS = {"guides", "products", "evidence", "readers"}
# Rows readers never see; clicks and price history are written on every visit or import.
NOT_SHOWN_TO_READERS = {
    "readers.newslettersubscriber",
    "readers.correctionrequest",
    "products.affiliateclick",
    "products.pricehistory",
}


def content_changed(sender, **kwargs):
    if sender._meta.app_label in READER_APPS and sender._meta.label_lower not in NOT_SHOWN_TO_READERS:
        bump_content_version()
        # Again after commit: a reader's request between the save and the
        # commit may have cached the old content under the new version.
        transaction.on_commit(bump_content_version)


def import_finished(sender, **kwargs):
    bump_content_version()


def connect():
    post_save.connect(content_changed, dispatch_uid="readers.cache.post_save")
    post_delete.connect(content_changed, dispatch_uid="readers.cache.post_delete")
    m2m_changed.connect(content_changed, dispatch_uid="readers.cache.m2m_changed")
    # The spreadsheet import writes in bulk, which sends no model signals.
    offers_imported.connect(import_finished, dispatch_uid="readers.cache.import")
