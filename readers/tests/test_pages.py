import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from glutasite.tests.html_forms import form_data
from guides.models import Guide
from guides.tests.factories import CategoryFactory, FAQFactory, GuideFactory, RankedProductFactory, ReviewerFactory
from products.models import Product
from products.tests.factories import BrandFactory
from readers.models import Page
from readers.tests.factories import PageFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


class Outline(HTMLParser):
    """What a screen reader user navigates by: headings, landmarks, head tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.landmarks, self.meta, self.links = [], [], {}, {}
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.append(tag)
        if tag == "meta":
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def outline(response):
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def main_text(response):
    html = " ".join(response.content.decode().split())
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.fixture
def site():
    """One of each reader page's subject, published."""
    parent = CategoryFactory(name="Amino Acid", slug="amino-acid")
    category = CategoryFactory(name="Gut Health", slug="gut-health", parent=parent)
    guide = GuideFactory(title="L-Glutamine for Gut Health", category=category, featured=True)
    RankedProductFactory(guide=guide, rank=1)
    FAQFactory(guide=guide)
    page = PageFactory(slug="about", title="About Glutasite")
    return {"guide": guide, "category": category, "parent": parent, "page": page}


def reader_paths(site):
    guide = site["guide"]
    return {
        "home": "/",
        "guide list": reverse("guides:guide_list"),
        "category": site["parent"].get_absolute_url(),
        "page": site["page"].get_absolute_url(),
        "reviewer": guide.reviewer.get_absolute_url(),
        "search": reverse("readers:search") + "?q=glutamine",
        "newsletter": reverse("readers:newsletter_signup"),
        "report": reverse("readers:report_error", kwargs={"slug": guide.slug}),
        "guide": guide.get_absolute_url(),
    }


PAGE_NAMES = ["home", "guide list", "category", "page", "reviewer", "search", "newsletter", "report", "guide"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_reader_page_has_its_own_title_description_canonical_and_social_tags(client, site, name):
    path = reader_paths(site)[name]
    response = client.get(path)
    assert response.status_code == 200
    page = outline(response)
    assert page.title.strip() not in {"", "Glutasite"}
    assert "· Glutasite" in page.title
    assert page.meta["description"].strip()
    assert page.links["canonical"] == f"http://testserver{path.split('?')[0]}"
    assert page.meta["og:title"].strip()
    assert page.meta["og:description"].strip()
    assert page.meta["og:url"] == page.links["canonical"]
    assert page.meta["twitter:card"] == "summary"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_reader_page_has_one_h1_headings_in_order_and_landmarks(client, site, name):
    page = outline(client.get(reader_paths(site)[name]))
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1
    skipped = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
    assert skipped == []
    assert {"header", "nav", "main", "footer"} <= set(page.landmarks)


def test_navigation_and_footer_link_the_guides_evidence_and_site_pages(client, site):
    html = client.get("/guides/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    footer = html[html.index('<footer class="site-footer">') : html.index("</footer>")]
    assert 'href="/guides/"' in header
    assert 'href="/products/"' in header
    assert 'href="/evidence/"' in header
    assert 'action="/search/"' in header
    for path in [
        "/pages/about/",
        "/pages/editorial-policy/",
        "/pages/affiliate-disclosure/",
        "/pages/medical-disclaimer/",
        "/evidence/",
        "/newsletter/",
        "/categories/",
        "/reviewers/",
        "/products/",
        "/what-changed/",
    ]:
        assert f'href="{path}"' in footer


def test_home_pitches_the_newsletter_once(client, site):
    html = client.get("/").content.decode()
    assert html.count('href="/newsletter/"') == 1
    assert html.count("Get the free guide") == 1  # the button; the box's title names the guide when there is one


def test_skip_link_leads_to_the_main_content(client, site):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html


def test_home_shows_featured_guides_recent_guides_and_categories(client, site):
    other = GuideFactory(title="Magnesium for sleep", updated_at=datetime(2026, 1, 5, tzinfo=UTC))
    GuideFactory(title="Unfinished zinc guide", featured=True, status=Guide.Status.DRAFT, published_at=None)
    html = main_text(client.get("/"))
    featured = html[html.index('id="featured"') : html.index('id="recent"')]
    assert "L-Glutamine for Gut Health" in featured
    assert "Magnesium for sleep" not in featured
    recent = html[html.index('id="recent"') : html.index('id="categories"')]
    assert "Magnesium for sleep" in recent
    assert "L-Glutamine for Gut Health" not in recent  # shown once, among the featured guides
    assert "Unfinished zinc guide" not in html
    categories = html[html.index('id="categories"') :]
    # Parent and child categories count their guides the same way.
    assert '<a href="/categories/amino-acid/">Amino Acid</a> <span class="count">1 guide' in categories
    assert '<a href="/categories/gut-health/">Gut Health</a> <span class="count">1 guide' in categories
    assert '<a href="/categories/gut-health/">Gut Health</a>' in categories
    assert f'<a href="/categories/{other.category.slug}/">{other.category.name}</a>' in categories


def test_home_without_published_guides_says_so(client):
    GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    html = main_text(client.get("/"))
    assert "No guides are published yet." in html
    assert 'id="featured"' not in html
    assert 'id="categories"' not in html


def test_guide_list_shows_published_guides_twenty_a_page(client):
    guides = [GuideFactory(title=f"Guide {n:02d}", updated_at=datetime(2026, 1, n + 1, tzinfo=UTC)) for n in range(21)]
    GuideFactory(title="Unfinished zinc guide", status=Guide.Status.DRAFT, published_at=None)
    first = main_text(client.get("/guides/"))
    assert "21 guides, most recently updated first · page 1 of 2" in first
    assert first.index("Guide 20") < first.index("Guide 19")
    assert "Guide 00" not in first
    assert "Unfinished zinc guide" not in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/guides/?page=2")
    assert guides[0].title in main_text(second)
    assert outline(second).links["canonical"] == "http://testserver/guides/?page=2"


def test_category_page_lists_its_own_and_its_childrens_published_guides(client, site):
    own = GuideFactory(title="Amino acids explained", category=site["parent"])
    GuideFactory(title="Unfinished zinc guide", category=site["category"], status=Guide.Status.DRAFT, published_at=None)
    unrelated = GuideFactory(title="Magnesium for sleep")
    html = main_text(client.get(site["parent"].get_absolute_url()))
    assert "<h1>Amino Acid</h1>" in html
    assert own.title in html
    assert site["guide"].title in html
    assert "Unfinished zinc guide" not in html
    assert unrelated.title not in html
    assert '<a href="/categories/gut-health/">Gut Health</a>' in html


def test_child_category_page_has_breadcrumbs_to_its_parent(client, site):
    html = main_text(client.get(site["category"].get_absolute_url()))
    assert '<a href="/categories/amino-acid/">Amino Acid</a>' in html
    assert '<span aria-current="page">Gut Health</span>' in html
    assert site["guide"].title in html


def test_unknown_category_and_page_are_not_found(client):
    assert client.get("/categories/no-such-thing/").status_code == 404
    assert client.get("/pages/no-such-thing/").status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_listing_pages_query_count_does_not_grow_with_guides(client, django_assert_max_num_queries, count):
    parent = CategoryFactory()
    for n in range(count):
        guide = GuideFactory(category=CategoryFactory(parent=parent), featured=n % 2 == 0)
        RankedProductFactory(guide=guide)
    for path in ["/", "/guides/", parent.get_absolute_url()]:
        with django_assert_max_num_queries(5):
            assert client.get(path).status_code == 200


def test_editable_page_shows_markdown_with_headings_below_its_title(client):
    page = PageFactory(
        title="Editorial policy",
        slug="editorial-policy",
        description="How we grade evidence.",
        body="# Grading\n\nOnly human trials count.\n\n## Retractions\n\n<script>alert(1)</script>",
    )
    response = client.get(page.get_absolute_url())
    html = main_text(response)
    assert "<h1>Editorial policy</h1>" in html
    assert "<h2>Grading</h2>" in html
    assert "<h3>Retractions</h3>" in html
    assert "<script>" not in html
    assert outline(response).meta["description"] == "How we grade evidence."
    assert "noindex" not in response.content.decode()


def test_free_guide_for_subscribers_is_kept_out_of_search_engines_and_the_sitemap(client):
    page = PageFactory(title="30 gut-friendly foods", slug="gut-friendly-foods", for_subscribers=True)
    listed = PageFactory(slug="about")
    assert outline(client.get(page.get_absolute_url())).meta["robots"] == "noindex"
    entries = sitemap_entries(client)
    assert f"http://testserver{listed.get_absolute_url()}" in entries
    assert f"http://testserver{page.get_absolute_url()}" not in entries


def test_seed_demo_creates_the_site_pages_the_footer_links_to(client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Page.objects.count() == 5
    for slug in ["about", "editorial-policy", "affiliate-disclosure", "medical-disclaimer"]:
        response = client.get(f"/pages/{slug}/")
        assert response.status_code == 200
        assert "<h1>" in main_text(response)
    assert Guide.objects.get(slug="l-glutamine-for-gut-health").featured
    assert "Get the free guide to 30 gut-friendly foods" in client.get("/newsletter/").content.decode()


def test_reviewer_page_describes_the_reviewer(client):
    reviewer = ReviewerFactory(name="Dana Reyes", title="Registered Nutritionist-Dietitian")
    GuideFactory(reviewer=reviewer, title="L-Glutamine for Gut Health")
    response = client.get(reviewer.get_absolute_url())
    page = outline(response)
    assert page.title.startswith("Dana Reyes, RND")
    assert page.meta["og:type"] == "profile"
    assert "Registered Nutritionist-Dietitian" in page.meta["description"]
    assert "L-Glutamine for Gut Health" in main_text(response)


# robots.txt, sitemap and feed


def sitemap_entries(client):
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    return {
        url.find("s:loc", SITEMAP_NS).text: getattr(url.find("s:lastmod", SITEMAP_NS), "text", None)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_robots_txt_keeps_crawlers_out_of_private_paths_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ["/admin/", "/go/", "/search/", "/newsletter/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_listings_categories_and_pages_with_real_dates(client, site):
    site["guide"].updated_at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    site["guide"].save()
    GuideFactory(category=CategoryFactory(slug="drafts-only"), status=Guide.Status.DRAFT, published_at=None)
    entries = sitemap_entries(client)
    assert entries["http://testserver/"].startswith("2026-11-02")
    assert entries["http://testserver/guides/"].startswith("2026-11-02")
    for listing in ["/categories/", "/reviewers/", "/what-changed/", "/products/"]:
        assert entries[f"http://testserver{listing}"].startswith("2026-11-02")
    # The parent category has no guide of its own, but lists its child's.
    assert entries["http://testserver/categories/amino-acid/"].startswith("2026-11-02")
    assert entries["http://testserver/categories/gut-health/"].startswith("2026-11-02")
    assert "http://testserver/categories/drafts-only/" not in entries
    assert "http://testserver/pages/about/" in entries


def test_feed_entries_link_to_the_guide_and_name_the_reviewer(client, site):
    root = ET.fromstring(client.get(reverse("readers:feed")).content)
    [entry] = root.findall("a:entry", ATOM_NS)
    guide = site["guide"]
    assert entry.find("a:link", ATOM_NS).get("href") == f"http://testserver{guide.get_absolute_url()}"
    assert entry.find("a:author/a:name", ATOM_NS).text == str(guide.reviewer)
    assert "L-glutamine fuels the cells lining the gut." in entry.find("a:summary", ATOM_NS).text


# Admin


def png_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("tub.png", buffer.getvalue(), content_type="image/png")


def test_admin_refuses_a_product_image_without_a_description(editor_client):
    url = reverse("admin:products_product_add")
    data = form_data(editor_client.get(url).content.decode(), "product_form") | {
        "sku": "NFL-1",
        "brand": BrandFactory().pk,
        "name": "L-Glutamine Powder",
        "slug": "nfl-l-glutamine-powder",
        "form": "powder",
        "serving_size": "1 scoop (5 g)",
        "amount_per_serving": "5",
        "amount_unit": "g",
        "servings_per_container": "100",
        "image": png_upload(),
        "image_alt": "",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it." in response.content.decode()
    assert not Product.objects.exists()


def test_editor_adds_a_site_page_in_the_admin(editor_client, client):
    url = reverse("admin:readers_page_add")
    data = form_data(editor_client.get(url).content.decode(), "page_form") | {
        "title": "Affiliate disclosure",
        "slug": "affiliate-disclosure",
        "description": "How we earn money.",
        "body": "Some links pay us a commission.",
    }
    assert editor_client.post(url, data).status_code == 302
    assert "Some links pay us a commission." in client.get("/pages/affiliate-disclosure/").content.decode()
