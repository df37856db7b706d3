"""What the living-data jobs (price feeds, link health, retraction watch) do to the guides that rely on
their products and studies: the review queue, hidden offers and notices on the page."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from evidence.tests import retraction_watch_file as rw
from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory
from evidence.tests.test_retraction_watch import NEW_NOTICE, notices_heard, watch
from evidence.tests.test_retraction_watch import page as reader_page
from guides.selectors import review_queue_reason
from guides.tests.factories import CitationFactory, KeyBenefitFactory, RankedProductFactory
from products.models import AffiliateClick, LinkCheck, Offer
from products.signals import merchant_feed_failing, offer_link_broken
from products.tests.factories import OfferFactory
from products.tests.test_link_health import page as shop_page
from products.tests.test_price_feeds import FAILING, example_shop, feed_for, fetch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_services(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0


@pytest.fixture
def shop(httpserver):
    return example_shop()


@pytest.fixture
def heard():
    with notices_heard() as events:
        yield events


def test_two_failures_in_a_row_keep_the_prices_and_flag_the_feed(
    httpserver,
    shop,
    client,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    merchant, powder, _ = shop
    ranked = RankedProductFactory(product=powder.product)
    heard = []
    merchant_feed_failing.connect(
        lambda sender, merchant, error, **kw: heard.append(error), weak=False, dispatch_uid="t"
    )
    httpserver.expect_request("/feed.tsv").respond_with_data("down for maintenance", status=500)
    feed = feed_for(merchant, httpserver, "/feed.tsv", "google")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            fetch()
            assert list(review_queue_reason(FAILING)) == []
            fetch(merchant="example-shop")
    finally:
        merchant_feed_failing.disconnect(dispatch_uid="t")
    feed.refresh_from_db()
    powder.refresh_from_db()
    assert (feed.failures_in_a_row, feed.last_error) == (2, "The feed answered HTTP 500 INTERNAL SERVER ERROR.")
    assert powder.price == Decimal("34.99")
    assert heard == ["The feed answered HTTP 500 INTERNAL SERVER ERROR."]
    assert list(review_queue_reason(FAILING)) == [ranked.guide]
    editor = django_user_model.objects.create_user(username="ed", password="pw-ed-123456", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editors"))
    client.force_login(editor)
    jobs_page = client.get(reverse("admin:jobs_jobrun_changelist")).content.decode()
    assert "The price feed of Example Shop failed 2 times in a row" in jobs_page


def test_broken_twice_hides_the_offer_puts_its_guides_in_review_and_working_again_shows_it(
    httpserver,
    django_capture_on_commit_callbacks,
):
    ranked = RankedProductFactory()
    offer = OfferFactory(product=ranked.product, affiliate_url=httpserver.url_for("/p/1"))
    heard = []
    offer_link_broken.connect(lambda sender, offer, **kw: heard.append(offer.pk), weak=False, dispatch_uid="t")
    reason = "link-broken"
    try:
        httpserver.expect_request("/p/1").respond_with_data("", status=404)
        call_command("check_links", verbosity=0)
        assert Offer.objects.active().filter(pk=offer.pk).exists()  # once may be a hiccup
        httpserver.clear()
        httpserver.expect_request("/p/1").respond_with_data("", status=429)
        call_command("check_links", verbosity=0)
        assert LinkCheck.objects.get().broken_in_a_row == 1  # a 429 never counts, either way
        httpserver.clear()
        httpserver.expect_request("/p/1").respond_with_data("", status=404)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("check_links", verbosity=0)
        assert not Offer.objects.active().filter(pk=offer.pk).exists()
        assert not Offer.objects.buyable().filter(pk=offer.pk).exists()
        assert list(review_queue_reason(reason)) == [ranked.guide]
        assert heard == [offer.pk]

        httpserver.clear()
        httpserver.expect_request("/p/1").respond_with_data(**shop_page())
        call_command("check_links", verbosity=0)
        assert Offer.objects.active().filter(pk=offer.pk).exists()
        assert list(review_queue_reason(reason)) == []
    finally:
        offer_link_broken.disconnect(dispatch_uid="t")
    assert not AffiliateClick.objects.exists()  # a check is never a click


def test_a_retraction_marks_the_study_and_sends_its_guides_to_review(
    tmp_path,
    heard,
    django_capture_on_commit_callbacks,
):
    study = StudyFactory(doi="10.1016/J.Example.2019.01.001", pmid="")
    citation = CitationFactory(study=study)
    row = rw.notice(
        48213,
        doi="10.1016/j.example.2019.01.001",  # another case than ours
        date="3/14/2023 0:00",
        reason="+Concerns/Issues About Data;+Duplication of Image;",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = watch(tmp_path, [row])
    study.refresh_from_db()
    assert study.retracted
    assert study.retracted_on == date(2023, 3, 14)
    assert study.retraction_note == "Concerns/Issues About Data; Duplication of Image"
    assert study.notice_url == "https://doi.org/10.9999/notice.48213"
    assert heard == [(study.pk, "retraction", "https://doi.org/10.9999/notice.48213")]
    assert list(review_queue_reason(NEW_NOTICE)) == [citation.guide]
    assert list(review_queue_reason("cites-retracted")) == [citation.guide]
    assert 'href="https://doi.org/10.9999/notice.48213"' in reader_page(study.get_absolute_url())
    assert "Retracted on" in reader_page(citation.guide.get_absolute_url())
    assert (run.outcome, run.items_changed) == ("succeeded", 1)


@pytest.mark.parametrize(
    ("nature", "shown"), [("Expression of concern", "Expression of concern"), ("Correction", "Correction")]
)
def test_concerns_and_corrections_show_a_notice_without_changing_grades(tmp_path, nature, shown):
    study = StudyFactory(pmid="31234567")
    claim = ClaimFactory()
    ClaimStudyFactory(claim=claim, study=study, stance="supports")
    benefit = KeyBenefitFactory(claim=claim)
    grade = claim.grade
    watch(tmp_path, [rw.notice(7001, pmid="31234567", nature=nature, date="6/2/2024 0:00")])
    study.refresh_from_db()
    assert (study.retracted, study.notice, study.notice_on) == (
        False,
        nature.lower().replace(" ", "_"),
        date(2024, 6, 2),
    )
    assert claim.grade == grade
    assert f"{shown} published" in reader_page(study.get_absolute_url())
    assert f"{shown} published" in reader_page(claim.get_absolute_url())
    assert list(review_queue_reason(NEW_NOTICE)) == [benefit.guide]
