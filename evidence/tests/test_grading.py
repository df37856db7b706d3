import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import GRADE_RULE, ClaimStudy, EvidenceGrade, Study, propose_grade
from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory, claim_with

pytestmark = pytest.mark.django_db

META = Study.Design.META_ANALYSIS
REVIEW = Study.Design.SYSTEMATIC_REVIEW
RCT = Study.Design.RCT
OBSERVATIONAL = Study.Design.OBSERVATIONAL
ANIMAL = Study.Design.ANIMAL
IN_VITRO = Study.Design.IN_VITRO
OTHER = Study.Design.OTHER
FOR = ClaimStudy.Stance.SUPPORTS
AGAINST = ClaimStudy.Stance.CONTRADICTS
MIXED = ClaimStudy.Stance.MIXED


@pytest.mark.parametrize(
    ("evidence", "grade"),
    [
        pytest.param([], "insufficient", id="no studies"),
        pytest.param([(ANIMAL, FOR)] * 6 + [(IN_VITRO, FOR)] * 4, "insufficient", id="animal and lab studies alone"),
        pytest.param([(OTHER, FOR), (OTHER, FOR)], "insufficient", id="narrative reviews alone"),
        pytest.param([(RCT, AGAINST), (RCT, AGAINST)], "insufficient", id="only contradicting trials"),
        pytest.param([(OBSERVATIONAL, FOR)], "limited", id="one supporting observational study"),
        pytest.param([(RCT, MIXED)], "limited", id="one trial with mixed results"),
        pytest.param([(RCT, FOR), (RCT, AGAINST)], "limited", id="one trial each way"),
        pytest.param([(META, FOR), (RCT, AGAINST)], "limited", id="meta-analysis against a trial"),
        pytest.param([(RCT, FOR)], "moderate", id="one supporting trial"),
        pytest.param([(REVIEW, FOR)], "moderate", id="one supporting systematic review"),
        pytest.param([(RCT, FOR), (RCT, FOR), (RCT, AGAINST)], "moderate", id="two trials for, one against"),
        pytest.param([(RCT, FOR), (RCT, FOR), (REVIEW, AGAINST)], "moderate", id="two trials, review against"),
        pytest.param([(RCT, FOR), (RCT, FOR)], "strong", id="two supporting trials"),
        pytest.param([(META, FOR)], "strong", id="one supporting meta-analysis"),
        pytest.param(
            [(RCT, FOR), (RCT, FOR), (OBSERVATIONAL, AGAINST), (ANIMAL, AGAINST)],
            "strong",
            id="two trials outweigh uncontrolled contradiction",
        ),
        pytest.param([(RCT, FOR), (ANIMAL, FOR), (IN_VITRO, FOR)], "moderate", id="lab studies add nothing"),
    ],
)
def test_grade_rule(evidence, grade):
    assert propose_grade(evidence) == grade


def test_retracted_study_does_not_count_towards_the_grade():
    claim = claim_with((RCT, FOR), (RCT, FOR))
    assert claim.proposed_grade == EvidenceGrade.STRONG
    retracted = claim.claim_studies.first().study
    retracted.retracted = True
    retracted.retracted_on = "2024-03-01"
    retracted.save()
    claim.refresh_from_db()
    assert claim.proposed_grade == EvidenceGrade.MODERATE


def test_override_replaces_the_proposed_grade_and_says_so():
    claim = claim_with((ANIMAL, FOR), grade_override="limited", grade_override_reason="Two human case series.")
    assert claim.proposed_grade == EvidenceGrade.INSUFFICIENT
    assert claim.grade == EvidenceGrade.LIMITED
    assert claim.grade_is_override


def test_override_needs_a_written_reason():
    claim = ClaimFactory.build(grade_override="strong", grade_override_reason="   ")
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert error.value.message_dict == {"grade_override_reason": ["Write why the proposed grade is overridden."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(grade_override="strong", grade_override_reason="")


def test_reason_without_an_override_grade_is_refused():
    claim = ClaimFactory.build(grade_override_reason="Because the reviewer said so.")
    with pytest.raises(ValidationError, match="Choose the override grade"):
        claim.full_clean()


def test_a_study_is_linked_to_a_claim_once():
    link = ClaimStudyFactory()
    with pytest.raises(ValidationError, match="already linked to this claim"):
        ClaimStudy(claim=link.claim, study=link.study, stance=AGAINST).full_clean()


def test_evidence_lists_strongest_designs_first_then_newest():
    claim = ClaimFactory()
    for design, year in [(ANIMAL, 2020), (RCT, 2001), (META, 2010), (RCT, 2015)]:
        ClaimStudyFactory(claim=claim, study=StudyFactory(design=design, year=year))
    assert [(link.study.design, link.study.year) for link in claim.evidence] == [
        (META, 2010),
        (RCT, 2015),
        (RCT, 2001),
        (ANIMAL, 2020),
    ]


def test_readme_documents_the_rule_editors_see_in_the_admin():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for rule in GRADE_RULE:
        assert re.sub(r"^(Strong|Moderate|Limited|Insufficient):", r"**\1**:", rule) in readme
