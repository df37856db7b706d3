"""Studies created or changed by a reference import keep their history: who, when and from which file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.importing import import_references
from evidence.models import Study
from evidence.tests.factories import StudyFactory
from evidence.tests.files import MEDLINE

pytestmark = pytest.mark.django_db


def entries():
    history = Study.history.model.objects.order_by("history_id")
    return list(history.values_list("pmid", "history_type", "history_user__username", "history_change_reason"))


def test_a_reference_import_records_who_and_which_file(editor):
    StudyFactory(pmid="30108163", doi="", title="Old title of the IBS trial")
    import_references(MEDLINE, user=editor, file_name="pubmed-glutamine.nbib")
    assert entries()[1:] == [
        ("22038507", "+", "editor", "Imported from pubmed-glutamine.nbib"),
        ("30108163", "~", "editor", "Imported from pubmed-glutamine.nbib"),
    ]
    import_references(MEDLINE, user=editor, file_name="again.nbib")  # nothing changes: nothing recorded
    assert len(entries()) == 3


def test_a_dry_run_records_nothing():
    import_references(MEDLINE, dry_run=True, file_name="pubmed.nbib")
    assert entries() == []


def test_the_admin_import_shows_on_the_study_history_page(editor_client):
    upload = SimpleUploadedFile("pubmed-glutamine.nbib", MEDLINE.encode(), content_type="text/plain")
    url = reverse("admin:evidence_study_import")
    token = editor_client.post(url, {"file": upload}).context["token"]
    editor_client.post(url, {"confirm": "1", "token": token})
    study = Study.objects.get(pmid="30108163")
    html = editor_client.get(reverse("admin:evidence_study_history", args=[study.pk])).content.decode()
    assert "Imported from pubmed-glutamine.nbib" in html
    assert "editor" in html
