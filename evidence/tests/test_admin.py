import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import Study
from evidence.reference_files import MAX_IMPORT_BYTES
from evidence.tests.factories import ClaimFactory, StudyFactory
from evidence.tests.files import MEDLINE, RIS

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:evidence_study_import")


def upload(client, text, name="export.ris"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/plain")})


def test_study_list_offers_the_import(editor_client):
    html = editor_client.get(reverse("admin:evidence_study_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in html


def test_upload_shows_a_preview_and_saves_only_on_confirm(editor_client):
    StudyFactory(pmid="30108163", doi="", title="Old title of the IBS trial")
    response = upload(editor_client, MEDLINE, "pubmed-glutamine.nbib")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview of pubmed-glutamine.nbib" in html
    assert "2 PubMed MEDLINE records: 1 new, 1 updated, 0 unchanged. Nothing is saved yet." in html
    assert "Updates PMCID, DOI, title, authors" in html
    assert "Added as a new study" in html
    assert Study.objects.count() == 1
    assert Study.objects.get().title == "Old title of the IBS trial"

    token = response.context["token"]
    response = editor_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "Imported pubmed-glutamine.nbib. 2 PubMed MEDLINE records: 1 new, 1 updated, 0 unchanged. Saved." in (
        response.content.decode()
    )
    assert Study.objects.count() == 2
    assert Study.objects.get(pmid="30108163").title.startswith("Randomised placebo-controlled trial")


def test_confirming_twice_imports_once(editor_client):
    token = upload(editor_client, RIS).context["token"]
    editor_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    response = editor_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "That preview has expired or was already imported" in response.content.decode()
    assert Study.objects.count() == 3


def test_a_study_saved_between_preview_and_confirm_that_conflicts_stops_the_import(editor_client):
    token = upload(editor_client, MEDLINE, "pubmed.nbib").context["token"]
    StudyFactory(pmid="1234567", doi="10.1136/gutjnl-2017-315136")
    html = editor_client.post(IMPORT_URL, {"confirm": "1", "token": token}).content.decode()
    assert "Nothing was imported from pubmed.nbib." in html
    assert "but its PMID 30108163 differs from the stored 1234567." in html
    assert Study.objects.count() == 1


def test_a_file_in_no_format_we_read_is_refused_on_the_form(editor_client):
    response = upload(editor_client, "Title,Authors,Year\nGlutamine,Smith,2019\n", "export.csv")
    [error] = response.context["form"].errors["file"]
    assert error.startswith("Could not tell the file's format. Expected RIS")
    assert "Could not tell the file&#x27;s format." in response.content.decode()  # shown on the form
    assert "token" not in response.context


def test_bad_file_lists_every_bad_record_and_saves_nothing(editor_client):
    text = RIS.replace("TI  - Glutamine and the preservation of gut integrity\n", "").replace("PY  - 2011", "PY  - ")
    html = upload(editor_client, text).content.decode()
    assert "Nothing was imported from export.ris." in html
    assert "Record 1 (line 1): it has no title." in html
    assert "Record 3 (line 37): it has no year." in html
    assert "Import these" not in html
    assert not Study.objects.exists()


def test_oversized_file_is_refused_before_it_is_read(editor_client):
    response = upload(editor_client, "TY  - JOUR\n" + "x" * MAX_IMPORT_BYTES)
    assert "the limit is 5 MB" in response.content.decode()
    assert not Study.objects.exists()


def test_import_needs_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("export.ris", RIS.encode())})
    assert response.status_code == 403
    assert not Study.objects.exists()


def test_staff_who_cannot_add_studies_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="pw-reader-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_study", "change_study"]))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, RIS).status_code == 403
    assert not Study.objects.exists()


def test_claim_admin_shows_the_grading_rule_and_proposed_grade(editor_client):
    claim = ClaimFactory()
    html = editor_client.get(reverse("admin:evidence_claim_change", args=[claim.pk])).content.decode()
    assert "Animal studies, in-vitro studies and narrative reviews alone never rise above insufficient." in html
    assert "Insufficient evidence" in html


def test_override_without_reason_is_refused_in_the_admin(editor_client):
    data = {
        "statement": "Glutamine shortens colds",
        "slug": "glutamine-shortens-colds",
        "summary": "",
        "grade_override": "strong",
        "grade_override_reason": "  ",
        "claim_studies-TOTAL_FORMS": "0",
        "claim_studies-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:evidence_claim_add"), data)
    assert response.status_code == 200
    assert "Write why the proposed grade is overridden." in response.content.decode()
