"""The demo vitamin D guide: infections, bones and the heart, three products."""

from datetime import UTC, datetime
from decimal import Decimal

from evidence.models import ClaimStudy
from guides.models import SafetyWarning
from products.models import Product

from ._demo_studies_more import VITAMIN_D_STUDIES

SUPPORTS, CONTRADICTS = ClaimStudy.Stance.SUPPORTS, ClaimStudy.Stance.CONTRADICTS

PRODUCTS = [
    {
        "sku": "DEMO-STL-VD3-1000",
        "brand": "Stillwater Nutrition",
        "name": "Vitamin D3 1,000 IU Softgels",
        "form": Product.Form.SOFTGEL,
        "serving_size": "1 softgel",
        "amount_per_serving": Decimal("1000"),
        "amount_unit": Product.Unit.IU,
        "servings_per_container": 180,
        "certifications": "USP Verified",
        "offers": [("Amazon US", Decimal("12.99")), ("Vitacost", Decimal("13.49"))],
        "price_history": [(50, Decimal("14.99")), (15, Decimal("13.99"))],
        "colour": "#c2410c",
        "rank": 1,
        "award": "Best overall",
        "scores": (Decimal("9.0"), Decimal("9.0"), Decimal("9.0")),
        "verdict": "A daily 1,000 IU dose, the pattern that worked in the trials, verified by USP.",
    },
    {
        "sku": "DEMO-NFL-VD3-DROPS",
        "brand": "Northfield Labs",
        "name": "Vitamin D3 Drops 400 IU",
        "form": Product.Form.LIQUID,
        "serving_size": "1 drop",
        "amount_per_serving": Decimal("400"),
        "amount_unit": Product.Unit.IU,
        "servings_per_container": 365,
        "certifications": "NSF Certified for Sport",
        "offers": [("iHerb", Decimal("15.20"))],
        "colour": "#1f6f5c",
        "rank": 2,
        "award": "Most flexible dose",
        "scores": (Decimal("8.5"), Decimal("9.0"), Decimal("8.0")),
        "verdict": "Drops let you take 400 to 2,000 IU; easy for anyone who dislikes softgels.",
    },
    {
        "sku": "DEMO-GUT-VD3-GUM",
        "brand": "GutWise",
        "name": "Vitamin D3 Gummies 2,000 IU",
        "form": Product.Form.GUMMY,
        "serving_size": "2 gummies",
        "amount_per_serving": Decimal("2000"),
        "amount_unit": Product.Unit.IU,
        "servings_per_container": 30,
        "certifications": "",
        "offers": [("Amazon US", Decimal("16.99"))],
        "colour": "#8a3b8f",
        "rank": 3,
        "award": "",
        "scores": (Decimal("7.0"), Decimal("5.5"), Decimal("7.5")),
        "verdict": "Tasty, but with added sugar, no testing seal and the highest price per serving.",
    },
]

CLAIMS = [
    {
        "slug": "vitamin-d-lowers-respiratory-infections",
        "statement": "Daily or weekly vitamin D lowers the risk of acute respiratory infections",
        "summary": "An individual-participant meta-analysis of 25 trials found slightly fewer infections, "
        "mostly with daily or weekly doses and in people who were very deficient.",
        "evidence": [("28202713", SUPPORTS)],
    },
    {
        "slug": "vitamin-d-prevents-cancer-and-heart-disease",
        "statement": "Vitamin D supplements prevent cancer and cardiovascular disease",
        "summary": "The VITAL trial of 25,871 adults found no fewer cancers, heart attacks or strokes with "
        "2,000 IU a day.",
        "evidence": [("30415629", CONTRADICTS)],
    },
    {
        "slug": "vitamin-d-prevents-fractures-without-deficiency",
        "statement": "Vitamin D supplements prevent fractures in adults who are not deficient",
        "summary": "In VITAL, 2,000 IU a day did not lower fracture risk in adults not chosen for deficiency "
        "or weak bones.",
        "evidence": [("10.1056/NEJMoa2202106", CONTRADICTS)],
    },
]

KEY_BENEFITS = [
    (
        "Slightly fewer colds and chest infections",
        "Mostly with a daily or weekly dose, and most in people who were very low.",
        "vitamin-d-lowers-respiratory-infections",
    ),
]

SECTIONS = [
    (
        "What vitamin D does and does not do",
        "Your skin makes vitamin D in summer sun; in winter, at northern latitudes or with little time "
        "outdoors, many people run low. Supplements fix a deficiency, which matters for bones and muscles.\n\n"
        "For people who are not deficient, the large VITAL trial found that 2,000 IU a day did not prevent "
        "cancer, heart attacks or strokes [@pmid:30415629], nor fractures "
        "[@doi:10.1056/NEJMoa2202106]. The one benefit that held up across trials is a small drop in "
        "respiratory infections [@pmid:28202713].",
    ),
    (
        "What to look for when buying",
        "- **Vitamin D3 (cholecalciferol)** rather than D2 for everyday use.\n"
        "- **A daily dose** you can take every day: large monthly doses did not protect against infections "
        "[@pmid:28202713].\n"
        "- **A testing seal** (USP Verified, NSF) so the dose on the label is the dose in the capsule.",
    ),
    (
        "Dosage",
        "**1,000 to 2,000 IU (25 to 50 mcg) a day** suits most adults, taken with a meal. 4,000 IU a day is "
        "the upper limit for adults unless your doctor prescribes more to treat a deficiency. A blood test "
        "of 25-hydroxyvitamin D tells you where you stand.",
    ),
]

COMPLAINTS = [
    (
        "I took it all winter and still caught colds",
        "The benefit is small: vitamin D lowers the odds of an infection a little, it does not prevent "
        "them [@pmid:28202713].",
        (1530, "Amazon US", 2026),
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CAUTION,
        "People with high blood calcium, kidney stones or sarcoidosis",
        "**High calcium:** vitamin D raises calcium absorption. Ask your doctor before taking it if you "
        "have had high blood calcium, calcium kidney stones or sarcoidosis.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "Anyone taking more than 4,000 IU a day without medical advice",
        "**Too much:** above 4,000 IU a day for months, calcium can build up in the blood. Higher doses "
        "are for treating a measured deficiency, under a doctor's care.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "",
        "**Medicines:** some water tablets (thiazide diuretics) also raise calcium. Tell your pharmacist "
        "you take vitamin D.",
    ),
]

FAQS = [
    (
        "Should I take vitamin D with food?",
        "Yes, with a meal that has some fat: vitamin D dissolves in fat and is absorbed better that way.",
    ),
    (
        "Do I need vitamin K2 with it?",
        "At everyday doses, no trial has shown that adding K2 changes the benefit or safety.",
    ),
]

GUIDE = {
    "slug": "vitamin-d3-supplements",
    "title": "Vitamin D3 Supplements: What They Do for Infections, Bones and the Heart",
    "category": "immune-health",
    "reviewer": "marcus-okafor",
    "grade": "moderate",
    "intro": (
        "Vitamin D is essential if you are low in it, but the biggest trials found that extra vitamin D "
        "does not prevent cancer, heart disease [@pmid:30415629] or fractures "
        "[@doi:10.1056/NEJMoa2202106] in people who are not. It may slightly lower the risk of colds "
        "and chest infections [@pmid:28202713]. Here is how much to take and which products we trust."
    ),
    "typical_dose": "1,000–2,000 IU (25–50 mcg) a day with a meal",
    "expert_take": (
        "Take vitamin D if you are low or get little sun, at a steady daily dose. Do not expect it to "
        "prevent cancer, heart disease or fractures; the trials are clear on that."
    ),
    "published_at": datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
    "changes": [
        (
            datetime(2026, 10, 30, 9, 0, tzinfo=UTC),
            "Added the 2022 VITAL results: no fewer fractures in adults who were not deficient.\n"
            "Evidence grade changed from strong to moderate.",
        ),
    ],
    "studies": VITAMIN_D_STUDIES,
    "claims": CLAIMS,
    "key_benefits": KEY_BENEFITS,
    "sections": SECTIONS,
    "complaints": COMPLAINTS,
    "warnings": WARNINGS,
    "faqs": FAQS,
    "products": PRODUCTS,
}
