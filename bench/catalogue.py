"""The benchmark's library of studies and its shop: products with offers at several merchants."""

from datetime import timedelta
from decimal import Decimal

from django.utils.text import slugify

from evidence.models import Study
from products.models import Brand, Merchant, Offer, Product

from .words import (
    DESIGNS,
    FORMS,
    JOURNALS,
    MERCHANTS,
    OUTCOMES,
    POPULATIONS,
    RESULTS,
    SUPPLEMENTS,
    SURNAMES,
    paragraph,
)

SKU_PREFIX = "BIG-"
DOI_PREFIX = "10.5555/bench."
BATCH = 1000


class CatalogueBuilder:
    """Bulk-creates studies and products for `Builder`, which sets `sizes`, `now` and `rng`."""

    def studies(self, topics):
        rng = self.rng
        studies = []
        for n in range(self.sizes.studies):
            supplement = SUPPLEMENTS[n % len(SUPPLEMENTS)]
            outcome = OUTCOMES[(n // len(SUPPLEMENTS)) % len(OUTCOMES)]
            population = rng.choice(POPULATIONS)
            design = DESIGNS[n % len(DESIGNS)]
            year = 1990 + n % 36
            authors = ", ".join(
                f"{rng.choice(SURNAMES)} {chr(65 + rng.randrange(26))}" for _ in range(rng.randint(1, 6))
            )
            title = f"Effect of {supplement.lower()} on {outcome} in {population}: trial {n + 1}"
            study = Study(
                title=title,
                slug=f"{slugify(authors.split(',')[0])}-{year}-{slugify(supplement)}-{n}"[:120],
                authors=authors,
                journal=rng.choice(JOURNALS),
                year=year,
                pmid=str(30_000_000 + n),
                doi=f"{DOI_PREFIX}{n}",
                design=design,
                participants=None if design in {Study.Design.OTHER, Study.Design.SYSTEMATIC_REVIEW} else 20 + n % 480,
                finding=f"{supplement} changed {outcome} by a small amount compared with placebo.",
                summary=f"{paragraph(rng)}\n\n{paragraph(rng, sentences=3)}",
                population=population.capitalize(),
                dose=f"{rng.choice([1, 2, 3, 5, 10])} g a day",
                duration=f"{rng.choice([4, 8, 12, 24])} weeks",
                outcome=outcome.capitalize(),
                result="" if design == Study.Design.OTHER else rng.choice(RESULTS),
            )
            study.fill_derived_fields()
            studies.append(study)
        studies = Study.objects.bulk_create(studies, batch_size=BATCH)
        Study.topics.through.objects.bulk_create(
            (
                Study.topics.through(study_id=study.pk, topic_id=topics[n % len(topics)].pk)
                for n, study in enumerate(studies)
            ),
            batch_size=BATCH,
        )
        return studies

    def products(self):
        rng = self.rng
        brands = Brand.objects.bulk_create(
            Brand(name=f"{name} Nutrition {n}", slug=f"bench-brand-{n}") for n, name in enumerate(SURNAMES * 4)
        )
        merchants = Merchant.objects.bulk_create(
            Merchant(name=f"{name} (bench)", slug=f"bench-{slugify(name)}") for name in MERCHANTS
        )
        products = []
        for n in range(self.sizes.products):
            supplement = SUPPLEMENTS[n % len(SUPPLEMENTS)]
            form = FORMS[n % len(FORMS)]
            products.append(
                Product(
                    sku=f"{SKU_PREFIX}{n:06d}",
                    brand=brands[n % len(brands)],
                    name=f"{supplement} {form.label} {n}",
                    slug=f"bench-{slugify(supplement)}-{form}-{n}",
                    form=form,
                    serving_size="1 scoop (5 g)" if form == Product.Form.POWDER else "2 capsules",
                    amount_per_serving=Decimal(rng.choice(["0.5", "1", "2", "5"])),
                    servings_per_container=rng.choice([30, 60, 90, 120]),
                    certifications=rng.choice(["", "NSF Certified for Sport", "Informed Choice; USP Verified"]),
                ),
            )
        products = Product.objects.bulk_create(products, batch_size=BATCH)
        offers = []
        for n, product in enumerate(products):
            for m in range(self.sizes.offers_per_product):
                merchant = merchants[(n + m) % len(merchants)]
                offers.append(
                    Offer(
                        product=product,
                        merchant=merchant,
                        price=Decimal(rng.randrange(999, 6999)) / 100,
                        price_checked_at=self.now - timedelta(minutes=rng.randrange(600)),
                        affiliate_url=f"https://shop.example.com/{merchant.slug}/{product.sku}?tag=bench",
                        in_stock=rng.random() > 0.1,
                    ),
                )
        Offer.objects.bulk_create(offers, batch_size=BATCH)
        return products
