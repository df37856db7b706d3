import re

import pytest
from django.core.management import call_command

from evidence.models import Claim
from guides.models import Guide

pytestmark = pytest.mark.django_db


def test_demo_key_benefits_are_graded_claims_and_its_text_cites_studies(client):
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    benefits = list(guide.key_benefits.select_related("claim"))
    assert benefits
    assert all(benefit.claim for benefit in benefits)
    assert "[@pmid:8098788]" in guide.intro

    permeability = Claim.objects.get(slug="glutamine-reduces-intestinal-permeability")
    assert permeability.proposed_grade == "moderate"  # three supporting trials, two contradicting
    override = Claim.objects.get(slug="glutamine-fuels-the-gut-lining")
    assert override.proposed_grade == "insufficient"
    assert override.grade == "moderate"

    html = client.get(guide.get_absolute_url()).content.decode()
    assert "[@" not in html
    intro = html[html.index('<div class="intro">') : html.index("</div>", html.index('<div class="intro">'))]
    assert re.search(r'<sup class="citation" id="cite-1-1"><a href="#ref-1">', intro)
    assert "grade set by reviewer override" in html
    assert client.get(permeability.get_absolute_url()).status_code == 200


def test_seed_demo_links_claims_to_benefits_of_a_guide_seeded_before_claims_existed():
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    guide.key_benefits.update(claim=None)
    call_command("seed_demo", verbosity=0)
    assert not guide.key_benefits.filter(claim=None).exists()
