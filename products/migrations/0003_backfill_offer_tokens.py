# Offers that existed before /go/ links get a token each. Separate from the
# schema changes so PostgreSQL never alters a table with pending row updates.
import secrets

from django.db import migrations


def backfill_tokens(apps, schema_editor):
    Offer = apps.get_model("products", "Offer")
    offers = list(Offer.objects.filter(token__isnull=True).only("pk"))
    for offer in offers:
        offer.token = secrets.token_urlsafe(16)
    Offer.objects.bulk_update(offers, ["token"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_offer_token_price_history_clicks"),
    ]

    operations = [
        migrations.RunPython(backfill_tokens, migrations.RunPython.noop),
    ]
