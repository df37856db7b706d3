import pytest
from django.apps import apps
from django.core.management import call_command
from django.forms.models import model_to_dict

from guides import workflow
from guides.models import Guide, SafetyWarning

pytestmark = pytest.mark.django_db

GUIDE_URL = "/guides/l-glutamine-for-gut-health/"


def snapshot():
    """Every row of our apps, as values, to compare two runs."""
    rows = {}
    for label in ["guides", "products", "evidence", "readers"]:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label == "readers.PageCacheVersion":
                continue  # the page cache's key, not content
            rows[model._meta.label] = sorted(
                (str(sorted(model_to_dict(obj).items(), key=lambda kv: kv[0])) for obj in model.objects.all()),
            )
    return rows


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_guide_has_every_block(client):
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    assert guide.reviewer.credentials
    assert guide.ranked_products.count() == 4
    assert all(r.product.offers.exists() for r in guide.ranked_products.all())
    assert guide.citations.count() >= 8
    assert guide.faqs.count() >= 5
    assert guide.key_benefits.exists()
    assert guide.sections.exists()
    assert guide.complaints.exists()
    assert guide.expert_take
    assert guide.safety_warnings.filter(severity=SafetyWarning.Severity.CRITICAL, text__icontains="cancer").exists()
    response = client.get(GUIDE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/8098788/"' in html
    assert "Price checked <time" in html


def test_seed_demo_runs_again_after_an_editor_starts_a_change(editor):
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    pending = workflow.start_change(guide=guide, user=editor)
    call_command("seed_demo", verbosity=0)
    assert Guide.objects.exclude_pending_changes().get(slug=guide.slug) == guide
    assert Guide.objects.pending_changes().get() == pending
