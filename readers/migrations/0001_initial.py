"""Pages, newsletter subscribers and correction requests move here from the guides app.

Only Django's idea of where the models live changes: the tables keep their
names (db_table) and their rows, and the content types are relabelled, so
the permissions groups hold and the admin's history of these rows follow.
guides 0009 removes the models from the guides app's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MOVED = ["page", "newslettersubscriber", "correctionrequest"]


def relabel_content_types(apps, schema_editor, old="guides", new="readers"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            # A content type made for the new label before this ran holds nothing yet.
            ContentType.objects.using(db).filter(app_label=new, model=model).delete()
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="readers", new="guides")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0008_editorial_roles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NewsletterSubscriber',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(help_text='Stored in lower case.', max_length=254, unique=True)),
                        ('status', models.CharField(choices=[('pending', 'Waiting for confirmation'), ('confirmed', 'Confirmed'), ('unsubscribed', 'Unsubscribed')], default='pending', max_length=20)),
                        ('signed_up_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='signed up')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                        ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='unsubscribed')),
                    ],
                    options={
                        'db_table': 'guides_newslettersubscriber',
                        'ordering': ['-signed_up_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Page',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('slug', models.SlugField(help_text="The page's address: /pages/<slug>/. The footer links to about, editorial-policy, affiliate-disclosure and medical-disclaimer, so keep those four addresses.", max_length=100, unique=True)),
                        ('description', models.CharField(help_text='One or two sentences that search engines and link previews show under the title.', max_length=300)),
                        ('body', models.TextField(help_text='Markdown allowed. Headings you add (# …) start one level below the page title.')),
                        ('body_html', models.TextField(blank=True, editable=False)),
                        ('for_subscribers', models.BooleanField(default=False, help_text='Tick for the free guide newsletter subscribers receive. The signup form reads “Get the free guide to <title>”, so write the title to follow “to”, e.g. “30 gut-friendly foods”. The page is left out of site search, the sitemap and search engines.', verbose_name='free guide for subscribers')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ],
                    options={
                        'db_table': 'guides_page',
                        'ordering': ['title'],
                    },
                ),
                migrations.CreateModel(
                    name='CorrectionRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('location', models.CharField(blank=True, max_length=200, verbose_name='where on the page')),
                        ('description', models.TextField(max_length=3000, verbose_name='what is wrong')),
                        ('source', models.URLField(blank=True, help_text='A study or page the reader says shows the right information.', max_length=500, verbose_name='source for the correction')),
                        ('email', models.EmailField(blank=True, help_text='Given only so we can reply about this report; never added to the newsletter.', max_length=254, verbose_name="reader's email")),
                        ('status', models.CharField(choices=[('open', 'Open'), ('resolved', 'Resolved')], default='open', max_length=20)),
                        ('reported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='reported')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                        ('editor_note', models.TextField(blank=True, help_text='What was checked or changed. Readers do not see this.')),
                        ('guide', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='correction_requests', to='guides.guide')),
                    ],
                    options={
                        'db_table': 'guides_correctionrequest',
                        'ordering': ['-reported_at'],
                        'indexes': [models.Index(fields=['status', 'guide'], name='guides_correction_status_guide')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
