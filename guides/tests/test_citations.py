import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import ClaimStudyFactory, StudyFactory, claim_with
from guides.models import Guide, Section
from guides.tests.factories import (
    CitationFactory,
    ComplaintFactory,
    FAQFactory,
    GuideFactory,
    KeyBenefitFactory,
    RankedProductFactory,
    SafetyWarningFactory,
    SectionFactory,
)
from guides.tests.test_admin import guide_form, management_forms
from guides.tests.test_views import build_guide, main_text, page_text

pytestmark = pytest.mark.django_db

RCT, SUPPORTS = Study.Design.RCT, ClaimStudy.Stance.SUPPORTS


def citations_in_order(html):
    """(reference number, occurrence) of each superscript, in the order a reader meets them."""
    return [(int(n), int(k)) for n, k in re.findall(r'<sup class="citation[^"]*" id="cite-(\d+)-(\d+)">', html)]


def reference_titles(html):
    return re.findall(r'<li id="ref-\d+"[^>]*> .*?<cite>(.*?)</cite>', html)


def retract(study):
    study.retracted = True
    study.retracted_on = date(2023, 4, 2)
    study.retraction_note = "The journal found duplicated images."
    study.save()
    return study


def test_markers_are_numbered_by_first_appearance_across_the_whole_page(client):
    a, b, c, d, uncited = (StudyFactory(title=f"Study {name}") for name in "ABCDE")
    guide = GuideFactory(
        intro=f"Glutamine fuels the gut lining [@pmid:{b.pmid}].",
        expert_take=f"Worth a try [@{c.slug}].",
    )
    KeyBenefitFactory(guide=guide, text=f"Tight junctions stay closed [@{c.slug}].")
    RankedProductFactory(guide=guide, verdict=f"The dose used in trials [@doi:{a.doi.upper()}].")
    SectionFactory(guide=guide, body=f"Permeability falls [@doi:{a.doi}] in trials [@pmid:{b.pmid}].")
    ComplaintFactory(guide=guide, answer=f"Split the dose [@pmid:{d.pmid}].")
    SafetyWarningFactory(guide=guide, text=f"Not in critical illness [@pmid:{a.pmid}].")
    FAQFactory(guide=guide, answer=f"Two to eight weeks [@pmid:{b.pmid}].")
    CitationFactory(guide=guide, study=uncited)

    html = main_text(client.get(guide.get_absolute_url()))

    # intro B, benefit C, verdict A, section A B, complaint D, warning A, expert take C, FAQ B
    assert citations_in_order(html) == [(1, 1), (2, 1), (3, 1), (3, 2), (1, 2), (4, 1), (3, 3), (2, 2), (1, 3)]
    assert reference_titles(html) == ["Study B", "Study C", "Study A", "Study D", "Study E"]
    assert '<a href="#ref-1"><span class="visually-hidden">Reference </span>1</a>' in html
    ref_b = html[html.index('<li id="ref-1">') : html.index('<li id="ref-2">')]
    assert re.findall(r'href="#(cite-[\d-]+)"', ref_b) == ["cite-1-1", "cite-1-2", "cite-1-3"]
    ref_e = html[html.index('<li id="ref-5">') :]
    assert "Cited in the text" not in ref_e.split("</li>")[0]


def test_citing_a_study_adds_it_to_the_guide_references():
    study = StudyFactory()
    guide = GuideFactory(intro=f"Glutamine [@pmid:{study.pmid}].")
    SectionFactory(guide=guide, body=f"Again [@{study.slug}].")
    assert list(guide.citations.values_list("study", flat=True)) == [study.pk]


def test_a_marker_keeps_working_after_the_study_slug_changes(client):
    study = StudyFactory(slug="hulst-1993")
    guide = GuideFactory(intro="Landmark trial [@hulst-1993].")
    study.slug = "van-der-hulst-1993"
    study.save()
    html = main_text(client.get(guide.get_absolute_url()))
    assert citations_in_order(html) == [(1, 1)]
    assert 'href="/evidence/van-der-hulst-1993/"' in html


def test_markers_inside_code_are_left_as_written(client):
    study = StudyFactory(pmid="8098788")
    guide = GuideFactory(
        intro="Cite with `[@pmid:8098788]` like this [@pmid:8098788].\n\n```\n[@pmid:8098788] and [@unknown]\n```",
    )
    html = main_text(client.get(guide.get_absolute_url()))
    assert "<code>[@pmid:8098788]</code>" in html
    assert "<pre><code>[@pmid:8098788] and [@unknown] </code></pre>" in html
    assert citations_in_order(html) == [(1, 1)]
    assert study.citations.count() == 1
    guide.full_clean()  # [@unknown] inside code is not a citation, so it is not refused


def test_editor_text_around_markers_stays_inert(client):
    study = StudyFactory()
    guide = GuideFactory(
        intro=f'<script>alert("x")</script> [@pmid:{study.pmid}] [click](javascript:alert(1)) '
        f'[t](https://example.com "[@pmid:{study.pmid}]")',
    )
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert citations_in_order(html) == [(1, 1)]
    assert f'title="[@pmid:{study.pmid}]"' in html  # a marker inside a link title is not rewritten


def test_meta_description_leaves_markers_out(client):
    study = StudyFactory()
    guide = GuideFactory(intro=f"Glutamine fuels the gut lining [@pmid:{study.pmid}] in trials.")
    html = page_text(client.get(guide.get_absolute_url()))
    assert '<meta name="description" content="Glutamine fuels the gut lining in trials.">' in html


def test_unknown_marker_is_refused_by_model_validation():
    guide = GuideFactory.build(intro="Glutamine heals everything [@pmid:99999999] [@doi:10.9999/none].")
    with pytest.raises(ValidationError) as error:
        guide.full_clean(exclude=["category", "reviewer"])
    assert error.value.message_dict["intro"] == [
        "No study in the evidence library matches [@pmid:99999999], [@doi:10.9999/none]. Cite a study by "
        "[@pmid:…], [@doi:…] or its slug, and add the study to the library first.",
    ]


def test_admin_refuses_a_guide_whose_text_cites_an_unknown_study(editor_client):
    data = guide_form(evidence_grade="insufficient", intro="Cured my gut [@smith-2099].") | management_forms()
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    assert "No study in the evidence library matches [@smith-2099]." in response.content.decode()
    assert not Guide.objects.exists()


def test_admin_refuses_an_unknown_marker_in_a_section(editor_client):
    StudyFactory(pmid="8098788")
    data = guide_form(evidence_grade="insufficient") | management_forms(sections=1)
    data |= {
        "sections-0-order": "0",
        "sections-0-heading": "How it works",
        "sections-0-body": "Known [@pmid:8098788], unknown [@pmid:7902229].",
    }
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No study in the evidence library matches [@pmid:7902229]." in html
    assert "[@pmid:8098788]," not in html.split("No study in the evidence library matches")[1][:40]
    assert not Guide.objects.exists()
    assert not Section.objects.exists()


def test_admin_saves_a_cited_study_once_even_when_also_added_by_hand(editor_client):
    study = StudyFactory()
    data = guide_form(evidence_grade="insufficient", intro=f"Trial [@pmid:{study.pmid}].") | management_forms(
        citations=1,
    )
    data |= {"citations-0-order": "3", "citations-0-study": str(study.pk)}
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 302
    guide = Guide.objects.get()
    assert list(guide.citations.values_list("study", "order")) == [(study.pk, 3)]


def test_admin_puts_back_a_reference_the_text_still_cites(editor_client):
    study = StudyFactory()
    guide = GuideFactory(
        evidence_grade="insufficient",
        intro=f"Trial [@pmid:{study.pmid}].",
        status=Guide.Status.DRAFT,
        published_at=None,
    )
    citation = guide.citations.get()
    data = guide_form(
        title=guide.title,
        slug=guide.slug,
        evidence_grade="insufficient",
        intro=guide.intro,
        category=guide.category_id,
        reviewer=guide.reviewer_id,
    ) | management_forms(citations=1)
    data |= {
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": str(citation.pk),
        "citations-0-guide": str(guide.pk),
        "citations-0-order": "0",
        "citations-0-study": str(study.pk),
        "citations-0-DELETE": "on",
    }
    response = editor_client.post(reverse("admin:guides_guide_change", args=[guide.pk]), data)
    assert response.status_code == 302
    assert list(guide.citations.values_list("study", flat=True)) == [study.pk]


def test_key_benefit_shows_its_claim_grade_and_studies_as_citations(client):
    trial_1, trial_2 = StudyFactory(design=RCT), StudyFactory(design=RCT)
    claim = claim_with(statement="L-glutamine reduces intestinal permeability")
    for trial in (trial_1, trial_2):
        ClaimStudyFactory(claim=claim, study=trial, stance=SUPPORTS)
    guide = GuideFactory(intro=f"A trial [@pmid:{trial_2.pmid}].", evidence_grade="strong")
    KeyBenefitFactory(guide=guide, title="Keeps the gut lining tight", text="", claim=claim)

    html = main_text(client.get(guide.get_absolute_url()))
    benefit = html[html.index("Keeps the gut lining tight") : html.index("</li>", html.index("Keeps the gut lining"))]
    assert '<span class="badge badge-strong"' in benefit
    assert "Strong evidence" in benefit
    # Trial 2 was cited first, in the intro, so it is reference 1; side by side they read "1,2".
    assert citations_in_order(benefit) == [(1, 2), (2, 1)]
    assert (
        f'<a href="{claim.get_absolute_url()}">The studies behind “L-glutamine reduces intestinal permeability”</a>'
        in (benefit)
    )
    assert len(reference_titles(html)) == 2


def test_retracted_study_shows_a_notice_wherever_it_is_cited(client):
    study = retract(StudyFactory(title="Fabricated glutamine trial", design=RCT))
    claim = claim_with()
    ClaimStudyFactory(claim=claim, study=study, stance=SUPPORTS)
    guide = GuideFactory(intro=f"A trial [@pmid:{study.pmid}].")
    KeyBenefitFactory(guide=guide, claim=claim)
    html = main_text(client.get(guide.get_absolute_url()))
    assert html.count('<sup class="citation citation-retracted"') == 2
    assert html.count("1</a> (retracted)</sup>") == 2
    assert (
        'Retracted on <time datetime="2023-04-02">2 April 2023</time>: do not rely on this study. '
        "The journal found duplicated images."
    ) in html
    assert '<span class="badge badge-insufficient"' in html  # a retracted trial does not count for the claim


def test_published_guides_citing_a_retracted_study_are_listed_for_review(editor_client):
    retracted = retract(StudyFactory())
    by_marker = GuideFactory(title="Cites it in the text", intro=f"Trial [@pmid:{retracted.pmid}].")
    by_reference = GuideFactory(title="Lists it as a reference")
    CitationFactory(guide=by_reference, study=retracted)
    by_claim = GuideFactory(title="Relies on it through a claim")
    claim = claim_with()
    ClaimStudyFactory(claim=claim, study=retracted)
    KeyBenefitFactory(guide=by_claim, claim=claim)
    draft = GuideFactory(title="Draft citing it", status=Guide.Status.DRAFT, published_at=None)
    CitationFactory(guide=draft, study=retracted)
    CitationFactory(guide=GuideFactory(title="Cites sound studies only"))

    assert set(Guide.objects.published().citing_retracted()) == {by_marker, by_reference, by_claim}
    assert set(Guide.objects.citing_retracted()) == {by_marker, by_reference, by_claim, draft}

    response = editor_client.get(reverse("admin:guides_guide_changelist"), {"retracted": "published"})
    listed = {guide.title for guide in response.context["cl"].result_list}
    assert listed == {"Cites it in the text", "Lists it as a reference", "Relies on it through a claim"}
    assert "Published and cites a retracted study" in response.content.decode()


def test_guide_grade_cannot_exceed_its_best_claim_without_a_reason(editor_client):
    claim = claim_with((RCT, SUPPORTS))  # moderate
    data = guide_form(evidence_grade="strong") | management_forms(key_benefits=1)
    data |= {
        "key_benefits-0-order": "0",
        "key_benefits-0-title": "Keeps the gut lining tight",
        "key_benefits-0-claim": str(claim.pk),
    }
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    assert (
        "The guide&#x27;s grade (Strong evidence) is higher than its best key-benefit claim (Moderate evidence). "
        "Lower the grade, or write a reason for a grade above the claims."
    ) in response.content.decode()
    assert not Guide.objects.exists()

    data["grade_override_reason"] = "Two further trials are in press and were reviewed in full."
    data["status"] = "published"
    assert editor_client.post(reverse("admin:guides_guide_add"), data).status_code == 302
    guide = Guide.objects.get()
    html = page_text(editor_client.get(guide.get_absolute_url()))
    assert (
        "This grade was set by reviewer override, above the grades of the claims below: "
        "Two further trials are in press and were reviewed in full."
    ) in html


def test_key_benefit_needs_a_claim_in_the_admin(editor_client):
    data = guide_form(evidence_grade="insufficient") | management_forms(key_benefits=1)
    data |= {"key_benefits-0-order": "0", "key_benefits-0-title": "Feels better"}
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.parametrize(
    ("guide_grade", "claim_grades", "allowed"),
    [
        ("insufficient", [], True),
        ("limited", [], False),
        ("moderate", ["limited", "moderate"], True),
        ("strong", ["limited", "moderate"], False),
    ],
)
def test_guide_grade_is_checked_against_its_best_claim(guide_grade, claim_grades, allowed):
    guide = GuideFactory.build(evidence_grade=guide_grade)
    claims = [claim_with(grade_override=grade, grade_override_reason="Set for the test.") for grade in claim_grades]
    if allowed:
        guide.check_grade_against(claims)
    else:
        with pytest.raises(ValidationError, match="higher than its best key-benefit claim"):
            guide.check_grade_against(claims)
        guide.grade_override_reason = "Reviewed the unpublished trial data."
        guide.check_grade_against(claims)


def test_guide_page_query_count_does_not_grow_with_citations_and_claims(client):
    def cited_guide(count):
        guide = build_guide(products=2, studies=count)
        studies = StudyFactory.create_batch(count)
        guide.intro = " ".join(f"[@pmid:{study.pmid}]" for study in studies)
        guide.save()
        for study in studies:
            KeyBenefitFactory(guide=guide, claim=claim_with((RCT, SUPPORTS)), text=f"[@{study.slug}]")
        return guide

    small, large = cited_guide(2), cited_guide(30)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as large_queries:
        response = client.get(large.get_absolute_url())
    # The first request after a change (guides/prerendered.py keeps the text for the next ones).
    assert len(small_queries) == len(large_queries) <= 14
    assert response.content.decode().count('<li id="ref-') == 30 + 30 + 30


def test_study_page_lists_published_guides_citing_it(editor_client, django_assert_max_num_queries):
    reader = Client()
    study = StudyFactory()
    for n in range(12):
        GuideFactory(title=f"Published guide {n}", intro=f"[@pmid:{study.pmid}]")
    GuideFactory(
        title="Scheduled guide",
        intro=f"[@pmid:{study.pmid}]",
        published_at=timezone.now() + timedelta(days=3),
    )
    with django_assert_max_num_queries(6):
        html = page_text(reader.get(study.get_absolute_url()))
    assert html.count("Published guide") == 12
    assert "Scheduled guide" not in html
    assert "Scheduled guide" in page_text(editor_client.get(study.get_absolute_url()))


def test_reference_reads_as_a_sentence_per_part(client):
    plain = StudyFactory(
        authors="Kim MH, Kim H", title="The roles of glutamine in the intestine", journal="Int J Mol Sci"
    )
    question = StudyFactory(authors="Hulsewé KW, et al.", title="Does glutamine affect gut permeability?", journal="")
    guide = GuideFactory(intro=f"[@pmid:{plain.pmid}] [@pmid:{question.pmid}]")
    html = main_text(client.get(guide.get_absolute_url()))
    assert "Kim MH, Kim H. <cite>The roles of glutamine in the intestine</cite>. <i>Int J Mol Sci</i>. 2019." in html
    assert "Hulsewé KW, et al. <cite>Does glutamine affect gut permeability?</cite> 2019." in html
