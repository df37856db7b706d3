import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from products.models import Brand, Merchant, Offer, Product


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant
        django_get_or_create = ["name"]

    name = "Amazon US"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    price_max_age = timedelta(hours=24)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"L-Glutamine Powder {n}")
    slug = factory.Sequence(lambda n: f"l-glutamine-powder-{n}")
    form = Product.Form.POWDER
    serving_size = "1 scoop (5 g)"
    amount_per_serving = Decimal("5")
    servings_per_container = 100
    certifications = "NSF Certified for Sport"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SubFactory(MerchantFactory)
    price = Decimal("29.99")
    currency = "USD"
    price_checked_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    affiliate_url = factory.Sequence(lambda n: f"https://shop.example.com/item/{n}?tag=glutasite")
    in_stock = True


def jpeg(size, orientation=None):
    """A photo as a camera saves it, `size` wide and high, turned by its EXIF `orientation`."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(buffer, "JPEG", exif=exif)
    return ContentFile(buffer.getvalue(), name="label.jpg")
