"""Build the demo L-glutamine guide, its reviewer, products and studies, and a second guide in review.

The guides are made through the workflow by the demo's editor and reviewer
(`demo.workflow`), so each has a saved version and a sign-off. Every object
is matched on a natural key (slug, SKU, PMID, username), so running the
command again changes nothing. Offers get a fresh `price_checked_at` only
when created or when the stored check has gone stale, so the demo keeps
showing prices without rewriting anything on a second run.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from demo import shop
from demo.workflow import create_demo_guide, demo_people
from evidence.models import Claim, ClaimStudy, Study, Topic
from guides.models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    Guide,
    KeyBenefit,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
    SiteSettings,
)
from products.models import Brand, Merchant, Offer, Product
from readers.models import Page

from ._demo_glutamine import (
    CLAIMS,
    COMPLAINTS,
    EXPERT_TAKE,
    FAQS,
    GUIDE_SLUG,
    IN_REVIEW,
    INTRO,
    KEY_BENEFITS,
    PRODUCTS,
    SECTIONS,
    WARNINGS,
)
from ._demo_pages import PAGES
from ._demo_studies import STUDIES


class Command(BaseCommand):
    help = "Create or refresh the demo L-glutamine guide. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        SiteSettings.load()
        studies = [self.study(data) for data in STUDIES]
        claims = {data["slug"]: self.claim(data, studies) for data in CLAIMS}
        reviewer, _ = Reviewer.objects.get_or_create(
            slug="dana-reyes",
            defaults={
                "name": "Dana Reyes",
                "credentials": "RND",
                "title": "Registered Nutritionist-Dietitian",
                "licensing_body": "Professional Regulation Commission (PRC)",
                "licence_number": "0012345",
                "bio": (
                    "Dana is a demo reviewer: a registered nutritionist-dietitian with ten years of "
                    "clinical practice in gastroenterology wards."
                ),
            },
        )
        parent, _ = Category.objects.get_or_create(slug="amino-acid", defaults={"name": "Amino Acid"})
        category, _ = Category.objects.get_or_create(
            slug="gut-health",
            defaults={"name": "Gut Health", "parent": parent},
        )
        products = {data["sku"]: self.product(data, now) for data in PRODUCTS}
        shop.seed(list(products.values()))  # a merchant whose price feed the development server serves
        people = demo_people(reviewer)
        # The guide, not a pending change an editor may have started on it.
        existing = Guide.objects.exclude_pending_changes().filter(slug=GUIDE_SLUG).first()
        for title, _, claim_slug in KEY_BENEFITS if existing else []:
            # Guides seeded before benefits had claims get theirs now.
            existing.key_benefits.filter(title=title, claim=None).update(claim=claims[claim_slug])
        guide = create_demo_guide(
            slug=GUIDE_SLUG,
            fields={
                "title": "L-Glutamine for Gut Health: Tight Junctions, Leaky Gut and the Evidence",
                "category": category,
                "evidence_grade": "limited",
                "reviewer": reviewer,
                "intro": INTRO,
                "expert_take": EXPERT_TAKE,
                "featured": True,
            },
            add_parts=lambda guide: self.parts(guide, studies, claims, products),
            people=people,
            published_at=now - timedelta(days=27),
        )
        create_demo_guide(
            slug=IN_REVIEW["slug"],
            fields={
                "title": IN_REVIEW["title"],
                "category": category,
                "evidence_grade": "limited",
                "reviewer": reviewer,
                "intro": IN_REVIEW["intro"],
            },
            add_parts=lambda guide: self.in_review_parts(guide, claims, products),
            people=people,
            due_in_days=3,
            assignment_note=IN_REVIEW["assignment_note"],
        )
        self.pages()
        self.stdout.write(self.style.SUCCESS(f"Demo guide ready at {guide.get_absolute_url()}"))

    def study(self, data):
        data = dict(data)
        topics = [
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in data.pop("topics")
        ]
        study = Study.objects.with_identifier(pmid=data["pmid"], doi=data["doi"]).first()
        if study is None:
            study = Study(**data)
            study.slug = study.make_slug()
            study.full_clean()
            study.save()
        study.topics.add(*topics)
        return study

    def claim(self, data, studies):
        by_identifier = {study.pmid: study for study in studies if study.pmid}
        by_identifier |= {study.doi: study for study in studies if study.doi}
        grade, reason = data.get("override", ("", ""))
        claim, _ = Claim.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "statement": data["statement"],
                "summary": data.get("summary", ""),
                "grade_override": grade,
                "grade_override_reason": reason,
            },
        )
        for identifier, stance in data["evidence"]:
            ClaimStudy.objects.get_or_create(claim=claim, study=by_identifier[identifier], defaults={"stance": stance})
        return claim

    def parts(self, guide, studies, claims, products):
        for order, (title, text, claim_slug) in enumerate(KEY_BENEFITS):
            KeyBenefit.objects.create(guide=guide, order=order, title=title, text=text, claim=claims[claim_slug])
        for data in PRODUCTS:
            RankedProduct.objects.create(
                guide=guide,
                product=products[data["sku"]],
                rank=data["rank"],
                award=data["award"],
                quality_score=data["scores"][0],
                value_score=data["scores"][1],
                clinical_score=data["scores"][2],
                verdict=data["verdict"],
            )
        for order, (heading, body) in enumerate(SECTIONS):
            Section.objects.create(guide=guide, order=order, heading=heading, body=body)
        for order, (complaint, answer) in enumerate(COMPLAINTS):
            Complaint.objects.create(guide=guide, order=order, complaint=complaint, answer=answer)
        for order, (severity, text) in enumerate(WARNINGS):
            SafetyWarning.objects.create(guide=guide, order=order, severity=severity, text=text)
        for order, (question, answer) in enumerate(FAQS):
            FAQ.objects.create(guide=guide, order=order, question=question, answer=answer)
        for order, study in enumerate(studies):
            # The text's citation markers have already added some of these.
            Citation.objects.update_or_create(guide=guide, study=study, defaults={"order": order})

    def in_review_parts(self, guide, claims, products):
        title, text, claim_slug = IN_REVIEW["key_benefit"]
        KeyBenefit.objects.create(guide=guide, title=title, text=text, claim=claims[claim_slug])
        RankedProduct.objects.create(
            guide=guide,
            product=products[PRODUCTS[0]["sku"]],
            rank=1,
            award="Best before a hot run",
            quality_score=PRODUCTS[0]["scores"][0],
            value_score=PRODUCTS[0]["scores"][1],
            clinical_score=PRODUCTS[0]["scores"][2],
            verdict="The trial's dose in one scoop.",
        )
        for order, (heading, body) in enumerate(IN_REVIEW["sections"]):
            Section.objects.create(guide=guide, order=order, heading=heading, body=body)

    def product(self, data, now):
        brand, _ = Brand.objects.get_or_create(
            name=data["brand"],
            defaults={"slug": data["brand"].lower().replace(" ", "-")},
        )
        product, _ = Product.objects.get_or_create(
            sku=data["sku"],
            defaults={
                "brand": brand,
                "name": data["name"],
                "slug": f"{brand.slug}-{data['name']}".lower().replace(" ", "-"),
                "form": data["form"],
                "serving_size": data["serving_size"],
                "amount_per_serving": data["amount_per_serving"],
                "servings_per_container": data["servings_per_container"],
                "certifications": data["certifications"],
            },
        )
        for merchant_name, price in data["offers"]:
            merchant, _ = Merchant.objects.get_or_create(
                name=merchant_name,
                defaults={"slug": merchant_name.lower().replace(" ", "-")},
            )
            offer, created = Offer.objects.get_or_create(
                product=product,
                merchant=merchant,
                defaults={
                    "price": price,
                    "currency": "USD",
                    "price_checked_at": now - timedelta(hours=2),
                    "affiliate_url": f"https://shop.example.com/{merchant.slug}/{data['sku'].lower()}?tag=glutasite-demo",
                },
            )
            if not created and offer.price_checked_at < now - merchant.price_max_age + timedelta(hours=1):
                offer.price_checked_at = now - timedelta(hours=2)
                offer.save(update_fields=["price_checked_at"])
        return product

    def pages(self):
        for data in PAGES:
            Page.objects.get_or_create(slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"})
