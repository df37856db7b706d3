"""The demo L-glutamine guide: products, claims and the guide's parts."""

from datetime import UTC, datetime
from decimal import Decimal

from evidence.models import ClaimStudy
from guides.models import SafetyWarning
from products.models import Product

from ._demo_studies import STUDIES

GUIDE_SLUG = "l-glutamine-for-gut-health"

INTRO = (
    "L-glutamine is the main fuel of the cells that line your small intestine, which "
    "is why it is studied for gut barrier health more than any other amino acid.\n\n"
    "The landmark trial (van der Hulst et al., *Lancet* 1993) gave patients on "
    "intravenous feeding glutamine or none: the glutamine group kept their gut "
    "lining intact while the others' lining thinned [@pmid:8098788]. This guide sums up what the "
    "research shows, how much to take, who should avoid it, and which products "
    "deliver a clinical dose."
)

# A second guide, left in review and assigned to the demo reviewer, so the dashboard has work to show.
IN_REVIEW = {
    "slug": "l-glutamine-before-exercise-in-the-heat",
    "title": "L-Glutamine Before Exercise in the Heat",
    "intro": (
        "Long runs in hot weather loosen the gut lining, which is one reason endurance athletes get stomach "
        "trouble. In a small randomised trial, runners who took glutamine two hours before a 60-minute run "
        "in the heat had a smaller rise in a gut-permeability marker than on placebo [@pmid:29058112]."
    ),
    "key_benefit": (
        "Limits gut leakiness during hot runs",
        "The largest dose worked best; gut symptoms did not change.",
        "glutamine-limits-gut-permeability-in-exercise-heat",
    ),
    "sections": [
        (
            "How much, and when",
            "The trial gave single doses two hours before running. Start low and try it on a training day, "
            "never first on race day.",
        ),
    ],
    "ranking": {
        "award": "Best before a hot run",
        "quality_score": Decimal("9.5"),
        "value_score": Decimal("8.5"),
        "clinical_score": Decimal("9.0"),
        "verdict": "The trial's dose in one scoop.",
    },
    "assignment_note": "Please check the dose advice against the trial before sign-off.",
}

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
        "price_history": [(75, Decimal("39.99")), (40, Decimal("37.49")), (12, Decimal("35.99"))],
        "colour": "#1f6f5c",
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
        "price_history": [(30, Decimal("44.99"))],
        "colour": "#b3541e",
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
        "colour": "#3d5a98",
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
        "colour": "#8a3b8f",
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
        "- **Powder over capsules** if you take gram doses: it takes five 1,000 mg capsules to make 5 g.\n\n"
        "Plain, unflavoured L-glutamine powder is easy to find, for example "
        "[at iHerb](https://www.iherb.com/c/l-glutamine?rcode=GLUTASITE).",
    ),
    (
        "Dosage",
        "Studies of gut permeability in adults mostly used **5 to 15 g a day**, split into two or "
        "three doses with water. Start at 5 g and raise it only if you tolerate it. Follow your "
        "clinician's advice: the right dose depends on your health and goals.",
    ),
]

# Demo review counts: what an editor would write after reading the reviews.
COMPLAINTS = [
    (
        "I heard leaky gut isn't a real condition",
        "“Leaky gut” is an informal name, but increased intestinal permeability is real and "
        "measurable, for example with lactulose/mannitol tests. What is overstated is the claim "
        "that it causes every chronic illness.",
        (1240, "Amazon US", 2026),
    ),
    (
        "It upset my stomach",
        "Bloating or loose stools at high doses usually settle when the dose is split or lowered. "
        "Take it with water, not on top of a large protein shake.",
        (1240, "Amazon US", 2026),
    ),
    (
        "Isn't eating protein enough?",
        "Food protein contains glutamine, but it must be digested first and the amount varies. "
        "A free-form supplement delivers a known dose straight to the gut lining.",
        (310, "iHerb", 2026),
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CRITICAL,
        "People with cancer, in cancer treatment or with a recent cancer history",
        "**Cancer:** do not take L-glutamine if you have active cancer, are in treatment or have a "
        "recent cancer history unless your oncology team approves it. Many tumours use glutamine "
        "as fuel.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "People with kidney or liver disease",
        "**Kidney or liver disease:** glutamine breakdown produces ammonia. Use it only under your "
        "specialist's supervision.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "Critically ill patients, except under hospital care",
        "**Critical illness:** a large trial in intensive care found higher mortality with high-dose "
        "glutamine in patients with multi-organ failure [@pmid:23594003]. This is a hospital setting, not home use.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "",
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

GUIDE = {
    "slug": GUIDE_SLUG,
    "title": "L-Glutamine for Gut Health: Tight Junctions, Leaky Gut and the Evidence",
    "category": "gut-health",
    "reviewer": "dana-reyes",
    "grade": "limited",
    "intro": INTRO,
    "typical_dose": "5–15 g a day, in two or three doses with water",
    "expert_take": EXPERT_TAKE,
    "featured": True,
    "published_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    "changes": [
        (
            datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            "Added the 2019 trial of glutamine for IBS after a gut infection to the evidence.\n"
            "Clearwell Glutamine moved from #3 to #2 after its price fell.",
        ),
    ],
    "studies": STUDIES,
    "claims": CLAIMS,
    "key_benefits": KEY_BENEFITS,
    "sections": SECTIONS,
    "complaints": COMPLAINTS,
    "warnings": WARNINGS,
    "faqs": FAQS,
    "products": PRODUCTS,
}
