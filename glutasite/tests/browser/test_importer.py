import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from guides.roles import grant_roles
from products.models import Offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-importer-passphrase"
HEADER = [
    "sku", "brand", "product", "form", "serving_size", "amount_per_serving", "servings_per_container",
    "certifications", "merchant", "price", "currency", "price_checked_at", "affiliate_url", "in_stock",
]  # fmt: skip
GOOD_ROW = [
    "DEMO-NFL-GLN-500", "Northfield Labs", "L-Glutamine Powder", "powder", "1 scoop (5 g)", 5, 100,
    "NSF Certified for Sport", "Amazon US", 31.49, "USD", None,
    "https://shop.example.com/amazon-us/demo-nfl-gln-500?tag=glutasite-demo", "yes",
]  # fmt: skip


def spreadsheet(path, *rows):
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture
def importer(transactional_db, django_user_model):
    call_command("seed_demo", verbosity=0)
    grant_roles(apps)  # other live-server tests flush the groups the migration made
    user = django_user_model.objects.create_user(username="sam", password=PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name="Product importers"))
    return user


def upload(page, live_server, path):
    page.goto(live_server.url + "/admin/products/product/import/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def test_importer_fixes_a_bad_row_then_updates_a_price(importer, live_server, page, screenshot, tmp_path):
    offer = Offer.objects.get(product__sku="DEMO-NFL-GLN-500", merchant__name="Amazon US")
    bad_row = [*GOOD_ROW[:9], "-4.00", *GOOD_ROW[10:]]
    bad_row[0] = "DEMO-CLR-GLN-1000"

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    upload(page, live_server, spreadsheet(tmp_path / "prices.xlsx", GOOD_ROW, bad_row))
    problems = page.locator(".import-problems")
    expect(problems).to_contain_text("Row 3")
    expect(problems).to_contain_text("price")
    screenshot("importer-bad-row")
    offer.refresh_from_db()
    assert str(offer.price) == "34.99"  # nothing written

    upload(page, live_server, spreadsheet(tmp_path / "prices-fixed.xlsx", GOOD_ROW))
    expect(page.get_by_role("heading", name=re.compile("Preview"))).to_be_visible()
    expect(page.locator(".import-preview")).to_contain_text("31.49")
    screenshot("importer-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import finished: 0 new, 1 updated, 0 unchanged offers")
    offer.refresh_from_db()
    assert str(offer.price) == "31.49"

    page.context.clear_cookies()  # now as a reader
    page.goto(live_server.url + "/guides/l-glutamine-for-gut-health/")
    expect(page.locator("#product-1 .price")).to_contain_text("$31.49")
    screenshot("importer-new-price-on-guide")
