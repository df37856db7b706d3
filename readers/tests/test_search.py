import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from evidence.models import Study
from evidence.tests.factories import StudyFactory
from guides.models import Guide
from guides.tests.factories import GuideFactory, RankedProductFactory
from products.models import Brand, Product
from products.tests.factories import BrandFactory, ProductFactory
from readers.search import MAX_QUERY_LENGTH, clean_query, marked_html, matching

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: its full-text search, GIN indexes and SearchHeadline (set DATABASE_URL)",
)
SEARCH_URL = reverse("readers:search")


def results(client, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    return html[html.index('<main id="main"') : html.index("</main>")]


def section(html, kind):
    """The result titles of one kind, in order, with their markup."""
    if f'id="results-{kind}"' not in html:
        return []
    part = html[html.index(f'id="results-{kind}"') :]
    part = part[: part.index("</section>")]
    return re.findall(r'<h3><a href="[^"]*">(.*?)</a></h3>', part)


def plain(title):
    return re.sub(r"</?mark>", "", title)


@pytest.fixture
def library():
    guide = GuideFactory(
        title="L-Glutamine for Gut Health",
        intro="Glutamine is the main fuel of the cells lining the small intestine [@pmid:8098788].",
    )
    RankedProductFactory(
        guide=guide,
        product=ProductFactory(brand=BrandFactory(name="Northfield Labs"), name="L-Glutamine Powder"),
    )
    GuideFactory(title="Magnesium for Sleep", intro="Magnesium glycinate before bed helps some people sleep.")
    StudyFactory(
        title="Glutamine and the preservation of gut integrity",
        authors="van der Hulst RR, van Kreel BK",
        finding="Glutamine kept the gut lining intact during intravenous feeding.",
    )
    StudyFactory(title="Creatine and muscle strength in older adults", finding="Strength improved.")
    return guide


def test_search_finds_guides_products_and_studies_and_marks_the_matches(client, library):
    html = results(client, "glutamine")
    assert section(html, "guides") == ["L-<mark>Glutamine</mark> for Gut Health"]
    assert [plain(title) for title in section(html, "products")] == ["Northfield Labs L-Glutamine Powder"]
    assert "<mark>Glutamine</mark>" in section(html, "products")[0]
    assert section(html, "studies") == ["<mark>Glutamine</mark> and the preservation of gut integrity"]
    assert "3 results for “glutamine”" in html
    # The snippet is the reader's text: no citation markers, the match marked.
    assert "<mark>Glutamine</mark> is the main fuel of the cells" in html
    assert "[@pmid" not in html


def test_every_word_must_match(client, library):
    html = results(client, "glutamine sleep")
    assert section(html, "guides") == []
    assert "Nothing matches “glutamine sleep”" in html


def test_search_leaves_out_drafts_and_products_only_drafts_rank(client, library):
    draft = GuideFactory(title="Glutamine for athletes", status=Guide.Status.DRAFT, published_at=None)
    RankedProductFactory(guide=draft, product=ProductFactory(name="Glutamine Capsules"))
    html = results(client, "glutamine")
    assert "Glutamine for athletes" not in html
    assert "Capsules" not in html


def test_a_brand_finds_its_products(client, library):
    html = results(client, "northfield")
    assert [plain(title) for title in section(html, "products")] == ["Northfield Labs L-Glutamine Powder"]


def test_search_follows_an_edit_at_once(client, library):
    library.title = "Leaky gut and L-glutamine"
    library.save()
    assert [plain(title) for title in section(results(client, "leaky"), "guides")] == ["Leaky gut and L-glutamine"]
    assert section(results(client, "health"), "guides") == []


def test_a_product_whose_name_and_brand_match_ranks_first(client):
    guide = GuideFactory(title="Glutamine for Gut Health")
    northfield = BrandFactory(name="Northfield Labs")
    for brand, name in [(northfield, "Northfield Glutamine"), (northfield, "Aaa Powder")]:
        RankedProductFactory(guide=guide, product=ProductFactory(brand=brand, name=name))
    RankedProductFactory(
        guide=guide, product=ProductFactory(brand=BrandFactory(name="Aardvark"), name="Northfield Blend")
    )
    assert [plain(title) for title in section(results(client, "northfield"), "products")] == [
        "Northfield Labs Northfield Glutamine",
        "Aardvark Northfield Blend",
        "Northfield Labs Aaa Powder",
    ]


def test_title_matches_rank_above_matches_in_the_text(client):
    GuideFactory(title="Anxiety and sleep", intro="Some take magnesium for this.")
    GuideFactory(title="Zinc and magnesium", intro="Two minerals often sold together.")
    html = results(client, "magnesium")
    assert [plain(title) for title in section(html, "guides")] == ["Zinc and magnesium", "Anxiety and sleep"]


def test_editor_text_is_escaped_before_matches_are_marked(client):
    GuideFactory(title="Glutamine <script>alert(1)</script> & you", intro="Glutamine <b>bold</b> &amp; more.")
    html = results(client, "glutamine")
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html
    [title] = section(html, "guides")
    assert title.startswith("<mark>Glutamine</mark> &lt;script&gt;")
    assert "&amp; you" in title


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "'",
        "&|!:*()",
        "<script>alert(1)</script>",
        "' OR 1=1; DROP TABLE guides_guide; --",
        "glutamine -cancer",
        '"leaky gut"',
        "!!!",
        "(((",
        "glu*",
        "a:b",
        "ñandú 胃 Ärzte",
        "nul\x00byte",
        "tab\tand\nnewline",
        "x" * 5000,
    ],
)
def test_odd_queries_answer_without_errors(client, library, query):
    html = results(client, query)
    assert "<script>alert(1)</script>" not in html
    assert Guide.objects.filter(title="L-Glutamine for Gut Health").exists()


def test_empty_query_asks_for_words_and_searches_nothing(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        html = results(client, "")
    assert "Type a supplement, a health topic, a brand or an author" in html
    assert "result" not in html


def test_a_long_query_is_shortened_and_the_reader_told(client, library):
    html = results(client, "glutamine " * 60)
    assert f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters." in html
    value = re.search(r'id="search-q" name="q" value="([^"]*)"', html).group(1)
    assert len(value) <= MAX_QUERY_LENGTH
    assert section(html, "guides") == ["L-<mark>Glutamine</mark> for Gut Health"]


def test_clean_query_drops_control_characters():
    assert clean_query("  glu\x00tamine\x1f  gut  ") == ("glu tamine gut", False)


def test_marked_html_escapes_everything_but_the_marks():
    assert marked_html("a \ue000<b>\ue001 & \ue001c\ue000") == "a <mark>&lt;b&gt;</mark> &amp; c<mark></mark>"


@pytest.mark.parametrize("count", [1, 15])
def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries, count):
    for n in range(count):
        guide = GuideFactory(title=f"Glutamine guide {n}")
        RankedProductFactory(guide=guide, product=ProductFactory(name=f"Glutamine powder {n}"))
        StudyFactory(title=f"Glutamine trial {n}")
    with django_assert_max_num_queries(4):
        html = results(client, "glutamine")
    assert len(section(html, "guides")) == count
    assert len(section(html, "products")) == count
    assert len(section(html, "studies")) == count


def test_results_are_capped_per_kind(client):
    for n in range(25):
        StudyFactory(title=f"Glutamine trial {n}")
    html = results(client, "glutamine")
    assert len(section(html, "studies")) == 20


# PostgreSQL: full-text search, its dictionary and its indexes


def test_excluded_words_and_quoted_phrases_work_as_in_web_search(client, library):
    assert section(results(client, "glutamine -intravenous"), "studies") == []
    assert [plain(title) for title in section(results(client, "glutamine -creatine"), "studies")] == [
        "Glutamine and the preservation of gut integrity",
    ]
    assert [plain(title) for title in section(results(client, '"gut integrity"'), "studies")] == [
        "Glutamine and the preservation of gut integrity",
    ]
    assert section(results(client, '"integrity gut"'), "studies") == []


@postgres_only
def test_postgres_matches_other_forms_of_a_word(client, library):
    assert section(results(client, "preserving"), "studies") == [
        "Glutamine and the <mark>preservation</mark> of gut integrity",
    ]


@postgres_only
def test_guides_products_brands_and_studies_keep_a_generated_vector_under_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'search_vector' AND data_type = 'tsvector' AND is_generated = 'ALWAYS'",
        )
        generated = {table for (table,) in cursor.fetchall()}
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_search'")
        indexes = dict(cursor.fetchall())
    for name, table in [
        ("guides_guide_search", "guides_guide"),
        ("products_product_search", "products_product"),
        ("products_brand_search", "products_brand"),
        ("evidence_study_search", "evidence_study"),
    ]:
        assert table in generated
        assert indexes[name] == f"CREATE INDEX {name} ON public.{table} USING gin (search_vector)"


@postgres_only
@pytest.mark.parametrize(
    ("model", "index"),
    [
        (Guide, "guides_guide_search"),
        (Product, "products_product_search"),
        (Brand, "products_brand_search"),
        (Study, "evidence_study_search"),
    ],
)
def test_search_queries_use_the_gin_index_on_the_stored_vector(model, index):
    query = SearchQuery("glutamine", search_type="websearch", config="english")
    with connection.cursor() as cursor:
        # With a handful of rows a sequential scan is cheaper; rule it out to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching(model.objects.all(), query).explain()
    assert f"Bitmap Index Scan on {index}" in plan
    assert "search_vector @@" in plan
    assert "to_tsvector" not in plan  # nothing parses the text again
