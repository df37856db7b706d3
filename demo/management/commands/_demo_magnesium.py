"""The demo magnesium guide: sleep in older adults, three products."""

from datetime import UTC, datetime
from decimal import Decimal

from evidence.models import ClaimStudy, EvidenceGrade
from guides.models import SafetyWarning
from products.models import Product

from ._demo_studies_more import MAGNESIUM_STUDIES

SUPPORTS = ClaimStudy.Stance.SUPPORTS

PRODUCTS = [
    {
        "sku": "DEMO-STL-MAG-GLY",
        "brand": "Stillwater Nutrition",
        "name": "Magnesium Glycinate 120 mg",
        "form": Product.Form.CAPSULE,
        "serving_size": "2 capsules",
        "amount_per_serving": Decimal("240"),
        "amount_unit": Product.Unit.MG,
        "servings_per_container": 60,
        "certifications": "USP Verified",
        "offers": [("Amazon US", Decimal("21.99")), ("iHerb", Decimal("23.40"))],
        "price_history": [(60, Decimal("24.99")), (21, Decimal("22.99"))],
        "colour": "#3d5a98",
        "rank": 1,
        "award": "Best overall",
        "scores": (Decimal("9.0"), Decimal("8.5"), Decimal("8.5")),
        "verdict": "Glycinate is gentle on the stomach; two capsules give 240 mg, within the supplement limit.",
    },
    {
        "sku": "DEMO-NFL-MAG-CIT",
        "brand": "Northfield Labs",
        "name": "Magnesium Citrate Powder",
        "form": Product.Form.POWDER,
        "serving_size": "1 scoop (2 g)",
        "amount_per_serving": Decimal("300"),
        "amount_unit": Product.Unit.MG,
        "servings_per_container": 90,
        "certifications": "NSF Certified for Sport",
        "offers": [("Vitacost", Decimal("18.50"))],
        "colour": "#1f6f5c",
        "rank": 2,
        "award": "Best value",
        "scores": (Decimal("8.5"), Decimal("9.5"), Decimal("8.0")),
        "verdict": "The cheapest serving here; citrate can loosen stools, so start with half a scoop.",
    },
    {
        "sku": "DEMO-CLR-MAG-OX",
        "brand": "Clearwell",
        "name": "Magnesium Oxide 400 mg Tablets",
        "form": Product.Form.TABLET,
        "serving_size": "1 tablet",
        "amount_per_serving": Decimal("400"),
        "amount_unit": Product.Unit.MG,
        "servings_per_container": 100,
        "certifications": "",
        "offers": [("Amazon US", Decimal("9.99"))],
        "colour": "#b3541e",
        "rank": 3,
        "award": "",
        "scores": (Decimal("7.0"), Decimal("8.0"), Decimal("6.5")),
        "verdict": "The form used in the trials, but 400 mg is above the supplement limit: ask before taking it daily.",
    },
]

CLAIMS = [
    {
        "slug": "magnesium-helps-older-adults-fall-asleep",
        "statement": "Magnesium supplements help older adults with insomnia fall asleep sooner",
        "summary": "One small trial and a meta-analysis of three small trials found people fell asleep about "
        "17 minutes sooner; total sleep time did not clearly change.",
        "evidence": [("23853635", SUPPORTS), ("33865376", SUPPORTS)],
        "override": (
            EvidenceGrade.LIMITED,
            "The meta-analysis pools three small trials, 151 people in all, at moderate to high risk of bias, "
            "and rates the evidence low to very low. The rule counts a supporting meta-analysis as strong.",
        ),
    },
]

KEY_BENEFITS = [
    (
        "Falls asleep a little sooner",
        "In older adults with insomnia, about 17 minutes sooner in pooled trials [@pmid:33865376].",
        "magnesium-helps-older-adults-fall-asleep",
    ),
]

SECTIONS = [
    (
        "How magnesium may help sleep",
        "Magnesium calms nerve signalling: it blocks one of the brain's “go” receptors (NMDA) and helps its "
        "main “stop” messenger, GABA. Many older adults eat less of it than they need. In a trial of 46 "
        "older adults with insomnia, 500 mg a day for eight weeks improved sleep time, the time to fall "
        "asleep and an insomnia score [@pmid:23853635].",
    ),
    (
        "Which form to choose",
        "- **Glycinate** and **citrate** are well absorbed; citrate loosens stools more.\n"
        "- **Oxide** holds the most magnesium per tablet but is absorbed less well.\n"
        "- Check the **elemental magnesium** per serving on the label, not the weight of the compound.",
    ),
    (
        "Dosage",
        "Take **200 to 350 mg of elemental magnesium** in the evening with food. 350 mg a day is the upper "
        "limit for supplements set for adults in the US, because more often causes diarrhoea; the trial "
        "dose of 500 mg was given under study conditions.",
    ),
]

COMPLAINTS = [
    (
        "It gave me loose stools",
        "That is the commonest side effect, above all with citrate and oxide. Lower the dose, take it "
        "with food, or switch to glycinate.",
        (860, "Amazon US", 2026),
    ),
    (
        "I didn't notice any difference",
        "The pooled effect is modest: about 17 minutes sooner to sleep [@pmid:33865376]. Give it four "
        "weeks, and look at caffeine, light and screens in the evening too.",
        (860, "Amazon US", 2026),
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CAUTION,
        "People with kidney disease",
        "**Kidney disease:** the kidneys clear extra magnesium. Do not take supplements unless your doctor advises it.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "People taking some antibiotics or osteoporosis medicines",
        "**Medicines:** magnesium stops some antibiotics (tetracyclines, quinolones) and osteoporosis "
        "medicines (bisphosphonates) being absorbed. Take them at least two hours apart, and ask your "
        "pharmacist.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "",
        "**Ongoing insomnia** deserves a doctor's visit: sleep apnoea, restless legs and low mood are common "
        "causes with treatments of their own.",
    ),
]

FAQS = [
    (
        "When should I take magnesium for sleep?",
        "With your evening meal, or an hour or two before bed.",
    ),
    (
        "Can I take it with melatonin?",
        "Yes, they work differently. Start one at a time so you know which helps.",
    ),
]

GUIDE = {
    "slug": "magnesium-for-sleep",
    "title": "Magnesium for Sleep: What the Trials in Older Adults Show",
    "category": "sleep",
    "reviewer": "dana-reyes",
    "grade": "limited",
    "intro": (
        "Magnesium is one of the most popular sleep supplements. Trials in older adults with insomnia "
        "suggest it helps people fall asleep a little sooner, but the trials are small "
        "[@pmid:33865376]. Here is what they found, how much to take and which forms to choose."
    ),
    "typical_dose": "200–350 mg of elemental magnesium in the evening",
    "expert_take": (
        "Magnesium is cheap and safe for most people with healthy kidneys, so it is a reasonable thing to "
        "try for a few weeks. It will not fix sleep on its own: a regular bedtime, less caffeine after noon "
        "and a dark bedroom do more."
    ),
    "published_at": datetime(2026, 4, 7, 9, 0, tzinfo=UTC),
    "changes": [
        (
            datetime(2026, 9, 21, 9, 0, tzinfo=UTC),
            "Lowered the suggested dose to stay within the 350 mg upper limit for supplements.\n"
            "Clearwell Magnesium Oxide moved from #2 to #3.",
        ),
    ],
    "studies": MAGNESIUM_STUDIES,
    "claims": CLAIMS,
    "key_benefits": KEY_BENEFITS,
    "sections": SECTIONS,
    "complaints": COMPLAINTS,
    "warnings": WARNINGS,
    "faqs": FAQS,
    "products": PRODUCTS,
}
