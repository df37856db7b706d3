"""The demo creatine guide: strength training, three products, a shop link in the text."""

from datetime import UTC, datetime
from decimal import Decimal

from evidence.models import ClaimStudy, EvidenceGrade
from guides.models import SafetyWarning
from products.models import Product

from ._demo_studies_more import CREATINE_STUDIES

SUPPORTS = ClaimStudy.Stance.SUPPORTS

PRODUCTS = [
    {
        "sku": "DEMO-IRN-CRE-500",
        "brand": "Ironline",
        "name": "Creatine Monohydrate Powder 500 g",
        "form": Product.Form.POWDER,
        "serving_size": "1 scoop (5 g)",
        "amount_per_serving": Decimal("5"),
        "servings_per_container": 100,
        "certifications": "NSF Certified for Sport; Informed Sport",
        "offers": [("Amazon US", Decimal("27.99")), ("iHerb", Decimal("29.50"))],
        "price_history": [(90, Decimal("32.99")), (45, Decimal("29.99")), (8, Decimal("28.49"))],
        "colour": "#8a3b8f",
        "rank": 1,
        "award": "Best overall",
        "scores": (Decimal("9.5"), Decimal("9.0"), Decimal("9.5")),
        "verdict": "Plain monohydrate, the form nearly every trial used, tested for banned substances twice over.",
    },
    {
        "sku": "DEMO-CLR-CRE-1000",
        "brand": "Clearwell",
        "name": "Creatine Monohydrate 1 kg",
        "form": Product.Form.POWDER,
        "serving_size": "1 teaspoon (5 g)",
        "amount_per_serving": Decimal("5"),
        "servings_per_container": 200,
        "certifications": "Informed Choice",
        "offers": [("Amazon US", Decimal("36.99"))],
        "colour": "#b3541e",
        "rank": 2,
        "award": "Best value",
        "scores": (Decimal("8.5"), Decimal("9.5"), Decimal("9.0")),
        "verdict": "The lowest price per 5 g serving, with a testing seal.",
    },
    {
        "sku": "DEMO-HRB-CRE-CAP",
        "brand": "Harbor Botanics",
        "name": "Creatine 750 mg Capsules",
        "form": Product.Form.CAPSULE,
        "serving_size": "4 capsules",
        "amount_per_serving": Decimal("3"),
        "servings_per_container": 45,
        "certifications": "",
        "offers": [("iHerb", Decimal("24.00"))],
        "colour": "#3d5a98",
        "rank": 3,
        "award": "Best capsule",
        "scores": (Decimal("7.5"), Decimal("6.0"), Decimal("7.5")),
        "verdict": "For people who dislike powder, but four capsules give only 3 g.",
    },
]

CLAIMS = [
    {
        "slug": "creatine-increases-upper-body-strength",
        "statement": "Creatine supplementation increases upper-body strength",
        "summary": "A meta-analysis of 53 placebo-controlled trials found more bench-press and chest-press "
        "strength with creatine, across doses, training and people.",
        "evidence": [("27328852", SUPPORTS)],
    },
    {
        "slug": "creatine-is-safe-for-healthy-adults",
        "statement": "Creatine monohydrate is safe for healthy adults at the usual doses",
        "summary": "The ISSN's position stand reviews short- and long-term trials and finds no harm in healthy people.",
        "evidence": [("28615996", SUPPORTS)],
        "override": (
            EvidenceGrade.MODERATE,
            "The position stand reviews many controlled trials, some lasting years; the rule cannot count a "
            "review, so on its own it proposes insufficient evidence.",
        ),
    },
]

KEY_BENEFITS = [
    (
        "More strength from the same training",
        "Bench and chest press improved in 53 trials pooled together.",
        "creatine-increases-upper-body-strength",
    ),
    (
        "Well studied for safety",
        "Years of use in healthy adults without harm to the kidneys or liver.",
        "creatine-is-safe-for-healthy-adults",
    ),
]

SECTIONS = [
    (
        "How creatine works",
        "Muscles store creatine as phosphocreatine, a quick reserve of energy for short, hard efforts such "
        "as a heavy set or a sprint. Supplements fill that reserve by about a fifth, so you can do a rep or "
        "two more, and over weeks of training that adds up to more strength [@pmid:27328852].",
    ),
    (
        "What to look for when buying",
        "- **Creatine monohydrate**, the form used in nearly every trial; “buffered” or “HCl” forms cost "
        "more without better results [@pmid:28615996].\n"
        "- **A testing seal** (NSF Certified for Sport, Informed Sport, Informed Choice) if you compete.\n"
        "- **No proprietary blends:** you should see 3 to 5 g of creatine per serving.\n\n"
        "Plain unflavoured monohydrate is one of the cheapest supplements there is, for example "
        "[at iHerb](https://www.iherb.com/search?kw=creatine%20monohydrate&rcode=GLUTASITE).",
    ),
    (
        "Dosage",
        "Take **3 to 5 g a day**, with any meal. To fill your muscles faster, you may take 20 g a day in "
        "four doses for five to seven days first; without that loading week, it takes about a month to get "
        "to the same place [@pmid:28615996].",
    ),
]

COMPLAINTS = [
    (
        "I gained weight in the first week",
        "That is water drawn into the muscles with the creatine, usually 1 to 2 kg, not fat. It is a sign "
        "the muscles are filling up.",
        (2105, "Amazon US", 2026),
    ),
    (
        "It won't dissolve",
        "Monohydrate dissolves poorly in cold water. Stir it into warm water, juice or a shake and drink it "
        "straight away.",
        (2105, "Amazon US", 2026),
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CAUTION,
        "People with kidney disease",
        "**Kidney disease:** creatine raises creatinine, the blood marker used to check the kidneys, and has "
        "not been studied enough in kidney disease. Ask your doctor first, and tell them you take it before "
        "a blood test.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "Teenagers, unless a doctor or sports dietitian advises it",
        "**Under 18:** there is less research in teenagers. Get advice first.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "",
        "**Water weight:** expect 1 to 2 kg in the first weeks. Drink normally; there is no need to force extra water.",
    ),
]

FAQS = [
    (
        "Do I need to cycle creatine?",
        "No. Trials of daily use for months and years found no reason to stop and restart [@pmid:28615996].",
    ),
    (
        "Does creatine work for women and older adults?",
        "Yes. The pooled trials found the benefit regardless of sex or age [@pmid:27328852].",
    ),
]

GUIDE = {
    "slug": "creatine-for-strength",
    "title": "Creatine Monohydrate for Strength: Dose, Safety and the Best Powders",
    "category": "strength",
    "reviewer": "marcus-okafor",
    "grade": "strong",
    "intro": (
        "Creatine is the best-studied supplement for strength training. Taken every day alongside "
        "training, it adds a little more strength than training alone [@pmid:27328852], and it is safe "
        "for healthy adults [@pmid:28615996]. We compared three products on form, testing and price per "
        "serving."
    ),
    "typical_dose": "3–5 g a day with a meal; optionally 20 g a day for the first week",
    "expert_take": (
        "If you lift and want one supplement, this is it: cheap, safe and backed by decades of trials. Buy "
        "plain monohydrate with a testing seal and skip the fancy forms."
    ),
    "featured": True,
    "published_at": datetime(2026, 2, 16, 9, 0, tzinfo=UTC),
    "changes": [
        (
            datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
            "Added the 2017 meta-analysis of upper-body strength to the evidence.",
        ),
        (
            datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
            "Ironline Creatine Monohydrate moved from #2 to #1 after it gained a second testing seal.",
        ),
    ],
    "studies": CREATINE_STUDIES,
    "claims": CLAIMS,
    "key_benefits": KEY_BENEFITS,
    "sections": SECTIONS,
    "complaints": COMPLAINTS,
    "warnings": WARNINGS,
    "faqs": FAQS,
    "products": PRODUCTS,
}
