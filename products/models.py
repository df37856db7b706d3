import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from glutasite.addresses import slug_address
from images.renditions import ResponsiveImages, picture
from images.validators import validate_photo_size
from outbound.addresses import OutsideAddressValidator

from .observations import PriceObservation

# https://, or http:// to a host in OUTBOUND_HTTP_ALLOWED_HOSTS: the same rule for the form, imports and feeds.
HTTPS_URL_VALIDATOR = OutsideAddressValidator("Enter a full https:// address.")
# A price may be checked a few minutes “in the future” when the clocks of the
# checker and the server disagree; the admin and the importer both allow this.
CLOCK_SKEW = timedelta(minutes=5)

# ISO 4217 codes the site can show; the symbol is what readers see.
CURRENCIES = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "EUR": "€",
    "GBP": "£",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "JPY": "¥",
    "INR": "₹",
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


class Brand(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def normalise_domain(domain):
    """A merchant's web domain as links are matched against it: no scheme, path, port or leading "www."."""
    host = domain.strip().lower().split("://")[-1].split("/")[0].split(":")[0]
    return host.removeprefix("www.")


class Merchant(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="The shop, e.g. “Amazon US” or “iHerb”.")
    slug = models.SlugField(max_length=200, unique=True)
    domains = models.CharField(
        "web domains",
        max_length=500,
        blank=True,
        help_text=(
            "The shop's web addresses, separated by commas, e.g. “amazon.com, amzn.to”. A link to any of them "
            "typed into a guide's text is sent through our /go/ address as an affiliate link, marked sponsored "
            "and covered by the disclosure, when the text is saved."
        ),
    )
    price_max_age = models.DurationField(
        "price freshness limit",
        default=timedelta(hours=24),
        help_text=(
            "A price checked longer ago than this is hidden from readers, who see “Check current price” "
            "instead. Amazon's programme allows at most 24 hours (enter 24:00:00)."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def domain_list(self):
        return [d for d in (normalise_domain(part) for part in self.domains.split(",")) if d]

    def sells_at(self, host):
        """True when `host` is one of the shop's domains or a subdomain of one."""
        host = (host or "").lower().rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domain_list)


class Product(ResponsiveImages, models.Model):
    class Form(models.TextChoices):
        CAPSULE = "capsule", "Capsule"
        TABLET = "tablet", "Tablet"
        SOFTGEL = "softgel", "Softgel"
        POWDER = "powder", "Powder"
        LIQUID = "liquid", "Liquid"
        GUMMY = "gummy", "Gummy"
        OTHER = "other", "Other"

    class Unit(models.TextChoices):
        G = "g", "g"
        MG = "mg", "mg"
        MCG = "mcg", "mcg"
        IU = "IU", "IU"
        CFU = "CFU", "CFU"

    sku = models.CharField(
        "SKU",
        max_length=100,
        unique=True,
        help_text="Your catalogue's code for this product. Spreadsheet imports match products on it.",
    )
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=300, help_text="As on the label, without the brand.")
    slug = models.SlugField(max_length=300, unique=True)
    form = models.CharField(max_length=20, choices=Form.choices)
    serving_size = models.CharField(max_length=100, help_text="As on the label, e.g. “1 scoop (5 g)” or “2 capsules”.")
    amount_per_serving = models.DecimalField(
        max_digits=10,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="How much of the supplement itself one serving holds.",
    )
    amount_unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.G)
    servings_per_container = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    certifications = models.CharField(
        "third-party certifications",
        max_length=500,
        blank=True,
        help_text="Independent testing seals, separated by semicolons, e.g. “NSF Certified for Sport; Informed Sport”.",
    )
    image = models.ImageField(upload_to="products/", blank=True, validators=[validate_photo_size])
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "image description",
        max_length=300,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required with an image.",
    )

    history = HistoricalRecords()

    responsive_image_fields = ("image",)

    class Meta:
        ordering = ["brand__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(servings_per_container__gte=1),
                name="products_product_servings_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_per_serving__gte=0),
                name="products_product_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.brand.name} {self.name}"

    def get_absolute_url(self):
        return slug_address("products:product_detail", self.slug)

    @property
    def photo(self):
        return picture(self.image, self.image_width, self.image_height)

    @property
    def certification_list(self):
        return [c.strip() for c in self.certifications.split(";") if c.strip()]

    @property
    def is_third_party_tested(self):
        return bool(self.certification_list)

    @property
    def dose_per_serving(self):
        amount = self.amount_per_serving.normalize()
        return f"{amount:f} {self.amount_unit}"

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for readers who cannot see it."})


class OfferQuerySet(models.QuerySet):
    def with_freshness(self, at=None):
        """Annotate `price_is_fresh` (checked no longer ago than the merchant allows) and `is_buyable`."""
        at = at or timezone.now()
        fresh = models.Q(price_checked_at__gte=models.Value(at) - models.F("merchant__price_max_age"))
        return self.annotate(
            price_is_fresh=models.ExpressionWrapper(fresh, output_field=models.BooleanField()),
            is_buyable=models.ExpressionWrapper(
                fresh & models.Q(is_active=True, in_stock=True, link_broken_since=None),
                output_field=models.BooleanField(),
            ),
        )

    def fresh(self, at=None):
        return self.with_freshness(at).filter(price_is_fresh=True)

    def stale(self, at=None):
        return self.with_freshness(at).filter(price_is_fresh=False)

    def active(self):
        """Offers shown to readers: not switched off, and not hidden for a shop link found broken."""
        return self.filter(is_active=True, link_broken_since=None)

    def buyable(self, at=None):
        """Offers a reader can buy: shown on the site, in stock, with a fresh price."""
        return self.active().fresh(at).filter(in_stock=True)


def new_offer_token():
    """The unguessable part of an offer's /go/ address."""
    return secrets.token_urlsafe(16)


def go_token_field():
    """The token of an address readers reach through /go/: an offer's, or a shop link's in text."""
    return models.CharField(
        max_length=32,
        unique=True,
        default=new_offer_token,
        editable=False,
        help_text="Readers reach the shop through /go/<token>/, which counts the click.",
    )


class Offer(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="offers")
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="offers")
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    price_checked_at = models.DateTimeField(
        "price checked at",
        default=timezone.now,
        help_text="When someone last saw this price at the merchant. Readers see it next to the price.",
    )
    affiliate_url = models.URLField(
        "affiliate link",
        max_length=1000,
        validators=[HTTPS_URL_VALIDATOR],
        help_text="The merchant's https:// address with your tracking code.",
    )
    in_stock = models.BooleanField(default=True)
    merchant_product_id = models.CharField(
        "merchant's product id",
        max_length=200,
        blank=True,
        help_text="The id the merchant's price feed gives this product (Google's “id”, an ASIN). "
        "Feed rows match offers on it, or on the SKU when it is empty.",
    )
    is_active = models.BooleanField(
        "shown on the site",
        default=True,
        help_text="Untick to hide this offer and disable its link without deleting it.",
    )
    link_broken_since = models.DateTimeField(
        "link broken since",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the link check found the shop link broken twice in a row: the offer is hidden from "
        "readers until a check finds it working again.",
    )
    token = go_token_field()

    objects = OfferQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["price"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "merchant"],
                name="products_offer_one_per_merchant",
                violation_error_message="This product already has an offer from this merchant.",
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="products_offer_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.product} at {self.merchant}"

    @property
    def redirect_url(self):
        """Our /go/ address for this offer: every affiliate link on the site points here."""
        return slug_address("affiliate_redirect", self.token, argument="token")

    @property
    def currency_symbol(self):
        return CURRENCIES.get(self.currency, f"{self.currency} ")

    @property
    def price_per_serving(self):
        servings = self.product.servings_per_container
        if not servings:
            return None
        return (self.price / servings).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def clean(self):
        if self.price_checked_at and self.price_checked_at > timezone.now() + CLOCK_SKEW:
            raise ValidationError({"price_checked_at": "A price cannot be checked in the future."})

    def observe_price(self, price, currency, checked_at):
        """The one rule for setting a price, on every path that sets one (admin, spreadsheet import, and
        the price feeds, which import): a price seen at least as recently as the stored check becomes the
        offer's price; an older one goes into the price history in its time order but never replaces a
        newer price, nor moves the check time back. Call it on the stored offer, locked when saving."""
        if not self._state.adding and self.price_checked_at and checked_at < self.price_checked_at:
            kept = (self.price, self.currency, self.price_checked_at)
            return PriceObservation(self, price, currency, checked_at, current=False, new_price=False, kept=kept)
        new_price = self._state.adding or (self.price, self.currency) != (price, currency)
        self.price, self.currency, self.price_checked_at = price, currency, checked_at
        return PriceObservation(self, price, currency, checked_at, current=True, new_price=new_price)


def best_offer(offers):
    """The offer to send a reader to: the cheapest buyable one.

    `offers` come from `Offer.objects.with_freshness()`; when none is buyable,
    an in-stock offer comes before a fresh price, then the cheapest, and the
    price box says why it cannot be bought.
    """
    offers = list(offers)
    if not offers:
        return None
    return min(offers, key=lambda o: (not o.is_buyable, not o.in_stock, not o.price_is_fresh, o.price))


# The price history, clicks and link checks, a merchant's feed and the shop links in guide text live in
# modules of their own; they are imported here so Django and every caller find them in products.models.
from .clicks import AffiliateClick, LinkCheck  # noqa: E402, F401
from .feed_models import MerchantFeed  # noqa: E402, F401  a merchant's price feed, beside the merchants
from .price_history import PriceHistory  # noqa: E402, F401
from .shop_links import ShopLink  # noqa: E402, F401  the model lives with the code that makes its rows
