"""The clients a site generates from the API's schema read the book from a live server.

The Python client of openapi-python-client (requirements-dev.txt) and the TypeScript types of
openapi-typescript (tests/tools, checked by TypeScript and run by tsx on Node's fetch) are
generated from the schema the server publishes, then a short script with each reads the demo
book: the locales, the table of contents, a chapter in two languages, a search and the
whole-book read. A response the generated Python models reject, a script the generated types
do not allow, or an error status fails the test.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Transactional (a live server reads what the test loads): the database as migrations left it is
# restored first, since an earlier transactional test may have emptied it.
pytestmark = [pytest.mark.clients, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parent / "tools" / "node_modules" / ".bin"
VENV_BIN = Path(sys.executable).parent
# A busy machine makes the generators and the compiler slow to start; nothing here is timed.
TIMEOUT = 600


def run(command, cwd, **env):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", **env},
    )
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def served_book(live_server, tmp_path):
    """The demo book on a live server, and the OpenAPI schema it publishes, written to a file."""
    call_command("load_demo_book", stdout=StringIO())
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/schema/?format=json", headers={"Accept-Language": "en"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        schema = json.load(response)
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(schema))
    return live_server.url, path


# What each script prints, a line per step.
STEPS = (
    "locales:",
    "table of contents (en):",
    "chapter in two languages:",
    "search (fr)",
    "whole book (en):",
)


def assert_every_step(output):
    read = output.strip().splitlines()
    assert len(read) == len(STEPS), output
    assert all(line.startswith(step) for line, step in zip(read, STEPS, strict=True)), output
    print(output)


def test_python_client_reads_the_book(served_book, tmp_path):
    if importlib.util.find_spec("openapi_python_client") is None:
        pytest.skip("openapi-python-client is not installed: pip install -r requirements-dev.txt.")
    url, schema = served_book
    package = tmp_path / "generated" / "book_api_client"
    run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", schema]
        + ["--output-path", package, "--meta", "none"],
        cwd=tmp_path,
    )
    path = os.pathsep.join(filter(None, [str(package.parent), os.environ.get("PYTHONPATH")]))
    assert_every_step(run([sys.executable, HERE / "read_book.py", url], cwd=tmp_path, PYTHONPATH=path))


def test_typescript_client_reads_the_book(served_book, tmp_path):
    tools = [TOOLS / name for name in ("openapi-typescript", "tsc", "tsx")]
    if shutil.which("node") is None or not all(tool.exists() for tool in tools):
        pytest.skip("npm tools missing (openapi-typescript, typescript, tsx): make install-dev.")
    generator, compiler, runner = tools
    url, schema = served_book
    shutil.copy(HERE / "read_book.ts", tmp_path / "read_book.ts")
    run([generator, schema, "--output", tmp_path / "schema.d.ts"], cwd=tmp_path)
    run(
        [compiler, "--noEmit", "--strict", "--target", "es2022", "--module", "esnext"]
        + ["--moduleResolution", "bundler", "--lib", "es2022,dom", "read_book.ts", "schema.d.ts"],
        cwd=tmp_path,
    )
    assert_every_step(run([runner, "read_book.ts", url], cwd=tmp_path))
