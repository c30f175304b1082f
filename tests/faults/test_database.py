"""PostgreSQL drops the app server's connections under load: at most the requests under way fail.

The API is served by gunicorn on production settings, whose connections persist
between requests (``CONN_MAX_AGE``) and are checked before reuse
(``CONN_HEALTH_CHECKS``): once PostgreSQL has ended them, the next request on each
connection reconnects instead of failing.
"""

import threading
import time
from urllib.parse import quote

import pytest
from django.db import connection

from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory
from tests.production.servers import Gunicorn, production_env, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="ends PostgreSQL backends with pg_terminate_backend; set DATABASE_URL to a PostgreSQL database",
    ),
    # The server process only sees committed data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KILLS = 3
PATHS = ["/api/v1/chapters/", "/api/v1/chapters/tenir/", "/api/v1/chapters/lacher/"]


def database_url():
    """The test database, as a URL another process can connect with."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def terminate_other_connections():
    """Ends every other connection to the test database; returns the ids of the backends ended."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
        cursor.execute("SELECT pid, pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])
        return [pid for pid, ended in cursor.fetchall() if ended]


def still_connected(pids):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
        return cursor.fetchone()[0]


class Load:
    """Requests one after another from a thread, each recorded as (started, finished, status)."""

    def __init__(self, server):
        self.server = server
        self.done = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        number = 0
        while not self.stopping.is_set():
            path = PATHS[number % len(PATHS)]
            number += 1
            started = time.monotonic()
            try:
                status = self.server.get(path)[0]
            except OSError as error:
                status = repr(error)
            self.done.append((started, time.monotonic(), status, path))

    def started_after(self, moment):
        return [request for request in self.done if request[0] > moment]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=60)


@pytest.fixture
def published_book():
    book = BookPageFactory(title="IA et création", slug="ia-et-creation")
    part = PartPageFactory(parent=book, title="Pratiques", slug="pratiques")
    for title, slug in [("Tenir", "tenir"), ("Lâcher", "lacher")]:
        ChapterPageFactory(
            parent=part, title=title, slug=slug, body=[("paragraph", f"<p>{title}, en quelques mots.</p>")]
        )
    return book


@pytest.fixture
def server(published_book, tmp_path):
    env = production_env(
        DATABASE_URL=database_url(),
        # Every request reaches the database rather than the response cache, and
        # none is throttled.
        API_CACHE_TIMEOUT="0",
        API_THROTTLE_RATE="",
        GUNICORN_THREADS="2",
    )
    with Gunicorn(env, tmp_path) as gunicorn:
        yield gunicorn


def test_connections_ended_under_load_fail_at_most_the_requests_under_way(server):
    assert server.get(PATHS[1])[0] == 200
    windows = []
    with Load(server) as load:
        for _kill in range(KILLS):
            count = len(load.done)
            wait_until(lambda count=count: len(load.done) >= count + 5, "requests before the kill")
            began = time.monotonic()
            ended = terminate_other_connections()
            # pg_terminate_backend only signals: the backends are gone when they leave pg_stat_activity.
            wait_until(lambda ended=ended: not still_connected(ended), "the backends to end")
            over = time.monotonic()
            windows.append((began, over, ended))
            wait_until(lambda over=over: len(load.started_after(over)) >= 10, "requests after the kill")

    assert all(ended for _began, _over, ended in windows), "the server kept no connection open to end"
    failures = [request for request in load.done if request[2] != 200]
    in_flight = [
        request
        for request in load.done
        if any(request[0] < over and request[1] > began for began, over, _ended in windows)
    ]
    assert all(failure in in_flight for failure in failures), (failures, server.output()[-3000:])
    assert len(failures) <= len(in_flight)
    for (_began, over, _ended), (next_began, _next_over, _next) in zip(
        windows, [*windows[1:], (float("inf"), None, None)], strict=True
    ):
        after = [request for request in load.started_after(over) if request[1] < next_began]
        assert len(after) >= 10
        assert all(request[2] == 200 for request in after), (after, server.output()[-3000:])
    assert load.done[-1][2] == 200
