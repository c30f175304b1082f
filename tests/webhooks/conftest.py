"""A real HTTP receiver on loopback, the real database worker that sends to it, and a resolver of test names."""

import signal
import socket
import ssl
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

MAX_ATTEMPTS = 4
# A public Internet address (example.com's), for names that must pass the address check; nothing connects to it.
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    # Retries fall due at once, so that one run of the worker sees a delivery to its end.
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = MAX_ATTEMPTS
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    return settings


@pytest.fixture
def private_addresses_allowed(settings):
    """Deliveries may go to loopback, where the tests' receivers listen (off by default, as in production)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    return settings


@pytest.fixture
def dns(monkeypatch):
    """Names resolved without the network: ``dns.names[name]`` is an address, a list of them, or a function of
    the number of the call returning either (an empty list: the name does not exist); ``dns.calls[name]`` counts.
    A key starting with a dot (".example.org") answers for every name under it.

    Other names and address literals go to the system's resolver.
    """
    real_getaddrinfo = socket.getaddrinfo
    names = {}
    calls = {}

    def entry(name):
        if name in names:
            return name
        return next((key for key in names if key.startswith(".") and name.endswith(key)), None)

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        key = entry(name)
        if key is None:
            return real_getaddrinfo(host, port, family, type, proto, flags)
        calls[name] = calls.get(name, 0) + 1
        answer = names[key]
        answer = answer(calls[name]) if callable(answer) else answer
        answer = [answer] if isinstance(answer, str) else answer
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        results = []
        for address in answer:
            results += real_getaddrinfo(address, port, family, type or socket.SOCK_STREAM, proto, flags)
        return results

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return SimpleNamespace(names=names, calls=calls)


@contextmanager
def receiver(statuses=(), headers=None, tls=None):
    """An HTTP server on a free loopback port that keeps what it is sent and answers the given statuses, then 200.

    ``headers`` are added to every answer; ``tls`` is an SSL server context, whose
    handshakes record the name the client asked for (SNI) in ``server_names``.
    """
    received = []
    server_names = []
    script = list(statuses)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(SimpleNamespace(path=self.path, headers=self.headers, body=body))
            self.send_response(script.pop(0) if script else 200)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if tls is not None:
        tls.sni_callback = lambda sock, name, context: server_names.append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(
            url=f"{scheme}://127.0.0.1:{server.server_port}/hooks",
            port=server.server_port,
            received=received,
            server_names=server_names,
        )
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


def tls_certificate(directory, name):
    """A self-signed certificate for ``name``: the server's SSL context, and the file a client trusts it by."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / f"{name}.pem"
    key_file = directory / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, str(cert_file)
