"""A large, realistic catalogue for the benchmarks, written with bulk_create in seconds.

`build_dataset()` fills an empty database: published guides (key benefits
grounded in claims, ranked products, sections, complaints, safety warnings,
FAQ, references and "What changed" notes), products with offers at several
merchants, and a library of studies. Text is Markdown with citation markers,
rendered and linked exactly as saving it in the admin would, so guide pages
number their references as they do for real guides.

Everything it creates is marked by the category `MARKER_SLUG`, so the
benchmark can tell its own dataset (of these sizes) from anything else.
"""

import contextlib
import hashlib
import itertools
import random
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from evidence.models import Claim, ClaimStudy, Study, Topic
from guides import citations
from guides.models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    Guide,
    GuideRevision,
    KeyBenefit,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
    SiteSettings,
)
from products.models import Offer, Product
from richtext.markdown import render_markdown

from .catalogue import BATCH, DOI_PREFIX, SKU_PREFIX, CatalogueBuilder
from .words import (
    FILLER,
    OUTCOMES,
    SECTION_HEADINGS,
    STANCES,
    SUPPLEMENTS,
    SURNAMES,
    TOPICS,
    paragraph,
)

# Change the version whenever the builder changes, so `make bench` builds the new dataset.
MARKER_SLUG = "bench-dataset-v1"


@dataclass(frozen=True)
class Sizes:
    guides: int = 200
    products: int = 2000
    offers_per_product: int = 4
    studies: int = 5000
    ranked_per_guide: int = 10
    benefits_per_guide: int = 5
    studies_per_claim: int = 5
    sections_per_guide: int = 6
    faqs_per_guide: int = 8
    references_per_guide: int = 30


@contextlib.contextmanager
def markers_resolved_from(studies):
    """Citation markers resolved from memory while building: a query per text would take a minute."""
    by_key = {f"pmid:{study.pmid}": study for study in studies}
    resolve = citations.resolve
    citations.resolve = lambda keys: {key: by_key[key] for key in keys if key in by_key}
    try:
        yield
    finally:
        citations.resolve = resolve


class Builder(CatalogueBuilder):
    def __init__(self, sizes, now):
        self.sizes = sizes
        self.now = now
        self.rng = random.Random(20261120)

    def html(self, text, cited):
        """Rendered Markdown with citation placeholders, as CitingMarkdownModel.save() stores it."""
        rendered, studies = citations.link_markers(render_markdown(text))
        cited.extend(studies)
        return rendered

    def build(self):
        SiteSettings.load()
        marker = Category.objects.create(name="Benchmark dataset", slug=MARKER_SLUG)
        categories = self.categories(marker)
        topics = Topic.objects.bulk_create(Topic(name=topic, slug=f"bench-{slugify(topic)}") for _, topic, _ in TOPICS)
        studies = self.studies(topics)
        by_supplement = [studies[n :: len(SUPPLEMENTS)] for n in range(len(SUPPLEMENTS))]
        products = self.products()
        products_by_supplement = [products[n :: len(SUPPLEMENTS)] for n in range(len(SUPPLEMENTS))]
        reviewers = Reviewer.objects.bulk_create(
            Reviewer(
                name=f"{name} Reviewer",
                slug=f"bench-reviewer-{n}",
                credentials="RND",
                title="Registered Nutritionist-Dietitian",
                licensing_body="Professional Regulation Commission (PRC)",
                licence_number=f"00{n:05d}",
                bio=f"{name} has reviewed supplement research for ten years.",
                bio_html=render_markdown(f"{name} has reviewed supplement research for ten years."),
            )
            for n, name in enumerate(SURNAMES[:8])
        )
        with markers_resolved_from(studies):
            self.guides(categories, reviewers, by_supplement, products_by_supplement)

    def categories(self, marker):
        parents = {}
        for parent_name, _, _ in TOPICS:
            if parent_name not in parents:
                parents[parent_name] = Category(name=parent_name, slug=f"bench-{slugify(parent_name)}", parent=marker)
        Category.objects.bulk_create(parents.values())
        children = Category.objects.bulk_create(
            Category(name=topic, slug=f"bench-{slugify(topic)}-guides", parent=parents[parent_name])
            for parent_name, topic, _ in TOPICS
        )
        return children

    def guides(self, categories, reviewers, by_supplement, products_by_supplement):
        sizes, rng = self.sizes, self.rng
        guides, parts = [], []
        combinations = len(SUPPLEMENTS) * len(TOPICS)
        for n in range(sizes.guides):
            supplement = SUPPLEMENTS[n % len(SUPPLEMENTS)]
            _, topic, hope = TOPICS[(n // len(SUPPLEMENTS)) % len(TOPICS)]
            studies = by_supplement[n % len(by_supplement)]
            pool = rng.sample(studies, min(sizes.references_per_guide, len(studies)))
            cursor = itertools.cycle(pool)

            def cite(cursor=cursor):
                return f"[@pmid:{next(cursor).pmid}]"

            cited = []
            title = f"{supplement} for {topic}: What the Evidence Shows"
            if n >= combinations:
                title = f"{title} (edition {n // combinations + 1})"
            intro = (
                f"{supplement} is one of the most searched supplements for {hope}. {paragraph(rng, cite)}\n\n"
                f"{paragraph(rng, cite, 3)}"
            )
            expert = f"{paragraph(rng, cite, 3)} Talk to your doctor first if you take prescription medicines."
            guide = Guide(
                title=title,
                slug=slugify(title),
                category=categories[(n // len(SUPPLEMENTS)) % len(categories)],
                evidence_grade="limited",
                reviewer=reviewers[n % len(reviewers)],
                intro=intro,
                intro_html=self.html(intro, cited),
                expert_take=expert,
                expert_take_html=self.html(expert, cited),
                status=Guide.Status.PUBLISHED,
                published_at=self.now - timedelta(days=400 - n % 300),
                updated_at=self.now - timedelta(days=n % 60),
                last_reviewed_on=(self.now - timedelta(days=n % 60)).date(),
                featured=n < 3,
            )
            guides.append(guide)
            parts.append(self.guide_parts(n, supplement, topic, cite, cited, pool, products_by_supplement))
        guides = Guide.objects.bulk_create(guides, batch_size=BATCH)
        self.save_parts(guides, parts)

    def part(self, model, text, cited, **fields):
        """A guide part with its Markdown and the HTML its save() would store next to it."""
        ((source, html_field),) = model.markdown_fields.items()
        return model(**{source: text, html_field: self.html(text, cited)}, **fields)

    def guide_parts(self, n, supplement, topic, cite, cited, pool, products_by_supplement):
        sizes, rng = self.sizes, self.rng
        parts = {"claims": [], "benefits": []}
        for k in range(sizes.benefits_per_guide):
            outcome = OUTCOMES[(n + k) % len(OUTCOMES)]
            statement = f"{supplement} improves {outcome} in people looking for {topic.lower()} [{n + 1}.{k + 1}]"
            claim = Claim(statement=statement, slug=f"bench-claim-{n}-{k}", summary_html="")
            evidence = [
                (pool[(k * sizes.studies_per_claim + s) % len(pool)], STANCES[s % len(STANCES)])
                for s in range(min(sizes.studies_per_claim, len(pool)))
            ]
            parts["claims"].append((claim, evidence))
            text = f"Seen in {outcome} in several trials {cite()}."
            parts["benefits"].append(self.part(KeyBenefit, text, cited, order=k, title=f"May improve {outcome}"))
        candidates = products_by_supplement[n % len(products_by_supplement)]
        awards = {1: "Best overall", 2: "Best value", 3: "Best for beginners"}
        parts["ranked"] = [
            self.part(
                RankedProduct,
                f"{rng.choice(FILLER)} It matches the dose used in trials {cite()}.",
                cited,
                product=product,
                rank=rank,
                award=awards.get(rank, ""),
                quality_score=Decimal(10 - rank // 2) - Decimal("0.5"),
                value_score=Decimal(9 - rank // 3),
                clinical_score=Decimal(10 - rank // 2) - Decimal("1.5"),
            )
            for rank, product in enumerate(
                rng.sample(candidates, min(sizes.ranked_per_guide, len(candidates))),
                start=1,
            )
        ]
        buying_list = "\n".join(f"- **{item}**" for item in FILLER[5:8])
        parts["sections"] = [
            self.part(
                Section,
                "\n\n".join([*(paragraph(rng, cite) for _ in range(3)), *([buying_list] if order == 2 else [])]),
                cited,
                order=order,
                heading=SECTION_HEADINGS[order % len(SECTION_HEADINGS)],
            )
            for order in range(sizes.sections_per_guide)
        ]
        parts["complaints"] = [
            self.part(
                Complaint,
                paragraph(rng, cite, 2),
                cited,
                order=order,
                complaint=f"It did nothing for my {topic.lower()} (complaint {order + 1})",
            )
            for order in range(3)
        ]
        parts["warnings"] = [
            self.part(
                SafetyWarning,
                f"**{severity.capitalize()}:** {paragraph(rng, cite, 1)}",
                cited,
                order=order,
                severity=severity,
            )
            for order, severity in enumerate(SafetyWarning.Severity.values)
        ]
        parts["faqs"] = [
            self.part(
                FAQ,
                paragraph(rng, cite, 2),
                cited,
                order=order,
                question=f"Question {order + 1} readers ask about {supplement.lower()} and {topic.lower()}?",
            )
            for order in range(sizes.faqs_per_guide)
        ]
        parts["cited"] = list(dict.fromkeys(cited + pool))
        return parts

    @transaction.atomic
    def save_parts(self, guides, parts):
        claims = Claim.objects.bulk_create((claim for p in parts for claim, _ in p["claims"]), batch_size=BATCH)
        claim_studies = []
        for claim, (_, evidence) in zip(claims, (item for p in parts for item in p["claims"]), strict=True):
            claim_studies += [ClaimStudy(claim=claim, study=study, stance=stance) for study, stance in evidence]
        ClaimStudy.objects.bulk_create(claim_studies, batch_size=BATCH)
        claims = iter(claims)
        for guide, p in zip(guides, parts, strict=True):
            for benefit in p["benefits"]:
                benefit.guide = guide
                benefit.claim = next(claims)
            for kind in ["ranked", "sections", "complaints", "warnings", "faqs"]:
                for part in p[kind]:
                    part.guide = guide
        for kind, model in [
            ("benefits", KeyBenefit),
            ("ranked", RankedProduct),
            ("sections", Section),
            ("complaints", Complaint),
            ("warnings", SafetyWarning),
            ("faqs", FAQ),
        ]:
            model.objects.bulk_create((part for p in parts for part in p[kind]), batch_size=BATCH)
        Citation.objects.bulk_create(
            (
                Citation(guide=guide, study=study, order=order)
                for guide, p in zip(guides, parts, strict=True)
                for order, study in enumerate(p["cited"])
            ),
            batch_size=BATCH,
        )
        revisions = []
        for guide in guides:
            for number, note in [(1, ""), (2, "Updated prices and re-ranked the top three products.")]:
                content = {"title": guide.title, "intro": guide.intro, "number": number}
                revisions.append(
                    GuideRevision(
                        guide=guide,
                        number=number,
                        created_at=guide.published_at,
                        content=content,
                        content_hash=hashlib.sha256(repr(content).encode()).hexdigest(),
                        signed_off_by=guide.reviewer,
                        signed_off_at=guide.published_at,
                        published_at=guide.published_at + timedelta(days=30 * (number - 1)),
                        change_note=note,
                    ),
                )
        GuideRevision.objects.bulk_create(revisions, batch_size=BATCH)


def build_dataset(sizes=None, *, now=None):
    """Fill the database with a dataset of `sizes`; returns what it holds (see `dataset_counts`)."""
    sizes = sizes or Sizes()
    with transaction.atomic():
        Builder(sizes, now or timezone.now()).build()
    return dataset_counts()


def dataset_counts():
    return {
        "published guides": Guide.objects.published().filter(category__parent__parent__slug=MARKER_SLUG).count(),
        "products": Product.objects.filter(sku__startswith=SKU_PREFIX).count(),
        "offers": Offer.objects.filter(product__sku__startswith=SKU_PREFIX).count(),
        "studies": Study.objects.filter(doi__startswith=DOI_PREFIX).count(),
    }


def expected_counts(sizes=None):
    sizes = sizes or Sizes()
    return {
        "published guides": sizes.guides,
        "products": sizes.products,
        "offers": sizes.products * sizes.offers_per_product,
        "studies": sizes.studies,
    }


def is_built(sizes=None):
    """True when the database holds this module's dataset at these sizes, and nothing half-written."""
    return Category.objects.filter(slug=MARKER_SLUG).exists() and dataset_counts() == expected_counts(sizes)


def refresh_prices(now=None):
    """Prices readers see must be fresh (checked within the merchant's limit) however old the dataset is."""
    Offer.objects.filter(product__sku__startswith=SKU_PREFIX).update(price_checked_at=now or timezone.now())


def sizes_as_dict(sizes=None):
    return asdict(sizes or Sizes())
