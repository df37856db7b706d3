from django.db import migrations, models
from django.db.models import Count, Min


def keep_one_row_per_observation(apps, schema_editor):
    """Rows that repeat an observation (same offer, time, price and currency) are removed, keeping the first
    one recorded, with who recorded it; every row that differs in any of those stays."""
    PriceHistory = apps.get_model("products", "PriceHistory")
    observation = ["offer", "checked_at", "price", "currency"]
    repeated = (
        PriceHistory.objects.order_by()
        .values(*observation)
        .annotate(first=Min("pk"), rows=Count("pk"))
        .filter(rows__gt=1)
    )
    for group in repeated.iterator():
        PriceHistory.objects.filter(**{name: group[name] for name in observation}).exclude(pk=group["first"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("products", "0006_history"),
    ]

    operations = [
        migrations.RunPython(keep_one_row_per_observation, migrations.RunPython.noop),
        # The constraint's index starts with (offer, checked_at), which the index it replaces covered.
        migrations.RemoveIndex(
            model_name="pricehistory",
            name="products_pricehistory_offer_at",
        ),
        migrations.AddConstraint(
            model_name="pricehistory",
            constraint=models.UniqueConstraint(
                fields=("offer", "checked_at", "price", "currency"),
                name="products_pricehistory_one_row_per_observation",
            ),
        ),
    ]
