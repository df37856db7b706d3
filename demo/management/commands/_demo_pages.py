"""The site's own pages for the demo: what Glutasite is, how it works, how it earns money."""

PAGES = [
    {
        "slug": "about",
        "title": "About Glutasite",
        "description": "Who writes Glutasite's supplement guides, who checks them, and what we will never do.",
        "body": (
            "Glutasite publishes guides to dietary supplements that say how strong the evidence is, "
            "cite the studies behind every claim, and compare products on dose, testing and price.\n\n"
            "# Who checks the guides\n\n"
            "Every guide is reviewed by a credentialed professional, such as a registered "
            "nutritionist-dietitian, whose licence is shown on the page. The reviewer signs off the "
            "guide before it is published and again after any change to its evidence or rankings.\n\n"
            "# What we will never do\n\n"
            "- Accept payment for a ranking or a review.\n"
            "- Show a price we have not checked recently.\n"
            "- Claim that a supplement treats or cures a disease.\n\n"
            "Found a mistake? Every guide has a *Report an error* link; editors read every report."
        ),
    },
    {
        "slug": "editorial-policy",
        "title": "Editorial policy",
        "description": "How Glutasite grades evidence, chooses and ranks products, and corrects mistakes.",
        "body": (
            "# Grading the evidence\n\n"
            "Each claim a guide makes is linked to the studies behind it and graded strong, moderate, "
            "limited or insufficient by a published rule: only human trials can lift a grade above "
            "insufficient, and retracted studies never count. The evidence library lists every study "
            "we rely on.\n\n"
            "# Ranking products\n\n"
            "Products are scored out of 10 for quality (third-party testing, purity), value (price per "
            "serving) and clinical backing (how closely the dose and form match the studies). Whether "
            "a shop pays us a commission plays no part.\n\n"
            "# Reviews and corrections\n\n"
            "A credentialed reviewer signs off each guide. Guides show when they were published, "
            "updated and last reviewed, and list what changed. Reports of errors go to the editors' "
            "review queue, and corrections are listed on the guide."
        ),
    },
    {
        "slug": "affiliate-disclosure",
        "title": "Affiliate disclosure",
        "description": "Glutasite earns a commission from some shops when you buy through our links.",
        "body": (
            "Some links on Glutasite are affiliate links: when you buy through them, the shop pays us "
            "a small commission at no extra cost to you. This pays for the research and the reviewers.\n\n"
            "Affiliate links are marked, and the disclosure appears before the first one on every page. "
            "Commissions never affect which products we rank or in what order.\n\n"
            "Prices are shown with the time we last checked them. A price older than the shop allows "
            "is hidden, and you see *Check current price* instead."
        ),
    },
    {
        "slug": "medical-disclaimer",
        "title": "Medical disclaimer",
        "description": "Glutasite's guides are for information only and are not medical advice.",
        "body": (
            "The guides on Glutasite are for general information only. They are not medical advice "
            "and do not replace a consultation with your doctor, pharmacist or a registered "
            "dietitian.\n\n"
            "Talk to a health professional before you start a supplement, especially if you are "
            "pregnant or nursing, take medication, have a health condition or are preparing for "
            "surgery. Stop a supplement and seek help if you notice side effects.\n\n"
            "If you think you have a medical emergency, call your local emergency number at once."
        ),
    },
    {
        "slug": "gut-friendly-foods",
        "title": "30 gut-friendly foods",
        "description": "Thirty everyday foods that feed a healthy gut lining and microbiome, and why.",
        "for_subscribers": True,
        "body": (
            "Thank you for subscribing. These foods appear again and again in research on gut health; "
            "none is a cure, and variety matters more than any single one.\n\n"
            "# Fibre for your gut bacteria\n\n"
            "Oats, barley, lentils, chickpeas, beans, onions, leeks, garlic, asparagus, slightly green "
            "bananas.\n\n"
            "# Fermented foods\n\n"
            "Plain yoghurt, kefir, sauerkraut, kimchi, miso, tempeh.\n\n"
            "# Protein that is easy on the gut\n\n"
            "Eggs, fish, chicken, tofu, bone broth (a food source of glutamine).\n\n"
            "# Colour and healthy fats\n\n"
            "Berries, kiwi, carrots, spinach, broccoli, olive oil, walnuts, flaxseed, ginger."
        ),
    },
]
