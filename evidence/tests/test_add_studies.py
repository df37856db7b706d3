import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from werkzeug import Response

from evidence.identifiers import Identifier, read_identifiers
from evidence.models import Study
from evidence.tests.factories import StudyFactory
from jobs.models import JobRun

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "lookup"
# The reference list of the long-form article the demo's article is modelled on, as readers see it.
REFERENCE_LIST = RECORDED / "leaky_gut_reference_list.txt"
PASTED = """References
- https://pubmed.ncbi.nlm.nih.gov/22109896/
- https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5440529/
- PMID: 29221664
- https://www.tandfonline.com/doi/full/10.1080/23328940.2021.2015227
- https://medlineplus.gov/druginfo/meds/a617035.html
"""


def recorded(name):
    return json.loads((RECORDED / name).read_text())


@pytest.fixture
def services(httpserver, settings):
    """NCBI and Crossref as recorded, on 127.0.0.1; checks that NCBI is told who asks."""
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0
    settings.PUBMED_API_URL = httpserver.url_for("/entrez/eutils/")
    settings.NCBI_PMC_IDCONV_URL = httpserver.url_for("/pmc/utils/idconv/v1.0/")
    settings.CROSSREF_API_URL = httpserver.url_for("/crossref/")
    settings.NCBI_EMAIL, settings.NCBI_TOOL = "editors@example.com", "glutasite"
    who = {"tool": "glutasite", "email": "editors@example.com"}
    httpserver.expect_request("/pmc/utils/idconv/v1.0/", query_string=None).respond_with_handler(
        lambda request: Response(
            json.dumps(recorded("idconv.json")) if request.args.get("tool") == who["tool"] else "no tool", 200
        ),
    )
    httpserver.expect_request("/entrez/eutils/esummary.fcgi").respond_with_handler(
        lambda request: (
            Response(json.dumps(recorded("esummary.json")), content_type="application/json")
            if request.args.get("email") == who["email"] and request.args.get("db") == "pubmed"
            else Response("missing tool/email", 400)
        ),
    )
    httpserver.expect_request("/crossref/works/10.1080/23328940.2021.2015227").respond_with_json(
        recorded("crossref_work.json"),
    )
    return httpserver


def test_every_kind_of_identifier_is_read_from_a_pasted_reference_list():
    found, unreadable = read_identifiers(REFERENCE_LIST.read_text())
    assert len(found) == 17
    assert found[:2] == [Identifier("pmid", "22109896"), Identifier("pmcid", "PMC5440529")]
    assert Identifier("doi", "10.1080/23328940.2021.2015227") in found  # a publisher's address
    assert Identifier("doi", "10.3390/ijms18051051") in found  # MDPI's address names the journal by ISSN
    assert unreadable[0] == "https://clinicalnutritionespen.com/article/S2405-4577(21)00008-5/fulltext"
    assert len(unreadable) == 4
    assert read_identifiers("doi:10.1016/0140-6736(93)90939-E.\n8098788\nhttps://doi.org/10.1136/gut.52.4.1")[0] == [
        Identifier("doi", "10.1016/0140-6736(93)90939-E"),
        Identifier("pmid", "8098788"),
        Identifier("doi", "10.1136/gut.52.4.1"),
    ]


def test_add_studies_looks_up_each_kind_and_marks_retracted_papers(services, capsys):
    call_command("add_studies", *PASTED.split(), verbosity=0)
    output = capsys.readouterr().out
    assert "4 looked-up records: 4 new, 0 updated, 0 unchanged. Saved." in output
    crohn = Study.objects.get(pmid="22109896")
    assert crohn.doi == "10.1007/s10620-011-1947-9"
    assert crohn.year == 2012
    assert crohn.design == Study.Design.RCT
    review = Study.objects.get(pmcid="PMC5440529")
    assert (review.pmid, review.doi) == ("28471391", "10.3390/ijms18051051")
    crossref = Study.objects.get(doi="10.1080/23328940.2021.2015227")
    assert crossref.authors == "Example AJ, Sample S"
    assert crossref.year == 2022
    retracted = Study.objects.get(pmid="29221664")
    assert retracted.retracted
    assert retracted.retraction_note == "PubMed lists this paper as a retracted publication."


def test_editors_paste_a_list_preview_it_and_confirm(
    services, client, django_user_model, django_capture_on_commit_callbacks
):
    StudyFactory(pmid="22109896", doi="", title="Glutamine and whey protein improve intestinal permeability", year=2012)
    editor = django_user_model.objects.create_user(username="erin", password="pw-erin-123456", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editors"))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:evidence_study_add_by_identifier"), {"identifiers": PASTED})
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = client.get(response["Location"]).content.decode()
    assert "3 new, 1 updated, 0 unchanged. Nothing is saved yet." in page
    assert "Could not read an identifier from “https://medlineplus.gov/druginfo/meds/a617035.html”." in page
    assert "(retracted)" in page
    assert Study.objects.count() == 1
    run = JobRun.objects.get(job="add_studies")
    confirmed = client.post(reverse("admin:evidence_study_add_by_identifier_confirm", args=[run.pk]))
    assert confirmed.status_code == 302
    assert Study.objects.count() == 4
    assert Study.objects.get(pmid="22109896").doi == "10.1007/s10620-011-1947-9"  # filled in, not duplicated
    # A preview saves once.
    client.post(reverse("admin:evidence_study_add_by_identifier_confirm", args=[run.pk]))
    assert Study.objects.count() == 4


def test_busy_services_are_retried_and_a_dead_one_is_reported(httpserver, settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0
    settings.PUBMED_API_URL = httpserver.url_for("/eutils/")
    httpserver.expect_ordered_request("/eutils/esummary.fcgi").respond_with_data("busy", status=429)
    httpserver.expect_ordered_request("/eutils/esummary.fcgi").respond_with_json(recorded("esummary.json"))
    call_command("add_studies", "22109896", verbosity=0)
    assert Study.objects.filter(pmid="22109896").exists()
    httpserver.clear()
    httpserver.expect_request("/eutils/esummary.fcgi").respond_with_data("down", status=503)
    with pytest.raises(Exception, match="PubMed answered HTTP 503; try again later."):
        call_command("add_studies", "29221664", verbosity=0)
    assert JobRun.objects.filter(job="add_studies").first().outcome == "failed"
