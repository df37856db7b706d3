import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("evidence:study_list")


def text(response):
    html = re.sub(r"\s+", " ", response.content.decode())
    return html[html.index('<main id="main"') :]


def titles(response):
    return [study.title for study in response.context["page"].object_list]


def test_library_filters_by_design_year_range_result_and_topic(client):
    gut = TopicFactory(name="Gut barrier", slug="gut-barrier")
    match = StudyFactory(title="Glutamine in IBS", design=Study.Design.RCT, year=2019, result=Study.Result.BENEFIT)
    match.topics.add(gut)
    StudyFactory(title="Wrong design", design=Study.Design.ANIMAL, year=2019, result=Study.Result.BENEFIT).topics.add(
        gut,
    )
    StudyFactory(title="Too old", design=Study.Design.RCT, year=1999, result=Study.Result.BENEFIT).topics.add(gut)
    StudyFactory(title="No effect", design=Study.Design.RCT, year=2019, result=Study.Result.NO_EFFECT).topics.add(gut)
    StudyFactory(title="Other topic", design=Study.Design.RCT, year=2019, result=Study.Result.BENEFIT)

    response = client.get(
        LIST_URL,
        {"design": "rct", "year_from": "2010", "year_to": "2020", "result": "benefit", "topic": "gut-barrier"},
    )
    assert titles(response) == ["Glutamine in IBS"]
    assert "1 study" in text(response)


def test_library_sorts_studies(client):
    StudyFactory(title="Bravo", year=2001, participants=500)
    StudyFactory(title="Alpha", year=2020, participants=20)
    StudyFactory(title="Charlie", year=2010, participants=None)
    assert titles(client.get(LIST_URL)) == ["Alpha", "Charlie", "Bravo"]
    assert titles(client.get(LIST_URL, {"sort": "oldest"})) == ["Bravo", "Charlie", "Alpha"]
    assert titles(client.get(LIST_URL, {"sort": "title"})) == ["Alpha", "Bravo", "Charlie"]
    assert titles(client.get(LIST_URL, {"sort": "participants"})) == ["Bravo", "Alpha", "Charlie"]


def test_library_paginates_and_keeps_the_filters_in_page_links(client):
    StudyFactory.create_batch(30, design=Study.Design.RCT)
    StudyFactory(design=Study.Design.ANIMAL)
    first = client.get(LIST_URL, {"design": "rct"})
    assert len(titles(first)) == 25
    assert 'href="?design=rct&amp;page=2" rel="next"' in text(first)
    second = client.get(LIST_URL, {"design": "rct", "page": "2"})
    assert len(titles(second)) == 5
    assert "page 2 of 2" in text(second)


def test_impossible_year_range_is_explained(client):
    StudyFactory()
    response = client.get(LIST_URL, {"year_from": "2020", "year_to": "2010"})
    assert "The end year comes before the start year." in text(response)
    assert titles(response) == []


@pytest.mark.parametrize("count", [3, 60])
def test_library_query_count_does_not_grow_with_page_size(client, django_assert_max_num_queries, count):
    topics = TopicFactory.create_batch(3)
    for study in StudyFactory.create_batch(count):
        study.topics.set(topics)
    with django_assert_max_num_queries(4):
        response = client.get(LIST_URL)
    assert text(response).count('class="study-card"') == min(count, 25)


def test_library_marks_retracted_studies(client):
    StudyFactory(
        title="Fabricated trial", retracted=True, retracted_on=date(2021, 6, 1), retraction_note="Data fabricated."
    )
    html = text(client.get(LIST_URL))
    assert (
        'Retracted on <time datetime="2021-06-01">1 June 2021</time>: do not rely on this study. Data fabricated.'
        in html
    )


def test_study_page_shows_what_was_studied_and_its_claims(client):
    study = StudyFactory(
        population="Adults with IBS-D after a gut infection",
        dose="5 g three times a day",
        duration="8 weeks",
        outcome="IBS symptom score",
        result=Study.Result.BENEFIT,
        summary="A *randomised* trial.",
    )
    claim = ClaimFactory(statement="Glutamine eases post-infectious IBS")
    ClaimStudyFactory(claim=claim, study=study, stance=ClaimStudy.Stance.SUPPORTS)
    html = text(client.get(study.get_absolute_url()))
    for fact in [
        "<dt>Who was studied</dt><dd>Adults with IBS-D after a gut infection</dd>",
        "<dt>Dose</dt><dd>5 g three times a day</dd>",
        "<dt>Duration</dt><dd>8 weeks</dd>",
        "<dt>Outcome measured</dt><dd>IBS symptom score</dd>",
        "<dt>Result</dt><dd>Benefit</dd>",
        "<p>A <em>randomised</em> trial.</p>",
        f'<a href="{claim.get_absolute_url()}">Glutamine eases post-infectious IBS</a>: supports',
        "Moderate evidence",
    ]:
        assert fact in html


def test_claim_page_is_an_evidence_matrix(client, django_assert_max_num_queries):
    claim = ClaimFactory(statement="L-glutamine reduces intestinal permeability")
    trial = StudyFactory(
        authors="Zhou Q, Verne ML",
        year=2019,
        design=Study.Design.RCT,
        participants=106,
        dose="15 g a day",
        duration="8 weeks",
        result=Study.Result.BENEFIT,
    )
    ClaimStudyFactory(claim=claim, study=trial, stance=ClaimStudy.Stance.SUPPORTS)
    for _ in range(20):
        ClaimStudyFactory(claim=claim, study=StudyFactory(design=Study.Design.ANIMAL), stance=ClaimStudy.Stance.MIXED)
    with django_assert_max_num_queries(2):
        response = client.get(claim.get_absolute_url())
    html = text(response)
    assert "<h1>L-glutamine reduces intestinal permeability</h1>" in html
    assert (
        f'<th scope="row"><a href="{trial.get_absolute_url()}">Zhou Q et al. (2019)</a> {trial.title}</th> '
        "<td>Randomised controlled trial</td> <td>106</td> <td>15 g a day</td> <td>8 weeks</td> <td>Benefit</td> "
        "<td>Supports</td>"
    ) in html
    assert html.count("<td>Animal study</td>") == 20
    assert "Moderate evidence" in html
    assert "This grade follows from the studies below" in html


def test_claim_page_says_when_the_grade_is_an_override(client):
    claim = ClaimFactory(grade_override="moderate", grade_override_reason="Long-established physiology.")
    ClaimStudyFactory(claim=claim, study=StudyFactory(design=Study.Design.OTHER))
    html = text(client.get(claim.get_absolute_url()))
    assert "grade set by reviewer override" in html
    assert (
        "The studies alone give <strong>insufficient evidence</strong>; our reviewers set this grade by override. "
        "Their reason: Long-established physiology."
    ) in html


def test_retracted_study_is_flagged_in_the_claim_matrix_and_on_its_page(client):
    study = StudyFactory(retracted=True, retracted_on=date(2022, 1, 5), retraction_note="Duplicate data.")
    link = ClaimStudyFactory(study=study)
    notice = (
        'Retracted on <time datetime="2022-01-05">5 January 2022</time>: do not rely on this study. Duplicate data.'
    )
    assert notice in text(client.get(link.claim.get_absolute_url()))
    assert notice in text(client.get(study.get_absolute_url()))


def test_claim_address_is_not_taken_for_a_study(client):
    claim = ClaimFactory(slug="reduces-permeability")
    assert claim.get_absolute_url() == "/evidence/claims/reduces-permeability/"
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert client.get("/evidence/claims/no-such-claim/").status_code == 404


def test_library_pages_query_counts_are_the_same_for_small_and_large_claims(client):
    small, large = ClaimFactory(), ClaimFactory()
    ClaimStudyFactory(claim=small)
    for _ in range(30):
        ClaimStudyFactory(claim=large)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.get_absolute_url())
    assert len(small_queries) == len(large_queries)


def test_the_filters_fold_away_until_a_reader_uses_them(client):
    assert '<details class="filter-panel">' in client.get("/evidence/").content.decode()
    assert '<details class="filter-panel" open>' in client.get("/evidence/?design=rct").content.decode()
