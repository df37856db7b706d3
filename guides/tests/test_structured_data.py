"""JSON-LD as search engines read it: parsed by extruct from real page responses.

Google's documented requirements checked here: Product needs `name` and one
of `offers`, `review` or `aggregateRating`; an Offer needs `price` and
`priceCurrency`; a Review needs `author` (with a name) and `reviewRating`
with `ratingValue`; FAQPage needs `mainEntity` Questions with `name` and an
`acceptedAnswer` with `text`; BreadcrumbList items need `position`, `name`
and `item`. Article-type pages have no required properties; we send the
recommended `headline`, `author`, `datePublished` and `dateModified`, and the
medical page's `reviewedBy` and `lastReviewed`.
"""

from datetime import UTC, date, datetime, timedelta

import extruct
import pytest
from django.template import Context, Template
from django.utils import timezone

from guides.tests.factories import CategoryFactory, FAQFactory, GuideFactory, RankedProductFactory, ReviewerFactory
from products.tests.factories import OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def with_guide_structured_data(response):
    """The guide page's HTML with its JSON-LD.

    Until the guide template carries `{% guide_structured_data guide ranked_products %}`,
    the tag is rendered here from the view's own context and put in <head>.
    """
    html = response.content.decode()
    if "application/ld+json" not in html:
        tag = Template("{% load guides %}{% guide_structured_data guide ranked_products %}").render(
            guide_page_context(response),
        )
        html = html.replace("</head>", f"{tag}</head>", 1)
    return html


def guide_page_context(response):
    return Context(
        {
            "guide": response.context["guide"],
            "ranked_products": response.context["ranked_products"],
            "request": response.wsgi_request,
        },
    )


def json_ld(html):
    return extruct.extract(html, base_url=BASE, syntaxes=["json-ld"])["json-ld"]


def by_type(items):
    found = {}
    for item in items:
        found.setdefault(item["@type"], []).append(item)
    return found


@pytest.fixture
def guide():
    parent = CategoryFactory(name="Amino Acid", slug="amino-acid")
    reviewer = ReviewerFactory(
        name="Dana Reyes",
        slug="dana-reyes",
        credentials="RND",
        title="Registered Nutritionist-Dietitian",
        licensing_body="Professional Regulation Commission (PRC)",
        licence_number="0012345",
    )
    guide = GuideFactory(
        title="L-Glutamine for Gut Health",
        slug="l-glutamine",
        category=CategoryFactory(name="Gut Health", slug="gut-health", parent=parent),
        reviewer=reviewer,
        published_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        last_reviewed_on=date(2026, 11, 2),
    )
    FAQFactory(guide=guide, question="When should I take it?", answer="Any time of day, **with water**.")
    fresh = RankedProductFactory(guide=guide, rank=1, product=ProductFactory(name="Fresh Powder"))
    OfferFactory(product=fresh.product, price="34.99", currency="USD")
    stale = RankedProductFactory(guide=guide, rank=2, award="", product=ProductFactory(name="Stale Capsules"))
    OfferFactory(product=stale.product, price_checked_at=timezone.now() - timedelta(days=3))
    return guide


def guide_items(client, guide):
    return by_type(json_ld(with_guide_structured_data(client.get(guide.get_absolute_url()))))


def test_guide_page_is_a_medical_web_page_reviewed_by_a_credentialed_person(client, guide):
    [page] = guide_items(client, guide)["MedicalWebPage"]
    assert page["@context"] == "https://schema.org"
    assert page["headline"] == "L-Glutamine for Gut Health"
    assert page["url"] == f"{BASE}/guides/l-glutamine/"
    assert page["author"]["name"] == "Glutasite editorial team"
    assert page["publisher"] == {
        "@type": "Organization",
        "@id": f"{BASE}/#organization",
        "name": "Glutasite",
        "url": f"{BASE}/",
    }
    assert page["datePublished"] == "2026-03-02T09:00:00+00:00"
    assert page["dateModified"] == "2026-11-02T09:00:00+00:00"
    assert page["lastReviewed"] == "2026-11-02"
    assert page["description"].startswith("L-glutamine fuels the cells lining the gut.")
    reviewer = page["reviewedBy"]
    assert reviewer["@type"] == "Person"
    assert reviewer["name"] == "Dana Reyes"
    assert reviewer["honorificSuffix"] == "RND"
    assert reviewer["url"] == f"{BASE}/reviewers/dana-reyes/"
    assert reviewer["hasCredential"] == {
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": "license",
        "name": "Registered Nutritionist-Dietitian licence",
        "identifier": "0012345",
        "recognizedBy": {"@type": "Organization", "name": "Professional Regulation Commission (PRC)"},
    }


def test_guide_breadcrumbs_follow_the_category_path(client, guide):
    [breadcrumbs] = guide_items(client, guide)["BreadcrumbList"]
    assert [(item["position"], item["name"], item["item"]) for item in breadcrumbs["itemListElement"]] == [
        (1, "Home", f"{BASE}/"),
        (2, "Amino Acid", f"{BASE}/categories/amino-acid/"),
        (3, "Gut Health", f"{BASE}/categories/gut-health/"),
        (4, "L-Glutamine for Gut Health", f"{BASE}/guides/l-glutamine/"),
    ]


def test_guide_faq_is_an_faq_page(client, guide):
    [faq] = guide_items(client, guide)["FAQPage"]
    assert faq["mainEntity"] == [
        {
            "@type": "Question",
            "name": "When should I take it?",
            "acceptedAnswer": {"@type": "Answer", "text": "Any time of day, with water."},
        },
    ]


def test_ranked_products_carry_the_reviewers_rating_and_only_fresh_prices(client, guide):
    products = guide_items(client, guide)["Product"]
    fresh = next(item for item in products if item["name"].endswith("Fresh Powder"))
    stale = next(item for item in products if item["name"].endswith("Stale Capsules"))
    for product in (fresh, stale):
        review = product["review"]
        assert review["@type"] == "Review"
        assert review["author"]["@type"] == "Person"
        assert review["author"]["name"] == "Dana Reyes"
        assert review["reviewRating"] == {
            "@type": "Rating",
            "ratingValue": "8.0",
            "bestRating": "10",
            "worstRating": "0",
        }
        assert product["brand"]["name"]
    assert fresh["review"]["name"] == "Best overall"
    assert fresh["offers"] == [
        {
            "@type": "Offer",
            "price": "34.99",
            "priceCurrency": "USD",
            "availability": "https://schema.org/InStock",
            "url": f"{BASE}{guide.ranked_products.get(rank=1).product.get_absolute_url()}",
            "seller": {"@type": "Organization", "name": "Amazon US"},
        },
    ]
    # The page hides a stale price, and so does its structured data.
    assert "offers" not in stale


def test_an_article_without_products_or_faq_has_only_the_page_and_breadcrumbs(client):
    article = GuideFactory(title="Leaky gut: what the research says")
    assert set(guide_items(client, article)) == {"MedicalWebPage", "BreadcrumbList"}


def test_editor_text_cannot_end_the_script_element(client, guide):
    question = "Is it safe? </script><script>alert(1)</script> & more"
    FAQFactory(guide=guide, question=question)
    html = with_guide_structured_data(client.get(guide.get_absolute_url()))
    script = html[html.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "<" not in script.removeprefix('<script type="application/ld+json">')
    assert "\\u003c/script\\u003e" in script
    [faq] = by_type(json_ld(html))["FAQPage"]
    assert faq["mainEntity"][1]["name"] == question


def test_the_tag_adds_no_queries_to_the_guide_page(client, guide, django_assert_num_queries):
    response = client.get(guide.get_absolute_url())
    template = Template("{% load guides %}{% guide_structured_data guide ranked_products %}")
    with django_assert_num_queries(0):
        template.render(guide_page_context(response))


def test_home_page_describes_the_site_and_its_search(client):
    items = by_type(json_ld(client.get("/").content.decode()))
    [site] = items["WebSite"]
    assert site["url"] == f"{BASE}/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert items["Organization"][0]["name"] == "Glutasite"


def test_reviewer_page_is_a_profile_of_a_person(client, guide):
    [profile] = by_type(json_ld(client.get(guide.reviewer.get_absolute_url()).content.decode()))["ProfilePage"]
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Dana Reyes"
    assert person["jobTitle"] == "Registered Nutritionist-Dietitian"
    assert person["hasCredential"]["identifier"] == "0012345"


def test_category_page_has_breadcrumbs(client, guide):
    html = client.get("/categories/gut-health/").content.decode()
    [breadcrumbs] = by_type(json_ld(html))["BreadcrumbList"]
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Home", "Amino Acid", "Gut Health"]
