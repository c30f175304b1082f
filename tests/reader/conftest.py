"""The reader runs in a process of its own, on its own settings, against a live CMS serving the demo book.

Between the two sits a small HTTP relay that records every request the reader
makes to the API (path, ``If-None-Match``, status) and can be told to answer
with an error instead, or to change a document on its way.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import override_settings, setup_databases, teardown_databases
from pytest_django.live_server_helper import LiveServer

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ApiRelay:
    """An HTTP relay in front of the API that keeps a log of what went through it."""

    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.log = []
        self.fail_with = None
        self.rewrite = None
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                relay.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/"

    def handle(self, request):
        if self.fail_with:
            body = json.dumps({"error": {"message": "broken on purpose", "code": "error"}}).encode()
            self.log.append((request.path, request.headers.get("If-None-Match"), self.fail_with))
            self.reply(request, self.fail_with, {"Content-Type": "application/json"}, body)
            return
        headers = {
            name: request.headers[name]
            for name in ("Accept", "Accept-Language", "If-None-Match")
            if name in request.headers
        }
        answer = requests.get(self.upstream + request.path, headers=headers, timeout=30)
        body = answer.content
        out = {name: answer.headers[name] for name in ("Content-Type", "ETag") if name in answer.headers}
        if self.rewrite and answer.status_code == 200:
            document = self.rewrite(urlsplit(request.path).path, answer.json())
            if document is not None:
                body = json.dumps(document).encode()
                out.pop("ETag", None)
        self.log.append((request.path, request.headers.get("If-None-Match"), answer.status_code))
        self.reply(request, answer.status_code, out, body)

    @staticmethod
    def reply(request, status, headers, body):
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Reader:
    """The reader's own process, serving on a free port."""

    def __init__(self, api_url):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Nothing of the CMS's environment reaches it but what any deployment passes.
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "READER_"))}
        env.update(READER_API_URL=api_url, READER_API_TIMEOUT="5", PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reader",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The reader did not start:\n{self.process.stdout.read()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError("The reader did not start listening in time.")

    def get(self, path, **kwargs):
        return requests.get(self.url + path, timeout=30, **kwargs)

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="package")
def demo_cms(django_db_setup, django_db_blocker, tmp_path_factory):
    """The CMS serving the demo book (French, and the English it translates) on a live server.

    Loading the demo book takes long, so the reader's tests share one; the
    database goes back to what it held before (as a serialized rollback does)
    once they are done. A test that changes the book puts it back. The server
    is started here rather than through pytest-django's ``live_server``, which
    would empty the database after each test.
    """
    with django_db_blocker.unblock():
        # pytest-django sets the test database up only for tests that ask for one
        # of its own database fixtures; these do not (those would empty it after
        # each test), so when the run holds no such test it is set up here.
        created = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            created = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        from wagtail.models import Page

        if not Page.objects.filter(depth=1).exists():
            # Emptied by a transactional test (the admin's browser tests run before these):
            # what migrations created comes back from the copy kept for serialized rollbacks.
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        before = connection.creation.serialize_db_to_string()
        media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("reader-media"))
        media.enable()
        server = LiveServer("localhost")
        try:
            call_command("load_demo_book", stdout=StringIO())
            # The tests' own media settings (tests/conftest.py) give way to those the book was loaded with.
            server.media = {"MEDIA_ROOT": django_settings.MEDIA_ROOT, "STORAGES": django_settings.STORAGES}
            yield server
        finally:
            media.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            if created:
                teardown_databases(created, verbosity=0)


@pytest.fixture
def cms(demo_cms, django_db_blocker, settings):
    """The live CMS with the demo book and its images; the test and the server may use the database."""
    for name, value in demo_cms.media.items():
        setattr(settings, name, value)
    with django_db_blocker.unblock():
        yield demo_cms


@pytest.fixture
def relay(cms):
    relay = ApiRelay(cms.url)
    yield relay
    relay.close()


@pytest.fixture
def reader(relay):
    """The reader, reading the demo book through the relay."""
    server = Reader(relay.url)
    yield server
    server.close()


@pytest.fixture
def start_reader():
    """Start readers on any API address (an unreachable one, say)."""
    started = []

    def start(api_url):
        server = Reader(api_url)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
