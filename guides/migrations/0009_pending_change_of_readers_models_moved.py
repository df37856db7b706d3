"""Name the link from a pending change to its guide `pending_change_of`, and hand
pages, subscribers and correction requests to the readers app (state only;
see readers 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0008_editorial_roles"),
        ("readers", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="guide", name="guides_guide_unique_live_slug"),
        migrations.RenameField(model_name="guide", old_name="draft_of", new_name="pending_change_of"),
        migrations.AlterField(
            model_name="guide",
            name="pending_change_of",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                help_text="The guide this pending change will replace when published.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pending_change",
                to="guides.guide",
            ),
        ),
        migrations.AddConstraint(
            model_name="guide",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pending_change_of__isnull", True)),
                fields=("slug",),
                name="guides_guide_unique_live_slug",
                violation_error_message="Another guide already has this address.",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CorrectionRequest"),
                migrations.DeleteModel(name="NewsletterSubscriber"),
                migrations.DeleteModel(name="Page"),
            ],
            database_operations=[],
        ),
    ]
