"""A real HTTP receiver on loopback, and the real database worker that sends to it."""

import signal
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

MAX_ATTEMPTS = 4


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    # Retries fall due at once, so that one run of the worker sees a delivery to its end.
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = MAX_ATTEMPTS
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    return settings


@contextmanager
def receiver(statuses=()):
    """An HTTP server on a free loopback port that keeps what it is sent and answers the given statuses, then 200."""
    received = []
    script = list(statuses)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(SimpleNamespace(path=self.path, headers=self.headers, body=body))
            self.send_response(script.pop(0) if script else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}/hooks", received=received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def closed_port_url():
    """A loopback URL where nothing listens: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


def run_worker():
    """The worker as it runs in production, in batch mode: every due task, then exit."""
    watched = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {signum: signal.getsignal(signum) for signum in watched}
    try:
        call_command(
            "db_worker",
            "--backend",
            "webhooks",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
            stdout=StringIO(),
        )
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def staff_client(client, django_user_model, role):
    """The test client signed in as a member of the role's group, reading the admin in English."""
    from wagtail.users.models import UserProfile

    from cms.roles import apply_role

    group = apply_role(role).group
    user = django_user_model.objects.create_user(f"user-{group.pk}", f"user-{group.pk}@example.org", "x")
    user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client
