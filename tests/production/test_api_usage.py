"""Usage counted by several app processes, recorded by workers, is exact, and never doubled after the cache is lost.

gunicorn runs two workers (each its own memory) on the production settings;
requests with and without a key go to both; `manage.py run_worker --batch`,
two of them at once, records the counts. Then the shared cache loses
everything (Redis restarted without persistence, or the cache directory
emptied), more requests come, and the next worker records them too.
"""

import http.client
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .servers import ALLOWED_HOST, BASE_DIR, Gunicorn, RedisServer, manage, production_env

PUBLISH = """
from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory
book = BookPageFactory(title="IA et création", slug="ia-et-creation")
part = PartPageFactory(parent=book, title="Pratiques", slug="pratiques")
ChapterPageFactory(parent=part, title="Tenir", slug="tenir", body=[("paragraph", "<p>Tenir.</p>")])
"""


@pytest.fixture(scope="module")
def published_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("published") / "db.sqlite3"
    env = production_env(DATABASE_URL=f"sqlite:///{path}")
    manage("migrate", "--noinput", env=env)
    manage("shell", "--command", PUBLISH, env=env)
    return path


@pytest.fixture
def redis_server():
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["cache directory", "redis"])
def deployment(request, tmp_path, published_database):
    """The production settings on a copy of the database; and how to make the shared cache lose everything."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(published_database, database)
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        cache = {"REDIS_URL": server.url, "DJANGO_CACHE_DIR": None}

        def lose_cache():
            # A restart of a Redis without persistence: everything it held is gone.
            server.stop()
            server.start()

    else:
        directory = tmp_path / "cache"
        cache = {"DJANGO_CACHE_DIR": str(directory)}

        def lose_cache():
            shutil.rmtree(directory, ignore_errors=True)

    env = production_env(DATABASE_URL=f"sqlite:///{database}", API_THROTTLE_RATE="", **cache)
    return env, database, lose_cache


def get(server, path, **headers):
    # A loaded machine may take long over the first request of each worker.
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=180)
    try:
        connection.request(
            "GET", path, headers={"Host": ALLOWED_HOST, "X-Forwarded-Proto": "https", **headers}
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("ETag")
    finally:
        connection.close()


def record_usage(env, workers=2):
    """``workers`` workers at once, each recording the usage once (``run_worker --batch``)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _worker in range(workers)
    ]
    for process in processes:
        output, _nothing = process.communicate(timeout=300)
        assert process.returncode == 0, output


def recorded(database):
    with sqlite3.connect(f"file:{Path(database)}?mode=ro", uri=True, timeout=20) as db:
        rows = db.execute(
            "SELECT COALESCE(s.name, ''), SUM(u.requests), SUM(u.not_modified) "
            "FROM api_apiusage u LEFT JOIN api_apisite s ON s.id = u.site_id GROUP BY s.name"
        ).fetchall()
    return {name: (requests, not_modified) for name, requests, not_modified in rows}


def test_usage_from_several_processes_is_exact_and_survives_a_lost_cache(deployment, tmp_path):
    env, database, lose_cache = deployment
    key = manage("api_key", "create", "Ville de Lyon", "--quota", "100000", env=env).stdout.strip()
    bearer = {"Authorization": f"Bearer {key}"}
    with Gunicorn(env, tmp_path, workers=2) as server:
        statuses = [get(server, "/api/v1/sectors/")[0] for _request in range(30)]
        statuses += [get(server, "/api/v1/chapters/tenir/", **bearer)[0] for _request in range(20)]
        etag = get(server, "/api/v1/chapters/", **bearer)[1]
        statuses += [
            get(server, "/api/v1/chapters/", **bearer, **{"If-None-Match": etag})[0] for _request in range(8)
        ]
        assert statuses == [200] * 50 + [304] * 8

        record_usage(env)
        assert recorded(database) == {"": (30, 0), "Ville de Lyon": (21, 8)}
        record_usage(env, workers=1)
        assert recorded(database) == {"": (30, 0), "Ville de Lyon": (21, 8)}, "recorded twice"

        lose_cache()
        statuses = [get(server, "/api/v1/sectors/")[0] for _request in range(4)]
        statuses += [get(server, "/api/v1/chapters/tenir/", **bearer)[0] for _request in range(3)]
        assert statuses == [200] * 7
        record_usage(env)
        assert recorded(database) == {"": (34, 0), "Ville de Lyon": (24, 8)}
