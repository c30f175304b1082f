"""``make loadtest``: the production stack under concurrent readers.

Builds a generated book (``generate_book``) and the demo book in a throwaway
PostgreSQL database on the server of ``DATABASE_URL``, empties the Redis
database of ``REDIS_URL``, starts gunicorn with ``cms/gunicorn.conf.py`` on the
production settings and a free loopback port, then drives it from a separate
process: ``LOADTEST_CLIENTS`` clients, each on a keep-alive connection, for
``LOADTEST_SECONDS`` seconds, asking for a mix of chapter list pages, chapter
details in several languages, searches for words of the book and conditional
requests (``If-None-Match``, answered 304).

Prints requests per second and the 50th, 95th and 99th percentile latencies
per kind of request and overall, and the errors (any answer other than 2xx or
304, or a failed connection); exits with status 1 if there was any. gunicorn is
stopped and the database dropped at the end.

Environment: ``DATABASE_URL`` (default ``postgres://root@127.0.0.1:5432/test``:
only its server is used), ``REDIS_URL`` (default ``redis://127.0.0.1:6379/13``,
flushed), ``LOADTEST_SECONDS`` (30), ``LOADTEST_CLIENTS`` (8),
``LOADTEST_CHAPTERS`` (200), ``WEB_CONCURRENCY`` (gunicorn workers, 3).
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
HOST = "127.0.0.1"
# How often each kind of request is made, out of the total.
MIX = {"chapter list": 25, "chapter detail": 40, "search": 15, "conditional": 20}
# The failures of a kept-alive connection that the server closed between two
# requests (a worker replaced after GUNICORN_MAX_REQUESTS): a client sends again.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def build(chapters):
    """Migrate, generate the book and load the demo; return the plan of requests the clients make."""
    from io import StringIO

    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("generate_book", chapters=chapters, stdout=StringIO())
    call_command("load_demo_book", stdout=StringIO())
    call_command("load_demo_translations", stdout=StringIO())
    print(f"# built {chapters} generated chapters and the demo book in {time.monotonic() - started:.0f} s")
    return plan()


def plan():
    from django.conf import settings
    from wagtail.models import Locale

    from book.models import ChapterPage

    source = settings.LANGUAGE_CODE
    live = ChapterPage.objects.live()
    keys = [
        str(key)
        for key in live.filter(locale__language_code=source).values_list("translation_key", flat=True)
    ]
    locales = list(Locale.objects.order_by("pk").values_list("language_code", flat=True))
    words = sorted(
        {
            word.strip(".,:;«»?!’'\"()").lower()
            for title in live.values_list("title", flat=True)
            for word in title.split()
            if len(word) >= 6
        }
    )
    list_pages = max(1, -(-len(keys) // settings.API_PAGE_SIZE))
    return {
        # Lists hold what is published in their language: every page of the
        # source language's, the first of the others'.
        "chapter list": [
            "/api/v1/chapters/?" + urlencode({"locale": code, "page": page})
            for code in locales
            for page in range(1, (list_pages if code == source else 1) + 1)
        ],
        "chapter detail": [f"/api/v1/chapters/{key}/?locale={code}" for key in keys for code in locales],
        "search": ["/api/v1/search/?" + urlencode({"q": word, "locale": source}) for word in words[:200]],
        # Revalidated with the ETag each URL had before the clock started.
        "conditional": [f"/api/v1/chapters/{key}/?locale={source}" for key in keys[:50]]
        + [f"/api/v1/chapters/?locale={source}&page={page}" for page in range(1, min(list_pages, 5) + 1)],
    }


def server_env(database_url, redis_url, work):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.loadtest_settings",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        WAGTAILADMIN_BASE_URL=f"http://{HOST}",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(work / "static"),
        # Publishing the demo translations notifies reviewers; there is no mail server here.
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOADTEST_MEDIA_ROOT=str(work / "media"),
        API_THROTTLE_RATE="",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        WEB_CONCURRENCY=str(_int("WEB_CONCURRENCY", 3)),
        HOST=HOST,
        PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    (work / "static").mkdir(exist_ok=True)
    return env


def healthy(port):
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def gunicorn(env, log_path):
    """gunicorn as ``make serve`` runs it, until it answers its health check; stopped afterwards."""
    port = int(env["PORT"])
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "cms/gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"loadtest: gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Client(threading.Thread):
    """One reader on one keep-alive connection, making requests of the mix until the deadline."""

    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept": "application/json"}

    def __init__(self, number, port, plan, deadline, etags):
        super().__init__(daemon=True)
        self.port = port
        self.plan = plan
        self.deadline = deadline
        self.random = random.Random(number)
        self.connection = None
        self.used = False
        self.latencies = defaultdict(list)
        self.statuses = Counter()
        self.errors = Counter()
        self.reconnects = 0
        self.etags = dict(etags)

    def connect(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        self.used = False

    def send(self, url, headers):
        try:
            self.connection.request("GET", url, headers={**self.headers, **headers})
            response = self.connection.getresponse()
        except STALE_CONNECTION:
            if not self.used:
                raise
            self.reconnects += 1
            self.connect()
            self.connection.request("GET", url, headers={**self.headers, **headers})
            response = self.connection.getresponse()
        body = response.read()
        self.used = True
        if response.will_close:
            self.connect()
        return response, body

    def request(self, kind):
        url = self.random.choice(self.plan[kind])
        headers = {}
        if kind == "conditional" and url in self.etags:
            headers["If-None-Match"] = self.etags[url]
        started = time.perf_counter()
        try:
            response, _body = self.send(url, headers)
        except (OSError, http.client.HTTPException) as error:
            self.errors[f"{type(error).__name__} on {url}"] += 1
            self.connect()
            return
        self.latencies[kind].append((time.perf_counter() - started) * 1000)
        self.statuses[response.status] += 1
        if not (200 <= response.status < 300 or response.status == 304):
            self.errors[f"{response.status} on {url}"] += 1
        elif kind == "conditional" and response.status == 200:
            self.etags[url] = response.getheader("ETag")

    def run(self):
        kinds = list(MIX)
        weights = list(MIX.values())
        self.connect()
        while time.monotonic() < self.deadline:
            self.request(self.random.choices(kinds, weights)[0])
        self.connection.close()


def percentile(ordered, fraction):
    """The nearest-rank percentile of a sorted list."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def drive(port, plan_path, seconds, clients):
    """The load itself, in a process of its own: print the figures, return the number of errors."""
    plan = json.loads(Path(plan_path).read_text())
    etags = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    for url in plan["conditional"]:
        connection.request("GET", url, headers=Client.headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200 or not response.getheader("ETag"):
            raise SystemExit(f"loadtest: GET {url} answered {response.status} without an ETag")
        etags[url] = response.getheader("ETag")
    connection.close()
    started = time.monotonic()
    threads = [Client(number, port, plan, started + seconds, etags) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    latencies = defaultdict(list)
    statuses, errors, reconnects = Counter(), Counter(), 0
    for thread in threads:
        for kind, values in thread.latencies.items():
            latencies[kind].extend(values)
        statuses.update(thread.statuses)
        errors.update(thread.errors)
        reconnects += thread.reconnects
    latencies["overall"] = [value for kind in MIX for value in latencies[kind]]

    print(f"# {clients} clients for {elapsed:.1f} s against gunicorn on {HOST}:{port}")
    print(f"{'kind':<16}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind in [*MIX, "overall"]:
        ordered = sorted(latencies[kind])
        print(
            f"{kind:<16}{len(ordered):>10}{len(ordered) / elapsed:>10.1f}"
            + "".join(f"{percentile(ordered, fraction):>10.1f}" for fraction in (0.50, 0.95, 0.99))
        )
    print("# statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
    print(f"# kept-alive connections closed by the server and opened again: {reconnects}")
    total = sum(errors.values())
    print(f"# errors: {total}")
    for what, count in errors.most_common(10):
        print(f"#   {count} x {what}")
    return total


@contextmanager
def flushed_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drive", nargs=2, metavar=("PORT", "PLAN"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    seconds = float(os.environ.get("LOADTEST_SECONDS") or 30)
    clients = _int("LOADTEST_CLIENTS", 8)
    if arguments.drive:
        port, plan_path = arguments.drive
        sys.exit(1 if drive(int(port), plan_path, seconds, clients) else 0)

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from bench.database import scratch_database

    with (
        tempfile.TemporaryDirectory(prefix="book-loadtest-") as work,
        flushed_redis(os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL) as redis_url,
        scratch_database() as database_url,
    ):
        work = Path(work)
        env = server_env(database_url, redis_url, work)
        os.environ.update(env)
        import django

        django.setup()
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(build(_int("LOADTEST_CHAPTERS", 200))))
        from django.db import connections

        connections.close_all()
        with gunicorn(env, work / "gunicorn.log") as port:
            print(
                f"# gunicorn: {env['WEB_CONCURRENCY']} workers of {os.environ.get('GUNICORN_THREADS', '4')} threads"
            )
            sys.stdout.flush()
            driver = subprocess.run(
                [sys.executable, "-m", "bench.loadtest", "--drive", str(port), str(plan_path)], cwd=BASE_DIR
            )
        if driver.returncode:
            log = (work / "gunicorn.log").read_text().splitlines()
            print("\n".join(line for line in log if "error" in line.lower())[-5000:], file=sys.stderr)
    sys.exit(driver.returncode)


if __name__ == "__main__":
    main()
