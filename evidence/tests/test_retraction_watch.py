import socket
import time
import tracemalloc
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from evidence import retraction_watch
from evidence.models import Study, StudyNotice
from evidence.signals import retraction_recorded
from evidence.tests import retraction_watch_file as rw
from evidence.tests.factories import StudyFactory
from jobs.models import JobRun

pytestmark = pytest.mark.django_db

NEW_NOTICE = "study-notice"


@contextmanager
def notices_heard():
    """What retraction_recorded told its listeners while inside: (study, nature, notice address)."""
    events = []

    def listen(sender, study, nature, notice_url, **kwargs):
        events.append((study.pk, nature, notice_url))

    retraction_recorded.connect(listen, dispatch_uid="test-heard")
    try:
        yield events
    finally:
        retraction_recorded.disconnect(dispatch_uid="test-heard")


@pytest.fixture
def heard():
    with notices_heard() as events:
        yield events


def watch(tmp_path, rows, filler=0, **options):
    path = rw.write(tmp_path / "retraction_watch.csv", rows, filler=filler)
    call_command("check_retractions", source=str(path), verbosity=0, **options)
    return JobRun.objects.filter(job="check_retractions").first()


def page(url):
    return Client().get(url).content.decode()


def test_a_reinstatement_after_a_retraction_clears_the_flag(tmp_path):
    study = StudyFactory(doi="10.5555/back.again")
    watch(tmp_path, [rw.notice(1, doi="10.5555/back.again", date="1/5/2021 0:00")])
    assert Study.objects.get(pk=study.pk).retracted
    watch(
        tmp_path,
        [
            rw.notice(1, doi="10.5555/back.again", date="1/5/2021 0:00"),
            rw.notice(2, doi="10.5555/back.again", nature="Reinstatement", date="9/9/2022 0:00"),
        ],
    )
    study.refresh_from_db()
    assert (study.retracted, study.retracted_on, study.retraction_note) == (False, None, "")


def test_running_again_records_nothing_twice(tmp_path):
    StudyFactory(doi="10.5555/once")
    first = watch(tmp_path, [rw.notice(9, doi="10.5555/once")])
    second = watch(tmp_path, [rw.notice(9, doi="10.5555/once")])
    assert (first.items_changed, second.items_changed) == (1, 0)
    assert StudyNotice.objects.count() == 1
    assert second.summary == "1 notice about our studies, 0 new."


def test_a_file_that_is_not_the_retraction_watch_csv_is_refused_with_its_missing_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("DOI,Title\n10.1/x,Y\n")
    with pytest.raises(CommandError, match="it has no column Record ID, RetractionDate"):
        call_command("check_retractions", source=str(path), verbosity=0)
    assert JobRun.objects.get().outcome == "failed"


def test_the_file_can_come_from_a_url(httpserver, settings, tmp_path):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    StudyFactory(doi="10.5555/remote")
    path = rw.write(tmp_path / "rw.csv", [rw.notice(5, doi="10.5555/remote", nature="Correction")], filler=50)
    httpserver.expect_request("/retraction_watch.csv").respond_with_data(path.read_bytes(), content_type="text/csv")
    settings.RETRACTION_WATCH_CSV_URL = httpserver.url_for("/retraction_watch.csv")
    call_command("check_retractions", verbosity=0)
    assert Study.objects.get(doi="10.5555/remote").notice == "correction"


def test_sixty_thousand_rows_with_stray_bytes_are_read_in_seconds_and_little_memory(tmp_path):
    studies = [StudyFactory(doi=f"10.5555/ours.{n}", pmid=str(20000000 + n)) for n in range(4)]
    natures = ["Retraction", "Expression of concern", "Correction", "Retraction"]
    ours = [rw.notice(n, doi=s.doi.upper(), nature=natures[n]) for n, s in enumerate(studies[:3])]
    ours.append(rw.notice(3, pmid=studies[3].pmid, nature="Retraction"))
    path = rw.write(tmp_path / "retraction_watch.csv", ours, filler=60_000 - len(ours))
    assert b"M\xfcller" in path.read_bytes()  # Windows-1252, not UTF-8

    tracemalloc.start()
    started = time.monotonic()
    result = retraction_watch.check_retractions(progress=lambda *args, **kwargs: None, source=str(path))
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"\n60,000-row retraction watch run: {seconds:.2f} s, peak Python memory {peak / 1e6:.1f} MB")
    assert result.changed == 4
    assert seconds < 20
    assert peak < 20e6
    assert [Study.objects.get(pk=s.pk).retracted for s in studies] == [True, False, False, True]


def test_a_download_that_cannot_connect_fails_with_a_sentence_for_staff(settings):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0
    settings.RETRACTION_WATCH_CSV_URL = f"http://127.0.0.1:{port}/retraction_watch.csv"
    with pytest.raises(CommandError) as failed:
        call_command("check_retractions", verbosity=0)
    assert "The Retraction Watch file could not be downloaded from 127.0.0.1: the connection was refused" in str(
        failed.value
    )
    assert JobRun.objects.get(job="check_retractions").outcome == "failed"
