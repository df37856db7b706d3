"""A spreadsheet too large for a request is previewed and imported by the job runner, the admin following it."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import JobRun
from products.models import Offer
from products.tests.files import csv_bytes, row

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:products_product_import")


@pytest.fixture(autouse=True)
def small_request_limit(settings, tmp_path):
    settings.PRODUCTS_IMPORT_IN_REQUEST_MAX_KB = 1
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {**settings.STORAGES["imports"], "OPTIONS": {"location": tmp_path}},
    }


def big_file(rows=60, **overrides):
    data = csv_bytes([row(sku=f"GLN-{n:04d}", **overrides) for n in range(rows)])
    assert len(data) > 1024
    return SimpleUploadedFile("offers.csv", data, content_type="text/csv")


def upload(client, file):
    return client.post(IMPORT_URL, {"import_file": file})


def test_a_large_file_is_previewed_by_a_job_then_imported_by_another_on_confirm(
    client,
    importer,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, big_file())
    preview_run = JobRun.objects.get()
    assert response["Location"] == reverse("admin:products_product_import_run", args=[preview_run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Preview: 60 new, 0 updated, 0 unchanged offers" in page
    assert page.count("<td>GLN-") == 50  # the first rows of each kind, not every row
    assert "And 10 more, not listed." in page
    assert not Offer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("admin:products_product_import_run_confirm", args=[preview_run.pk]))
    import_run = JobRun.objects.exclude(pk=preview_run.pk).get()
    assert (import_run.outcome, import_run.items_changed, import_run.requested_by) == ("succeeded", 60, importer)
    assert "Import finished" in client.get(confirmed["Location"]).content.decode()
    assert Offer.objects.count() == 60
    assert list(tmp_path.iterdir()) == []  # the kept file is removed
    # A preview confirms once.
    client.post(reverse("admin:products_product_import_run_confirm", args=[preview_run.pk]))
    assert JobRun.objects.count() == 2


def test_the_page_shows_the_run_waiting_and_refreshes_itself_until_a_worker_is_done(client, importer, job_queue):
    response = upload(client, big_file())
    page = client.get(response["Location"]).content.decode()
    assert "Checking offers.csv" in page
    assert "Waiting for a worker" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_large_file_with_problems_shows_them_and_keeps_nothing(
    client,
    importer,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, big_file(price="-4,00"))
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported: the file has 60 problems." in page
    assert "is negative" in page
    assert "Confirm import" not in page
    assert list(tmp_path.iterdir()) == []


def test_only_the_person_who_uploaded_may_see_or_confirm_the_run(
    client,
    importer,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, big_file())
    run = JobRun.objects.get()
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.user_permissions.set(importer.user_permissions.all())
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(reverse("admin:products_product_import_run_confirm", args=[run.pk])).status_code == 404
    assert storages["imports"].exists(run.details["stored_as"])
