"""schema.org JSON-LD for reader pages, built from what each page shows.

Each function returns a list of JSON-LD objects; `{% json_ld %}` renders
them. Only facts the page itself shows go in: a price only while it is fresh
(the page hides stale ones too), a rating only for ranked products.
"""

import html
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags

SCHEMA = "https://schema.org"
SITE_NAME = "Glutasite"


def _plain(html_text):
    return " ".join(html.unescape(strip_tags(html_text or "")).split())


def _date(value):
    return value.isoformat() if value else None


def _compact(data):
    """Leave out properties with nothing to say rather than send empty values."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def organization(base_url):
    return {
        "@type": "Organization",
        "@id": f"{base_url}/#organization",
        "name": SITE_NAME,
        "url": f"{base_url}/",
    }


def person(reviewer, base_url):
    """A reviewer as a Person with the licence readers see in the byline."""
    credential = None
    if reviewer.licensing_body or reviewer.licence_number:
        credential = _compact(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "license",
                "name": " ".join(filter(None, [reviewer.title or reviewer.credentials, "licence"])),
                "identifier": reviewer.licence_number,
                "recognizedBy": _compact({"@type": "Organization", "name": reviewer.licensing_body}),
            },
        )
    return _compact(
        {
            "@type": "Person",
            "name": reviewer.name,
            "url": base_url + reviewer.get_absolute_url(),
            "honorificSuffix": reviewer.credentials,
            "jobTitle": reviewer.title,
            "hasCredential": credential,
        },
    )


def breadcrumbs(trail, base_url):
    """BreadcrumbList from (name, path) pairs, broadest first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": base_url + path}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def category_trail(category):
    home = [("Home", "/")]  # the site's root is its home page, whichever app serves it
    return home + [(node.name, node.get_absolute_url()) for node in category.path]


def _offers(product, base_url):
    fresh = [offer for offer in getattr(product, "active_offers", []) if offer.price_is_fresh]
    return [
        {
            "@type": "Offer",
            "price": str(offer.price),
            "priceCurrency": offer.currency,
            "availability": f"{SCHEMA}/{'InStock' if offer.in_stock else 'OutOfStock'}",
            "url": base_url + product.get_absolute_url(),
            "seller": {"@type": "Organization", "name": offer.merchant.name},
        }
        for offer in fresh
    ]


def _ranked_product(ranked, reviewer, guide, base_url):
    product = ranked.product
    return _compact(
        {
            "@context": SCHEMA,
            "@type": "Product",
            "name": str(product),
            "sku": product.sku,
            "url": base_url + product.get_absolute_url(),
            "image": base_url + product.image.url if product.image else None,
            "brand": {"@type": "Brand", "name": product.brand.name},
            "review": _compact(
                {
                    "@type": "Review",
                    "name": ranked.award or f"Ranked #{ranked.rank} in {guide.title}",
                    "author": reviewer,
                    "datePublished": _date(guide.updated_at or guide.published_at),
                    "reviewBody": _plain(ranked.verdict_html),
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": str(ranked.overall_score),
                        "bestRating": "10",
                        "worstRating": "0",
                    },
                },
            ),
            "offers": _offers(product, base_url),
        },
    )


def guide_structured_data(guide, ranked_products, *, base_url, path=None, description="", page_items=None):
    """MedicalWebPage, BreadcrumbList, FAQPage (with an FAQ) and one Product per ranked product.

    `ranked_products` are the guide page's, with `product.active_offers`
    prefetched and annotated with `price_is_fresh`. `path` is the address the
    page is read at, which for a pending change staff preview is the live guide's.
    `page_items`, what `guide_page_items` gave for the same guide and address, saves building them again.
    """
    if page_items is None:
        page_items = guide_page_items(guide, base_url=base_url, path=path, description=description)
    reviewer = person(guide.reviewer, base_url)
    return [*page_items, *(_ranked_product(ranked, reviewer, guide, base_url) for ranked in ranked_products)]


def guide_page_items(guide, *, base_url, path=None, description=""):
    """The guide's structured data that shows no price: the page, its breadcrumbs and its FAQ."""
    path = path or guide.get_absolute_url()
    url = base_url + path
    reviewer = person(guide.reviewer, base_url)
    publisher = organization(base_url)
    trail = [*category_trail(guide.category), (guide.title, path)]
    items = [
        _compact(
            {
                "@context": SCHEMA,
                "@type": "MedicalWebPage",
                "@id": f"{url}#webpage",
                "url": url,
                "name": guide.title,
                "headline": guide.title,
                "description": description,
                "inLanguage": "en",
                "author": {**publisher, "name": f"{SITE_NAME} editorial team"},
                "publisher": publisher,
                "reviewedBy": reviewer,
                "datePublished": _date(guide.published_at),
                "dateModified": _date(guide.updated_at or guide.published_at),
                "lastReviewed": _date(guide.last_reviewed_on),
                "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": f"{base_url}/"},
            },
        ),
        breadcrumbs(trail, base_url),
    ]
    faqs = list(guide.faqs.all())
    if faqs:
        items.append(
            {
                "@context": SCHEMA,
                "@type": "FAQPage",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {"@type": "Answer", "text": _plain(faq.answer_html)},
                    }
                    for faq in faqs
                ],
            },
        )
    return items


def site_url(request):
    """The address the site is read at, for absolute URLs in structured data."""
    return f"{request.scheme}://{request.get_host()}"


def website_structured_data(base_url, search_path):
    """WebSite with the site search, and the Organization behind it, for the home page."""
    search_url = base_url + search_path
    return [
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": SITE_NAME,
            "url": f"{base_url}/",
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
                "query-input": "required name=search_term_string",
            },
        },
        {"@context": SCHEMA, **organization(base_url)},
    ]


def reviewer_structured_data(reviewer, base_url):
    return [
        {
            "@context": SCHEMA,
            "@type": "ProfilePage",
            "url": base_url + reviewer.get_absolute_url(),
            "mainEntity": {**person(reviewer, base_url), "description": _plain(reviewer.bio_html)},
        },
    ]


def category_structured_data(category, base_url):
    return [breadcrumbs(category_trail(category), base_url)]


# JSON-LD is data, never run, but inside <script> a "</script>" in editor text
# would still end the element: "<", ">" and "&" are written as JSON escapes.
# (Three replace() calls: a tenth of the time str.translate() takes on a big guide's JSON-LD.)
def as_script_json(items):
    text = json.dumps(items, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
