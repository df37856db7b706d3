import os
import subprocess
import sys
from pathlib import Path

from richtext.markdown import render_markdown

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x9!kq-" + "a7Lm2Pz4Rt8Vw1Yb3Nc5Qe6Hj0Ug" * 2,
        DJANGO_ALLOWED_HOSTS="guides.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="guides.example.com")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_markdown_keeps_formatting_and_drops_script():
    html = render_markdown("**Bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)")
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html


def test_markdown_headings_start_below_the_page_headings():
    assert render_markdown("# Top\n\n## Next") == "<h3>Top</h3>\n<h4>Next</h4>\n"


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x9!kq-" + "a7Lm2Pz4Rt8Vw1Yb3Nc5Qe6Hj0Ug" * 2,
    "DJANGO_ALLOWED_HOSTS": "guides.example.com",
}
SHOW_HSTS = (
    "from django.conf import settings; print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
)


def test_hsts_preload_and_subdomains_stay_off_until_the_operator_turns_them_on():
    assert manage("shell", "-v", "0", "-c", SHOW_HSTS, **PRODUCTION).stdout.split() == ["False", "False"]
    turned_on = {**PRODUCTION, "DJANGO_HSTS_PRELOAD": "1", "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1"}
    assert manage("shell", "-v", "0", "-c", SHOW_HSTS, **turned_on).stdout.split() == ["True", "True"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **turned_on)
    assert result.returncode == 0, result.stdout + result.stderr
