import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from products.formats import IMPORT_FORMATS, ODS
from products.importing import import_offers
from products.models import AffiliateClick, Offer, PriceHistory, Product
from products.spreadsheets import read_dataset
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory
from products.tests.files import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:products_product_import")
FORMAT = {f.key: str(i) for i, f in enumerate(IMPORT_FORMATS)}


def upload(client, data, name="offers.csv"):
    return client.post(
        IMPORT_URL,
        {"format": FORMAT[name.rsplit(".", 1)[1]], "resource": "0", "import_file": SimpleUploadedFile(name, data)},
    )


@pytest.fixture(autouse=True)
def import_tmp_root(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "import_export": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def importer(client, django_user_model):
    user = django_user_model.objects.create_user("importer", is_staff=True)
    codenames = ["add_product", "change_product", "view_product", "add_offer", "change_offer", "view_offer"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="products", codename__in=codenames))
    client.force_login(user)
    return user


def test_import_preview_lists_changes_then_confirm_saves(client, importer, import_tmp_root):
    import_offers(read_dataset(csv_bytes([row(sku="OLD-1", price="9")]), "csv"))
    data = csv_bytes([row(), row(sku="OLD-1", price="12.00", product="Renamed")])
    preview = upload(client, data)
    html = preview.content.decode()
    assert "Preview: 1 new, 1 updated, 0 unchanged offers" in html
    assert "Confirm import" in html
    assert "<td>product, price</td>" in html  # what changes on the updated row
    assert not Product.objects.filter(sku="NOW-GLN-500").exists()

    confirm = preview.context["confirm_form"].initial
    response = client.post(reverse("admin:products_product_process_import"), confirm, follow=True)
    assert "Import finished: 1 new, 1 updated, 0 unchanged offers" in response.content.decode()
    assert Product.objects.get(sku="OLD-1").name == "Renamed"
    assert Offer.objects.get(product__sku="NOW-GLN-500").price == Decimal("29.99")
    assert PriceHistory.objects.filter(changed_by=importer).count() == 2
    assert LogEntry.objects.filter(user=importer).count() == 2
    assert not [p for p in import_tmp_root.rglob("*") if p.is_file()]  # the uploaded copy is removed


def test_import_preview_of_a_bad_file_lists_every_problem_and_offers_no_confirm(client, importer, import_tmp_root):
    rows = [row(sku="A"), row(sku="B", price="-1"), row(sku="C", currency="XXX"), row(sku="D", affiliate_url="ftp://x")]
    response = upload(client, csv_bytes(rows))
    html = response.content.decode()
    assert "Nothing was imported: the file has 3 problems. Fix them and import the whole file again." in html
    assert "Row 3, column “price” (J): “-1” is negative. A price must be 0 or more." in html
    assert "Row 4, column “currency” (K): “XXX” is not a currency code we know." in html
    assert "Row 5, column “affiliate_url” (M): “ftp://x” is not a web address." in html
    assert "Confirm import" not in html
    assert not Product.objects.exists()
    assert not [p for p in import_tmp_root.rglob("*") if p.is_file()]


def test_xlsx_upload_built_with_openpyxl(client, importer):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(row(price=29.99, price_checked_at=timezone.now().replace(tzinfo=None) - timedelta(hours=1)))
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, buffer.getvalue(), "offers.xlsx")
    assert "Preview: 1 new" in preview.content.decode()
    client.post(reverse("admin:products_product_process_import"), preview.context["confirm_form"].initial)
    assert Offer.objects.get().price == Decimal("29.99")


def test_upload_over_the_size_limit_is_refused(client, importer, settings):
    settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB = 0.001
    response = upload(client, csv_bytes([row()] * 20))
    assert "files up to 0.001 MB can be imported" in response.content.decode()
    assert not Product.objects.exists()


def test_empty_file_is_refused_with_a_plain_message(client, importer):
    response = upload(client, b"\xef\xbb\xbf\r\n")
    assert "The file is empty" in response.content.decode()


def test_import_needs_product_and_offer_permissions(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_product", "change_product"]))
    client.force_login(viewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:products_product_import_template", args=["xlsx"])).status_code == 403
    assert ">Import<" not in client.get(reverse("admin:products_product_changelist")).content.decode()


def test_import_page_lists_columns_and_links_the_template(client, importer):
    html = client.get(IMPORT_URL).content.decode()
    assert "<code>price_checked_at</code>" in html
    response = client.get(reverse("admin:products_product_import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A2"].value == "NOW-GLN-500"


def posted(form):
    """What the browser would send back for an unchanged admin form."""
    data = {}
    for name in form.fields:
        field, value = form[name], form[name].value()
        keys = [field.html_name] + ([f"initial-{field.html_name}"] if form.fields[name].show_hidden_initial else [])
        for key in keys:
            if isinstance(value, datetime):  # the admin's split date and time inputs
                data |= {f"{key}_0": value.date(), f"{key}_1": value.time()}
            elif isinstance(value, bool):
                data |= {key: "on"} if value else {}
            elif value is not None and not isinstance(value, FieldFile):  # no new upload
                data[key] = value
    return data


def change_page_data(client, url):
    context = client.get(url).context
    data = posted(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data |= posted(formset.management_form)
        for form in formset.forms:
            data |= posted(form)
    return data


def test_admin_price_edit_writes_history_and_counts_as_checked_now(client, importer):
    offer = OfferFactory(price_checked_at=timezone.now() - timedelta(hours=5))
    url = reverse("admin:products_offer_change", args=[offer.pk])
    response = client.post(url, change_page_data(client, url) | {"price": "25.00"})
    assert response.status_code == 302
    history = PriceHistory.objects.get()
    assert (history.price, history.source, history.changed_by) == (Decimal("25.00"), "admin", importer)
    assert history.checked_at > timezone.now() - timedelta(minutes=1)
    offer.refresh_from_db()
    assert offer.price_checked_at == history.checked_at


def test_admin_edit_without_price_change_writes_no_history(client, importer):
    offer = OfferFactory()
    url = reverse("admin:products_offer_change", args=[offer.pk])
    assert client.post(url, change_page_data(client, url) | {"in_stock": ""}).status_code == 302
    offer.refresh_from_db()
    assert not offer.in_stock
    assert not PriceHistory.objects.exists()


def test_price_edited_in_the_product_page_offers_writes_history(client, importer):
    offer = OfferFactory()
    OfferFactory(product=offer.product, merchant=MerchantFactory(name="iHerb"))
    url = reverse("admin:products_product_change", args=[offer.product.pk])
    data = change_page_data(client, url)
    [price_key] = [key for key, value in data.items() if key.endswith("-id") and value == offer.pk]
    response = client.post(url, data | {price_key.replace("-id", "-price"): "19.50"})
    assert response.status_code == 302
    assert list(PriceHistory.objects.values_list("offer", "price", "source")) == [(offer.pk, Decimal("19.50"), "admin")]


def test_offer_list_filters_stale_prices_and_shows_age_and_clicks(client, importer):
    fresh = OfferFactory(product=ProductFactory(name="Fresh powder"))
    stale = OfferFactory(
        product=ProductFactory(name="Stale powder"),
        price_checked_at=timezone.now() - timedelta(hours=30),
    )
    AffiliateClick.objects.create(offer=fresh)
    AffiliateClick.objects.create(offer=fresh, clicked_at=timezone.now() - timedelta(days=31))
    changelist = reverse("admin:products_offer_changelist")
    html = client.get(changelist, {"freshness": "stale"}).content.decode()
    assert "Stale powder" in html
    assert "Fresh powder" not in html
    assert "(stale: hidden)" in html
    response = client.get(changelist)
    assert {o.pk: o.recent_clicks for o in response.context["cl"].result_list} == {fresh.pk: 1, stale.pk: 0}


def test_clicks_page_counts_per_offer_and_per_guide(client, importer):
    offer = OfferFactory()
    for _ in range(3):
        AffiliateClick.objects.create(offer=offer, referrer_path="/guides/creatine/", guide_slug="creatine")
    AffiliateClick.objects.create(offer=offer, clicked_at=timezone.now() - timedelta(days=40), guide_slug="creatine")
    response = client.get(reverse("admin:products_offer_clicks"))
    assert [(r["guide_slug"], r["clicks"]) for r in response.context["by_guide"]] == [("creatine", 3)]
    assert [(o, o.recent_clicks) for o in response.context["by_offer"]] == [(offer, 3)]


def test_offer_export_is_the_import_sheet(client, importer):
    OfferFactory(product=ProductFactory(sku="EXP-1"))
    fields = {f"offerresource_{name}": "on" for name in HEADER}
    response = client.post(reverse("admin:products_offer_export"), {"format": "0", "resource": "0", **fields})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "EXP-1" in text


def test_ods_is_read_as_a_binary_file_by_the_admin():
    assert (ODS().is_binary(), ODS().get_read_mode()) == (True, "rb")
