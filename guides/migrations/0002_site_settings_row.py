from django.db import migrations


def create_site_settings(apps, schema_editor):
    SiteSettings = apps.get_model("guides", "SiteSettings")
    from richtext.markdown import render_markdown

    if not SiteSettings.objects.filter(pk=1).exists():
        settings = SiteSettings(pk=1)
        settings.medical_disclaimer_html = render_markdown(settings.medical_disclaimer)
        settings.save()


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(create_site_settings, migrations.RunPython.noop)]
