"""Site search over published guides, products readers can reach, and studies.

On PostgreSQL: full-text search with the English dictionary, ranked by
`ts_rank`, highlighted by `ts_headline`. Each table searched keeps its vector
in a `search_vector` column that PostgreSQL computes from the row (a stored
generated column with a GIN index, added by the migrations `guides 0013`,
`products 0012` and `evidence 0006`, which say what goes in it and with what
weight), so matching and ranking read it instead of parsing the text again.
Only the rows shown are highlighted: PostgreSQL runs `ts_headline` after the
sort and limit. Elsewhere (SQLite in development): every word of the query
must appear (ignoring ASCII case) in one of the same fields, titles count
three times as much as the rest, and matches are marked in Python.

Both ways, highlighting is done on plain text: the database or Python puts
private-use characters around matches, the text is escaped, and only then do
those characters become `<mark>`, so nothing an editor typed becomes markup.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, F, Func, Q, TextField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from evidence.models import Study
from guides.models import Guide, RankedProduct
from products.models import Brand, Product

MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
RESULTS_PER_KIND = 20
# SQLite scores candidates in Python; this bounds how many rows it reads.
FALLBACK_CANDIDATES = 200

START, STOP = "\ue000", "\ue001"
CONFIG = "english"
COLUMN = "search_vector"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_WORD = re.compile(r"\w+")
# A "-" starts an exclusion only after a space or at the start, so "x-ray" stays one term.
_TERM = re.compile(r'(?<!\S)(?P<negated_phrase>-?)"(?P<phrase>[^"]*)"?|(?:(?<!\S)(?P<negated_word>-))?(?P<word>\w+)')
_MARKER = re.compile(r"\[@[^\]\s]*\]?")  # also a marker a headline fragment cut short
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN = re.compile(r"[*_`]+|^\s*(?:#+|>|-|\d+\.)\s+", re.MULTILINE)


@dataclass
class Hit:
    title: str  # safe HTML
    url: str
    snippet: str = ""  # safe HTML
    meta: str = ""  # plain text


@dataclass
class Results:
    query: str
    shortened: bool = False
    guides: list = field(default_factory=list)
    products: list = field(default_factory=list)
    studies: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.guides) + len(self.products) + len(self.studies)


class Document(Expression):
    """The stored search vector of the queryset's rows, or of the rows a foreign key (`relation`) leads to.

    PostgreSQL only: the column is the migrations' doing, and the models do not declare it.
    """

    output_field = SearchVectorField()

    def __init__(self, relation=None, *, table=None):
        super().__init__()
        self.relation, self.table = relation, table

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        table = query.get_initial_alias()
        if self.relation:
            table = query.setup_joins(self.relation.split(LOOKUP_SEP), query.get_meta(), table).joins[-1]
        return Document(table=table)

    def relabeled_clone(self, relabels):
        return Document(table=relabels.get(self.table, self.table))

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.table)}.{connection.ops.quote_name(COLUMN)}", []


def matching(queryset, search_query):
    """The rows whose stored vector matches, as the table's GIN index answers."""
    return queryset.alias(document=Document()).filter(document=search_query)


def clean_query(raw):
    """The query as searched: control characters removed, spaces collapsed, at most MAX_QUERY_LENGTH long.

    Returns (query, shortened).
    """
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def search(raw_query):
    query, shortened = clean_query(raw_query)
    results = Results(query=query, shortened=shortened)
    if not _WORD.search(query):
        return results
    if connection.vendor == "postgresql":
        _search_postgres(results, query)
    else:
        _search_fallback(results, query)
    return results


def readable(text):
    """Editor Markdown as plain words for a snippet: no citation markers, link targets or emphasis."""
    text = _MARKER.sub("", text or "")
    text = _LINK.sub(r"\1", text)
    return " ".join(_MARKDOWN.sub(" ", text).split())


def marked_html(text):
    """Text with START…STOP around matches, as safe HTML: escaped, matches in <mark>."""
    out, inside = [], False
    for piece in re.split(f"([{START}{STOP}])", text or ""):
        if piece == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(piece))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))


def insert_marks(text, words):
    """Put START…STOP around each occurrence of the words, ignoring case."""
    text = _CONTROL.sub(" ", text or "")
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)


def excerpt(text, words, size=35):
    """About `size` words of `text` around the first match, marked."""
    plain = text.split()
    lowered = [token.casefold() for token in plain]
    folded = [word.split()[0].casefold() for word in words]
    first = next((i for i, token in enumerate(lowered) if any(word in token for word in folded)), 0)
    begin = max(0, first - size // 3)
    chosen = " ".join(plain[begin : begin + size])
    prefix = "… " if begin else ""
    suffix = " …" if begin + size < len(plain) else ""
    return marked_html(prefix + insert_marks(chosen, words) + suffix)


def _reachable_products():
    """Products ranked in a published guide: the ones the sitemap lists and readers can reach."""
    return Product.objects.filter(
        pk__in=RankedProduct.objects.filter(guide__in=Guide.objects.published()).values("product"),
    ).select_related("brand")


# What a hit reads of each row besides its marked text (its address and the line under it): PostgreSQL
# reads only these, not the rendered HTML and the rest every row also holds.
GUIDE_HIT_FIELDS = ["slug", "category__name"]
PRODUCT_HIT_FIELDS = ["slug", "name", "form", "amount_per_serving", "amount_unit", "brand__name"]
STUDY_HIT_FIELDS = ["slug", "authors", "journal", "year", "design"]


def _product_meta(product):
    return f"{product.brand.name} · {product.get_form_display()} · {product.dose_per_serving} per serving"


def _study_meta(study):
    source = ", ".join(filter(None, [study.first_author, study.journal, str(study.year)]))
    return f"{source} · {study.get_design_display()}"


def _search_postgres(results, query):
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)

    def headline(expression, **options):
        return SearchHeadline(expression, search_query, config=CONFIG, start_sel=START, stop_sel=STOP, **options)

    snippet = {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}
    guides = (
        matching(Guide.objects.published(), search_query)
        .annotate(
            rank=SearchRank(Document(), search_query),
            title_marked=headline("title", highlight_all=True),
            snippet_marked=headline("intro", **snippet),
        )
        .select_related("category")
        .only(*GUIDE_HIT_FIELDS)
        .order_by("-rank", "title")[:RESULTS_PER_KIND]
    )
    results.guides = [
        Hit(
            marked_html(guide.title_marked),
            guide.get_absolute_url(),
            marked_html(readable(guide.snippet_marked)),
            guide.category.name,
        )
        for guide in guides
    ]

    products = (
        _reachable_products()
        .alias(document=Document())
        .filter(Q(document=search_query) | Q(brand__in=matching(Brand.objects.all(), search_query)))
        .annotate(
            # A product's brand counts as much as its name (weight A).
            rank=SearchRank(Document(), search_query)
            + SearchRank(
                Func(Document("brand"), Value("A"), function="setweight", output_field=SearchVectorField()),
                search_query,
            ),
            title_marked=headline(
                Concat(F("brand__name"), Value(" "), F("name"), output_field=TextField()), highlight_all=True
            ),
        )
        .only(*PRODUCT_HIT_FIELDS)
        .order_by("-rank", "brand__name", "name")[:RESULTS_PER_KIND]
    )
    results.products = [
        Hit(marked_html(product.title_marked), product.get_absolute_url(), "", _product_meta(product))
        for product in products
    ]

    studies = (
        matching(Study.objects.all(), search_query)
        .annotate(
            rank=SearchRank(Document(), search_query),
            title_marked=headline("title", highlight_all=True),
            snippet_marked=headline(
                Concat(F("finding"), Value(" "), F("summary"), output_field=TextField()), **snippet
            ),
        )
        .only(*STUDY_HIT_FIELDS)
        .order_by("-rank", "-year", "title")[:RESULTS_PER_KIND]
    )
    results.studies = [
        Hit(
            marked_html(study.title_marked),
            study.get_absolute_url(),
            marked_html(readable(study.snippet_marked)),
            _study_meta(study),
        )
        for study in studies
    ]


def _matching(fields, terms, excluded):
    """Every term in at least one of the fields, and no excluded word in any."""
    condition = Q()
    for term in terms:
        condition &= _in_any(fields, term)
    for word in excluded:
        condition &= ~_in_any(fields, word)
    return condition


def _in_any(fields, term):
    found = Q()
    for name in fields:
        found |= Q(**{f"{name}__icontains": term})
    return found


def _best(queryset, fields, terms, excluded, *, title, rest):
    """Up to RESULTS_PER_KIND matches, those with the terms in their title first."""

    def score(obj):
        heading, body = title(obj).casefold(), rest(obj).casefold()
        return sum(3 * heading.count(term.casefold()) + body.count(term.casefold()) for term in terms)

    candidates = list(queryset.filter(_matching(fields, terms, excluded))[:FALLBACK_CANDIDATES])
    candidates.sort(key=lambda obj: -score(obj))  # stable: ties keep the queryset's order
    return candidates[:RESULTS_PER_KIND]


def fallback_terms(query):
    """Words and "quoted phrases" that must appear, and -words that must not, as PostgreSQL's web search reads them."""
    required, excluded = [], []
    for match in _TERM.finditer(query):
        negated = match.group("negated_phrase") or match.group("negated_word")
        text = " ".join(_WORD.findall(match.group("phrase") or match.group("word") or ""))
        if text:
            (excluded if negated else required).append(text)
    return required[:MAX_WORDS], excluded[:MAX_WORDS]


def _search_fallback(results, query):
    terms, excluded = fallback_terms(query)
    if not terms:
        return

    guides = _best(
        Guide.objects.published().select_related("category").order_by("title"),
        ["title", "intro"],
        terms,
        excluded,
        title=lambda guide: guide.title,
        rest=lambda guide: guide.intro,
    )
    results.guides = [
        Hit(
            marked_html(insert_marks(guide.title, terms)),
            guide.get_absolute_url(),
            excerpt(readable(guide.intro), terms),
            guide.category.name,
        )
        for guide in guides
    ]

    products = _best(
        _reachable_products().order_by("brand__name", "name"),
        ["name", "certifications", "brand__name"],
        terms,
        excluded,
        title=str,
        rest=lambda product: product.certifications,
    )
    results.products = [
        Hit(marked_html(insert_marks(str(product), terms)), product.get_absolute_url(), "", _product_meta(product))
        for product in products
    ]

    studies = _best(
        Study.objects.order_by("-year", "title"),
        ["title", "finding", "authors", "summary"],
        terms,
        excluded,
        title=lambda study: study.title,
        rest=lambda study: f"{study.finding} {study.authors} {study.summary}",
    )
    results.studies = [
        Hit(
            marked_html(insert_marks(study.title, terms)),
            study.get_absolute_url(),
            excerpt(readable(f"{study.finding} {study.summary}"), terms),
            _study_meta(study),
        )
        for study in studies
    ]
