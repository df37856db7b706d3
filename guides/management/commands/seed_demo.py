"""Build the demo L-glutamine guide, its reviewer, products and studies.

Every object is matched on a natural key (slug, SKU, PMID), so running the
command again changes nothing. Offers get a fresh `price_checked_at` only
when created or when the stored check has gone stale, so the demo keeps
showing prices without rewriting anything on a second run.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from evidence.models import Claim, ClaimStudy, Study, Topic
from guides.models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    Guide,
    KeyBenefit,
    Page,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
    SiteSettings,
)
from products.models import Brand, Merchant, Offer, Product

from ._demo_pages import PAGES
from ._demo_studies import STUDIES

GUIDE_SLUG = "l-glutamine-for-gut-health"

PRODUCTS = [
    {
        "sku": "DEMO-NFL-GLN-500",
        "brand": "Northfield Labs",
        "name": "L-Glutamine Powder",
        "form": Product.Form.POWDER,
        "serving_size": "1 scoop (5 g)",
        "amount_per_serving": Decimal("5"),
        "servings_per_container": 100,
        "certifications": "NSF Certified for Sport",
        "offers": [("Amazon US", Decimal("34.99")), ("Vitacost", Decimal("36.50"))],
        "rank": 1,
        "award": "Best overall",
        "scores": (Decimal("9.5"), Decimal("8.5"), Decimal("9.0")),
        "verdict": "Pure free-form L-glutamine at the 5 g dose used in gut studies, tested by NSF.",
    },
    {
        "sku": "DEMO-CLR-GLN-1000",
        "brand": "Clearwell",
        "name": "Glutamine Unflavored 1 kg",
        "form": Product.Form.POWDER,
        "serving_size": "1 teaspoon (5 g)",
        "amount_per_serving": Decimal("5"),
        "servings_per_container": 200,
        "certifications": "Informed Choice",
        "offers": [("Amazon US", Decimal("39.99"))],
        "rank": 2,
        "award": "Best value",
        "scores": (Decimal("8.5"), Decimal("9.5"), Decimal("8.5")),
        "verdict": "The lowest price per 5 g serving of the tested powders.",
    },
    {
        "sku": "DEMO-HRB-GLN-CAP",
        "brand": "Harbor Botanics",
        "name": "L-Glutamine 1000 mg Capsules",
        "form": Product.Form.CAPSULE,
        "serving_size": "2 capsules",
        "amount_per_serving": Decimal("2"),
        "servings_per_container": 60,
        "certifications": "",
        "offers": [("iHerb", Decimal("19.95"))],
        "rank": 3,
        "award": "Best capsule",
        "scores": (Decimal("8.0"), Decimal("6.5"), Decimal("6.0")),
        "verdict": "Handy for travel, but you need five capsules to reach a 5 g dose.",
    },
    {
        "sku": "DEMO-GUT-GLN-BLEND",
        "brand": "GutWise",
        "name": "Gut Repair Blend with L-Glutamine",
        "form": Product.Form.POWDER,
        "serving_size": "1 scoop (7 g)",
        "amount_per_serving": Decimal("3"),
        "servings_per_container": 30,
        "certifications": "",
        "offers": [("Amazon US", Decimal("44.00"))],
        "rank": 4,
        "award": "",
        "scores": (Decimal("7.0"), Decimal("5.0"), Decimal("5.5")),
        "verdict": "Adds zinc carnosine and aloe, but only 3 g of glutamine per scoop at a high price.",
    },
]

SUPPORTS, CONTRADICTS, MIXED = ClaimStudy.Stance.SUPPORTS, ClaimStudy.Stance.CONTRADICTS, ClaimStudy.Stance.MIXED

# Each claim's studies are named by PMID, or by DOI where the PMID is unconfirmed.
CLAIMS = [
    {
        "slug": "glutamine-fuels-the-gut-lining",
        "statement": "Glutamine is a main fuel of the cells lining the small intestine",
        "summary": "Both reviews describe the cells lining the small intestine using glutamine as a main fuel.",
        "evidence": [("28498331", SUPPORTS), ("10.2174/1875044301205010047", SUPPORTS)],
        "override": (
            "moderate",
            "This is long-established physiology that both reviews summarise. The grading rule cannot count "
            "reviews, so on its own it proposes insufficient evidence.",
        ),
    },
    {
        "slug": "glutamine-reduces-intestinal-permeability",
        "statement": "L-glutamine reduces intestinal permeability",
        "summary": "Trials in IV feeding, post-infectious IBS and exercise found less permeability with glutamine; "
        "trials in Crohn's disease and in malnourished patients found no difference.",
        "evidence": [
            ("8098788", SUPPORTS),
            ("30108163", SUPPORTS),
            ("29058112", SUPPORTS),
            ("22038507", MIXED),
            ("9888411", CONTRADICTS),
            ("15380916", CONTRADICTS),
            ("27749689", MIXED),
        ],
    },
    {
        "slug": "glutamine-limits-gut-permeability-in-exercise-heat",
        "statement": "Glutamine taken before exercise in the heat limits the rise in gut permeability",
        "evidence": [("29058112", SUPPORTS)],
    },
    {
        "slug": "glutamine-eases-post-infectious-ibs",
        "statement": "Glutamine eases the symptoms of post-infectious IBS with diarrhoea",
        "evidence": [("30108163", SUPPORTS)],
    },
]

KEY_BENEFITS = [
    (
        "Fuels the cells of the gut lining",
        "Enterocytes burn glutamine in preference to glucose.",
        "glutamine-fuels-the-gut-lining",
    ),
    (
        "Helps keep tight junctions closed",
        "Lab and clinical work show glutamine supports occludin and ZO-1 [@doi:10.2174/1875044301205010047].",
        "glutamine-reduces-intestinal-permeability",
    ),
    (
        "Protects the gut under physical stress",
        "Best studied after surgery, in critical illness and in hard exercise.",
        "glutamine-limits-gut-permeability-in-exercise-heat",
    ),
    (
        "May ease post-infection IBS",
        "One randomised trial found fewer symptoms with 5 g three times a day.",
        "glutamine-eases-post-infectious-ibs",
    ),
]

SECTIONS = [
    (
        "How L-glutamine supports the gut",
        "L-glutamine is the most plentiful free amino acid in the body and the main fuel of the "
        "cells lining the small intestine. Those cells are joined by *tight junction* proteins; "
        "when the junctions loosen, the gut becomes more permeable.\n\n"
        "Glutamine helps in two ways: it feeds the lining directly [@pmid:28498331], and it supports the "
        "proteins that hold the junctions shut [@doi:10.2174/1875044301205010047]. When glutamine runs low, "
        "as in severe illness, permeability rises measurably.",
    ),
    (
        "What to look for when buying",
        "- **Free-form L-glutamine** as the only active ingredient, so you know the dose.\n"
        "- **At least 5 g per serving**, the amount used in most gut studies.\n"
        "- **Third-party testing** (NSF, Informed Choice or Informed Sport) for purity.\n"
        "- **Powder over capsules** if you take gram doses: it takes five 1,000 mg capsules to make 5 g.",
    ),
    (
        "Dosage",
        "Studies of gut permeability in adults mostly used **5 to 15 g a day**, split into two or "
        "three doses with water. Start at 5 g and raise it only if you tolerate it. Follow your "
        "clinician's advice: the right dose depends on your health and goals.",
    ),
]

COMPLAINTS = [
    (
        "I heard leaky gut isn't a real condition",
        "“Leaky gut” is an informal name, but increased intestinal permeability is real and "
        "measurable, for example with lactulose/mannitol tests. What is overstated is the claim "
        "that it causes every chronic illness.",
    ),
    (
        "It upset my stomach",
        "Bloating or loose stools at high doses usually settle when the dose is split or lowered. "
        "Take it with water, not on top of a large protein shake.",
    ),
    (
        "Isn't eating protein enough?",
        "Food protein contains glutamine, but it must be digested first and the amount varies. "
        "A free-form supplement delivers a known dose straight to the gut lining.",
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CRITICAL,
        "**Cancer:** do not take L-glutamine if you have active cancer, are in treatment or have a "
        "recent cancer history unless your oncology team approves it. Many tumours use glutamine "
        "as fuel.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "**Kidney or liver disease:** glutamine breakdown produces ammonia. Use it only under your "
        "specialist's supervision.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "**Critical illness:** a large trial in intensive care found higher mortality with high-dose "
        "glutamine in patients with multi-organ failure [@pmid:23594003]. This is a hospital setting, not home use.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "**Medicines:** no major interactions are known at supplement doses, but ask your "
        "pharmacist if you take anti-seizure medication.",
    ),
]

FAQS = [
    (
        "How long does L-glutamine take to work?",
        "Trials on gut permeability ran from two [@pmid:8098788] to eight weeks [@pmid:30108163]. Give it at "
        "least a month at a steady dose before you judge it.",
    ),
    (
        "When should I take it?",
        "Any time of day works. Splitting the dose between morning and evening is gentler on the stomach.",
    ),
    (
        "Can I mix it into hot drinks?",
        "Stir it into cool or room-temperature drinks. Glutamine slowly breaks down in heat.",
    ),
    (
        "Is it safe to take every day?",
        "Healthy adults have taken 5 to 15 g a day for months without serious effects in studies. "
        "See the safety section for who should not take it.",
    ),
    (
        "Is glutamine the same as glutamate or MSG?",
        "No. Glutamine and glutamate are different amino acids, and MSG is a salt of glutamate.",
    ),
]

EXPERT_TAKE = (
    "The popular story about leaky gut runs ahead of the evidence, but increased gut permeability "
    "is real and measurable. Glutamine's role in keeping the gut lining tight is well founded, "
    "above all under physical stress. For healthy adults with gut concerns, 5 to 10 g a day is a "
    "reasonable, evidence-informed dose. Anyone with a history of cancer should ask their "
    "oncologist first: that is the most important point on this page."
)


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
        guide, created = Guide.objects.get_or_create(
            slug=GUIDE_SLUG,
            defaults={
                "title": "L-Glutamine for Gut Health: Tight Junctions, Leaky Gut and the Evidence",
                "category": category,
                "evidence_grade": "limited",
                "reviewer": reviewer,
                "intro": (
                    "L-glutamine is the main fuel of the cells that line your small intestine, which "
                    "is why it is studied for gut barrier health more than any other amino acid.\n\n"
                    "The landmark trial (van der Hulst et al., *Lancet* 1993) gave patients on "
                    "intravenous feeding glutamine or none: the glutamine group kept their gut "
                    "lining intact while the others' lining thinned [@pmid:8098788]. This guide sums up what the "
                    "research shows, how much to take, who should avoid it, and which products "
                    "deliver a clinical dose."
                ),
                "expert_take": EXPERT_TAKE,
                "status": Guide.Status.PUBLISHED,
                "published_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                "updated_at": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
                "last_reviewed_on": date(2026, 11, 2),
                "featured": True,
            },
        )
        if created:
            self.parts(guide, studies, claims)
        for title, _, claim_slug in KEY_BENEFITS:
            # Guides seeded before benefits had claims get theirs now.
            guide.key_benefits.filter(title=title, claim=None).update(claim=claims[claim_slug])
        for data in PRODUCTS:
            product = self.product(data, now)
            RankedProduct.objects.get_or_create(
                guide=guide,
                product=product,
                defaults={
                    "rank": data["rank"],
                    "award": data["award"],
                    "quality_score": data["scores"][0],
                    "value_score": data["scores"][1],
                    "clinical_score": data["scores"][2],
                    "verdict": data["verdict"],
                },
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

    def parts(self, guide, studies, claims):
        for order, (title, text, claim_slug) in enumerate(KEY_BENEFITS):
            KeyBenefit.objects.create(guide=guide, order=order, title=title, text=text, claim=claims[claim_slug])
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
