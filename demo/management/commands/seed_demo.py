"""Build the demo site: reviewers, shops, categories, five guides with their studies and products, and pages.

Every object is matched on a natural key (slug, SKU, PMID or DOI, name), so
running the command again changes nothing. Offers get a fresh
`price_checked_at` only when created or when the stored check has gone stale,
so the demo keeps showing prices without rewriting anything on a second run.
Photos are drawn (see _demo_pictures) only for a product or reviewer without one.

`guide()` is the one place a demo guide comes to exist: written by the demo
editor, sent to review, signed off by its reviewer and published through the
workflow (`demo.workflow`), so each guide has a saved version and a sign-off,
and its page dates come from them; its later notes under "What changed" follow
as published versions. One more guide waits in review, assigned to the demo
reviewer, so the dashboard has work to show. `demo_logins` gives the demo's
people passwords, in development only.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from demo import shop
from demo.workflow import create_demo_guide, demo_people
from evidence.models import Claim, ClaimStudy, Study, Topic
from guides import revisions
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
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from readers.models import Page

from ._demo_creatine import GUIDE as CREATINE
from ._demo_glutamine import GUIDE as GLUTAMINE
from ._demo_glutamine import IN_REVIEW
from ._demo_leaky_gut import GUIDE as LEAKY_GUT
from ._demo_magnesium import GUIDE as MAGNESIUM
from ._demo_pages import PAGES
from ._demo_pictures import product_photo, reviewer_portrait
from ._demo_site import CATEGORIES, MERCHANTS, REVIEWERS
from ._demo_vitamin_d import GUIDE as VITAMIN_D

GUIDES = [GLUTAMINE, LEAKY_GUT, MAGNESIUM, CREATINE, VITAMIN_D]


class Command(BaseCommand):
    help = "Create or refresh the demo guides, their studies, products and reviewers. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        SiteSettings.load()
        for data in MERCHANTS:
            self.merchant(data)
        reviewers = {data["slug"]: self.reviewer(data) for data in REVIEWERS}
        categories = self.categories()
        people = demo_people(reviewers[GLUTAMINE["reviewer"]])
        for data in GUIDES:
            guide = self.guide(data, reviewers[data["reviewer"]], categories[data["category"]], people, now)
            self.stdout.write(f"Demo guide ready at {guide.get_absolute_url()}")
        glutamine = [self.product(data, now) for data in GLUTAMINE["products"]]
        shop.seed(glutamine)  # a merchant whose price feed the development server serves
        self.in_review(reviewers[GLUTAMINE["reviewer"]], categories[GLUTAMINE["category"]], glutamine[0], people)
        self.pages()
        self.stdout.write(self.style.SUCCESS(f"{len(GUIDES)} demo guides ready, and one in review."))

    def merchant(self, data):
        merchant, _ = Merchant.objects.get_or_create(
            name=data["name"],
            defaults={
                "slug": slugify(data["name"]),
                "domains": data["domains"],
                "price_max_age": data["price_max_age"],
            },
        )
        # Shops made before merchants had domains get theirs now.
        Merchant.objects.filter(pk=merchant.pk, domains="").update(domains=data["domains"])
        return merchant

    def reviewer(self, data):
        fields = {key: value for key, value in data.items() if key not in {"slug", "portrait"}}
        reviewer, _ = Reviewer.objects.get_or_create(slug=data["slug"], defaults=fields)
        if not reviewer.photo:
            reviewer.photo.save(f"{reviewer.slug}.png", ContentFile(reviewer_portrait(*data["portrait"])))
        return reviewer

    def categories(self):
        made = {}
        for slug, name, parent in CATEGORIES:
            made[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "parent": made.get(parent)}
            )
        return made

    def guide(self, data, reviewer, category, people, now):
        """One demo guide with everything it shows, made through the workflow: studies, claims, parts,
        products, its publication and its later notes for readers."""
        studies = [self.study(study) for study in data["studies"]]
        claims = {claim["slug"]: self.claim(claim) for claim in data.get("claims", [])}
        products = [self.product(product, now) for product in data.get("products", [])]
        guide = create_demo_guide(
            slug=data["slug"],
            fields={
                "title": data["title"],
                "kind": data.get("kind", Guide.Kind.COMPARISON),
                "category": category,
                "evidence_grade": data["grade"],
                "grade_override_reason": data.get("grade_override_reason", ""),
                "reviewer": reviewer,
                "intro": data["intro"],
                "typical_dose": data.get("typical_dose", ""),
                "expert_take": data.get("expert_take", ""),
                "featured": data.get("featured", False),
            },
            add_parts=lambda guide: self.parts(guide, data, studies, claims, products),
            people=people,
            published_at=data["published_at"],
        )
        for title, _, claim_slug in data.get("key_benefits", []):
            # Guides seeded before benefits had claims get theirs now.
            claim = claims.get(claim_slug) or Claim.objects.get(slug=claim_slug)
            guide.key_benefits.filter(title=title, claim=None).update(claim=claim)
        self.changes(guide, data, reviewer)
        return guide

    def in_review(self, reviewer, category, product, people):
        def add_parts(guide):
            title, text, claim_slug = IN_REVIEW["key_benefit"]
            KeyBenefit.objects.create(guide=guide, title=title, text=text, claim=Claim.objects.get(slug=claim_slug))
            RankedProduct.objects.create(guide=guide, product=product, rank=1, **IN_REVIEW["ranking"])
            for order, (heading, body) in enumerate(IN_REVIEW["sections"]):
                Section.objects.create(guide=guide, order=order, heading=heading, body=body)

        create_demo_guide(
            slug=IN_REVIEW["slug"],
            fields={
                "title": IN_REVIEW["title"],
                "category": category,
                "evidence_grade": "limited",
                "reviewer": reviewer,
                "intro": IN_REVIEW["intro"],
            },
            add_parts=add_parts,
            people=people,
            due_in_days=3,
            assignment_note=IN_REVIEW["assignment_note"],
        )

    def study(self, data):
        data = dict(data)
        topics = [
            # By name, which is unique: a topic an editor or an import already made under another slug is reused.
            Topic.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in data.pop("topics")
        ]
        study = Study.objects.with_identifier(pmid=data["pmid"], doi=data["doi"]).first()
        if study is None:
            study = Study(**data)
            study.slug = study.make_slug()
            study.full_clean()
            study.save()
        study.topics.add(*topics)
        return study

    def claim(self, data):
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
            study = Study.objects.with_identifier(pmid=identifier, doi=identifier).get()
            ClaimStudy.objects.get_or_create(claim=claim, study=study, defaults={"stance": stance})
        return claim

    def parts(self, guide, data, studies, claims, products):
        for order, (title, text, claim_slug) in enumerate(data.get("key_benefits", [])):
            claim = claims.get(claim_slug) or Claim.objects.get(slug=claim_slug)  # or another guide's claim
            KeyBenefit.objects.create(guide=guide, order=order, title=title, text=text, claim=claim)
        boxes = set(data.get("free_guide_box_after", []))
        for order, (heading, body) in enumerate(data.get("sections", [])):
            Section.objects.create(
                guide=guide,
                order=order,
                heading=heading,
                body=body,
                free_guide_box_after=heading in boxes,
            )
        for order, (complaint, answer, source) in enumerate(data.get("complaints", [])):
            count, where, year = source or (None, "", None)
            Complaint.objects.create(
                guide=guide,
                order=order,
                complaint=complaint,
                answer=answer,
                review_count=count,
                review_source=where,
                review_year=year,
            )
        for order, (severity, applies_to, text) in enumerate(data.get("warnings", [])):
            SafetyWarning.objects.create(guide=guide, order=order, severity=severity, applies_to=applies_to, text=text)
        for order, (question, answer) in enumerate(data.get("faqs", [])):
            FAQ.objects.create(guide=guide, order=order, question=question, answer=answer)
        for order, study in enumerate(studies):
            # The text's citation markers have already added some of these.
            Citation.objects.update_or_create(guide=guide, study=study, defaults={"order": order})
        for product, ranking in zip(products, data.get("products", []), strict=True):
            RankedProduct.objects.create(
                guide=guide,
                product=product,
                rank=ranking["rank"],
                award=ranking["award"],
                quality_score=ranking["scores"][0],
                value_score=ranking["scores"][1],
                clinical_score=ranking["scores"][2],
                verdict=ranking["verdict"],
            )

    def product(self, data, now):
        brand, _ = Brand.objects.get_or_create(name=data["brand"], defaults={"slug": slugify(data["brand"])})
        product, _ = Product.objects.get_or_create(
            sku=data["sku"],
            defaults={
                "brand": brand,
                "name": data["name"],
                "slug": slugify(f"{brand.slug}-{data['name']}"),
                "form": data["form"],
                "serving_size": data["serving_size"],
                "amount_per_serving": data["amount_per_serving"],
                "amount_unit": data.get("amount_unit", Product.Unit.G),
                "servings_per_container": data["servings_per_container"],
                "certifications": data["certifications"],
                "image_alt": f"The {data['name']} {'tub' if data['form'] == 'powder' else 'bottle'} by {data['brand']}",
            },
        )
        if not product.image:
            photo = product_photo(data["brand"], data["name"], data["colour"], data["form"])
            product.image.save(f"{product.slug}.png", ContentFile(photo))
        for index, (merchant_name, price) in enumerate(data["offers"]):
            history = data.get("price_history", []) if index == 0 else []  # the first shop's earlier checks
            self.offer(product, Merchant.objects.get(name=merchant_name), price, data["sku"], history, now)
        return product

    def offer(self, product, merchant, price, sku, history, now):
        offer, created = Offer.objects.get_or_create(
            product=product,
            merchant=merchant,
            defaults={
                "price": price,
                "currency": "USD",
                "price_checked_at": now - timedelta(hours=2),
                "affiliate_url": shop.product_address(sku, merchant),
            },
        )
        before = f"https://shop.example.com/{merchant.slug}/{sku.lower()}?tag=glutasite-demo"  # the earlier seed's
        seeded = offer.affiliate_url == before or "/demo/shop/" in offer.affiliate_url
        if seeded and offer.affiliate_url != shop.product_address(sku, merchant):
            # A link this seed made earlier (before demo links led to the demo shop, or on another port): the
            # link checker would find it dead and hide the offer. A link staff typed is left alone.
            offer.affiliate_url = shop.product_address(sku, merchant)
            offer.save(update_fields=["affiliate_url"])
        if created:
            # Earlier checks, so the product page has a price history to chart.
            history = [(now - timedelta(days=days), past) for days, past in history]
            history.append((offer.price_checked_at, offer.price))
            PriceHistory.objects.bulk_create(
                PriceHistory(offer=offer, price=p, currency="USD", checked_at=t, source=PriceHistory.Source.IMPORT)
                for t, p in history
            )
        elif offer.price_checked_at < now - merchant.price_max_age + timedelta(hours=1):
            offer.price_checked_at = now - timedelta(hours=2)
            offer.save(update_fields=["price_checked_at"])

    def changes(self, guide, data, reviewer):
        """The guide's later published versions, each with its note for readers under "What changed"."""
        first = guide.revisions.order_by("number").first()
        for number, (published_at, note) in enumerate(data.get("changes", []), start=first.number + 1):
            if GuideRevision.objects.filter(guide=guide, number=number).exists():
                continue
            content = revisions.snapshot(guide)
            GuideRevision.objects.create(
                guide=guide,
                number=number,
                created_at=published_at - timedelta(days=2),
                created_by=first.created_by,
                submitted_by=first.submitted_by,
                content=content,
                content_hash=revisions.content_hash(content),
                signed_off_by=reviewer,
                signed_off_user=reviewer.user,
                signed_off_at=published_at - timedelta(days=1),
                published_at=published_at,
                published_by=first.published_by,
                change_note=note,
            )
            Guide.objects.filter(pk=guide.pk).update(
                updated_at=published_at,
                last_reviewed_on=timezone.localdate(published_at - timedelta(days=1)),
            )

    def pages(self):
        for data in PAGES:
            Page.objects.get_or_create(slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"})
