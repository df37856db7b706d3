from datetime import UTC, date, datetime

from django.template import Context, Template


def render(value):
    return Template("{{ value|machine_time }}").render(Context({"value": value}))


def test_machine_time_drops_fractions_of_a_second_html_refuses():
    assert render(datetime(2026, 11, 20, 14, 5, 7, 123456, tzinfo=UTC)) == "2026-11-20T14:05:07+00:00"


def test_machine_time_writes_dates_as_iso_days():
    assert render(date(2026, 11, 2)) == "2026-11-02"


def test_machine_time_of_nothing_is_empty():
    assert render(None) == ""
