"""Who and where, for the demo: reviewers, shops and the categories guides sit in."""

from datetime import timedelta

REVIEWERS = [
    {
        "slug": "dana-reyes",
        "name": "Dana Reyes",
        "credentials": "RND",
        "title": "Registered Nutritionist-Dietitian",
        "licensing_body": "Professional Regulation Commission (PRC)",
        "licence_number": "0012345",
        "bio": (
            "Dana is a demo reviewer: a registered nutritionist-dietitian with ten years of "
            "clinical practice in gastroenterology wards."
        ),
        "portrait": ("#c68c6a", "#3b2a20", "#0b6b4f", "#dff1e8"),  # skin, hair, shirt, backdrop
    },
    {
        "slug": "marcus-okafor",
        "name": "Marcus Okafor",
        "credentials": "MS, RD, CSSD",
        "title": "Registered Dietitian, Board Certified Specialist in Sports Dietetics",
        "licensing_body": "Commission on Dietetic Registration (CDR)",
        "licence_number": "CDR-0087412",
        "bio": (
            "Marcus is a demo reviewer: a sports dietitian who has advised university teams on "
            "supplements, testing seals and what the research supports."
        ),
        "portrait": ("#8d5a3b", "#1d1d1f", "#3d5a98", "#e6ecf7"),
    },
]

# Shops the demo's offers and text links point at. A link in a guide's text to one of
# these domains goes through /go/ as an affiliate link (products.shop_links).
MERCHANTS = [
    {"name": "Amazon US", "domains": "amazon.com, amzn.to", "price_max_age": timedelta(hours=24)},
    {"name": "iHerb", "domains": "iherb.com", "price_max_age": timedelta(hours=24)},
    {"name": "Vitacost", "domains": "vitacost.com", "price_max_age": timedelta(hours=24)},
]

# (slug, name, parent slug or None), parents first.
CATEGORIES = [
    ("amino-acid", "Amino Acid", None),
    ("gut-health", "Gut Health", "amino-acid"),
    ("minerals", "Minerals", None),
    ("sleep", "Sleep", "minerals"),
    ("sports-nutrition", "Sports Nutrition", None),
    ("strength", "Strength", "sports-nutrition"),
    ("vitamins", "Vitamins", None),
    ("immune-health", "Immune Health", "vitamins"),
]
