"""The word lists the benchmark dataset draws its text, names and designs from."""

from evidence.models import ClaimStudy, Study
from products.models import Product

SUPPLEMENTS = [
    "L-Glutamine",
    "Creatine Monohydrate",
    "Magnesium Glycinate",
    "Vitamin D3",
    "Omega-3 Fish Oil",
    "Zinc Picolinate",
    "Probiotics",
    "Collagen Peptides",
    "Ashwagandha",
    "Melatonin",
    "Curcumin",
    "Berberine",
    "Psyllium Husk",
    "Iron Bisglycinate",
    "Vitamin B12",
    "Coenzyme Q10",
    "L-Theanine",
    "Beta-Alanine",
    "Whey Protein",
    "Electrolytes",
]
# (parent category, topic, what readers hope for)
TOPICS = [
    ("Digestion", "Gut Health", "a calmer gut"),
    ("Rest and Mood", "Sleep", "deeper sleep"),
    ("Performance", "Exercise Performance", "more strength and endurance"),
    ("Everyday Health", "Immunity", "fewer colds"),
    ("Performance", "Joint Health", "less joint pain"),
    ("Rest and Mood", "Stress", "a steadier mood"),
    ("Everyday Health", "Heart Health", "healthier blood pressure"),
    ("Everyday Health", "Energy", "more energy through the day"),
    ("Everyday Health", "Healthy Ageing", "keeping muscle with age"),
    ("Digestion", "Blood Sugar", "steadier blood sugar"),
]
OUTCOMES = [
    "intestinal permeability",
    "sleep quality",
    "muscle strength",
    "upper respiratory infections",
    "joint pain scores",
    "perceived stress",
    "systolic blood pressure",
    "fatigue",
    "lean body mass",
    "fasting glucose",
]
POPULATIONS = [
    "healthy adults",
    "older adults",
    "endurance athletes",
    "adults with IBS",
    "postmenopausal women",
    "adults with type 2 diabetes",
    "shift workers",
    "resistance-trained men",
]
DESIGNS = [
    Study.Design.RCT,
    Study.Design.RCT,
    Study.Design.RCT,
    Study.Design.META_ANALYSIS,
    Study.Design.SYSTEMATIC_REVIEW,
    Study.Design.OBSERVATIONAL,
    Study.Design.ANIMAL,
    Study.Design.IN_VITRO,
    Study.Design.OTHER,
]
RESULTS = [Study.Result.BENEFIT, Study.Result.BENEFIT, Study.Result.NO_EFFECT, Study.Result.MIXED]
STANCES = [ClaimStudy.Stance.SUPPORTS, ClaimStudy.Stance.SUPPORTS, ClaimStudy.Stance.SUPPORTS, ClaimStudy.Stance.MIXED]
SURNAMES = [
    "van der Hulst",
    "Nakamura",
    "Okafor",
    "Lindqvist",
    "García",
    "Chen",
    "Müller",
    "Patel",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Silva",
    "O'Brien",
    "Nguyen",
    "Andersen",
]
JOURNALS = [
    "The Lancet",
    "American Journal of Clinical Nutrition",
    "Nutrients",
    "Journal of the International Society of Sports Nutrition",
    "Gut",
    "Sleep Medicine",
    "British Journal of Nutrition",
    "Clinical Nutrition",
]
MERCHANTS = ["Amazon US", "iHerb", "Vitacost", "Walmart", "Thorne", "Bodybuilding.com"]
FORMS = [Product.Form.CAPSULE, Product.Form.POWDER, Product.Form.TABLET, Product.Form.SOFTGEL, Product.Form.GUMMY]
SECTION_HEADINGS = [
    "How it works",
    "What the research shows",
    "What to look for when buying",
    "Dosage",
    "Timing and what to take it with",
    "How we chose and ranked the products",
    "Side effects",
    "The bottom line",
]
FILLER = [
    "Most trials lasted between four and twelve weeks, which is long enough to see a change but too short "
    "to say much about years of use.",
    "The effect was modest, and it was largest in people who started with low levels.",
    "Doses in the studies ranged widely, so the amount on the label matters more than the brand name.",
    "Smaller trials reported bigger effects than larger ones, a pattern that usually means the true effect is "
    "smaller than the early headlines suggested.",
    "Several studies were funded by manufacturers; we give more weight to independent trials.",
    "Results in athletes do not always carry over to people who exercise a few times a week.",
    "Taking it with a meal makes stomach upset less likely and does not reduce how much you absorb.",
    "Look for a third-party seal such as NSF Certified for Sport, Informed Choice or USP Verified.",
]


def paragraph(rng, cite=None, sentences=4):
    text = " ".join(rng.choice(FILLER) for _ in range(sentences))
    return f"{text} {cite()}" if cite else text
