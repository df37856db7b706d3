"""Reader pages are valid HTML according to the Nu HTML Checker (vnu.jar).

`make test` installs the checker from npm into .venv/node; Java comes from
Debian's default-jre-headless.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from glutasite.tests.pages import reader_pages

pytestmark = pytest.mark.django_db

VNU_JAR = Path(
    os.environ.get(
        "GLUTASITE_VNU_JAR",
        Path(__file__).resolve().parents[2] / ".venv/node/node_modules/vnu-jar/build/dist/vnu.jar",
    ),
)


@pytest.fixture
def vnu():
    if not shutil.which("java"):
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.skip(f"The Nu HTML Checker is not at {VNU_JAR} (make test installs npm's vnu-jar)")

    def check(files):
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
            capture_output=True,
            text=True,
        )
        # The checker itself failed (not the pages): say what Java printed.
        assert result.returncode == 0, f"vnu.jar exited {result.returncode}: {(result.stderr or result.stdout)[-2000:]}"
        return json.loads(result.stderr or result.stdout)["messages"]

    return check


def test_reader_pages_are_valid_html(client, vnu, tmp_path):
    call_command("seed_demo", verbosity=0)
    files = []
    for name, path in reader_pages().items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not found" else 200), path
        file = tmp_path / f"{name.replace(' ', '-')}.html"
        file.write_bytes(response.content)
        files.append(file)
    errors = {}
    for message in vnu(files):
        if message["type"] == "error":
            name = Path(message["url"]).stem
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    assert errors == {}
