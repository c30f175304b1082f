"""The production stack as `make serve` runs it: migrate, collectstatic, then gunicorn on production settings."""

import json

import pytest

from .servers import Gunicorn, manage, production_env, wait_until


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A migrated database and collected static files, in a directory of their own."""
    root = tmp_path_factory.mktemp("deployment")
    env = production_env(
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(root / "static"),
    )
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    return root, env


@pytest.fixture(scope="module")
def server(deployment):
    root, env = deployment
    with Gunicorn(env, root) as gunicorn:
        yield gunicorn


def hashed_name(deployment, name):
    root, _env = deployment
    manifest = json.loads((root / "static" / "staticfiles.json").read_text())
    return manifest["paths"][name]


def test_health_check_answers_the_load_balancer(server):
    status, headers, body = server.get("/healthz", host="10.0.0.7", https=False)
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert headers["Cache-Control"] == "no-store"


def test_hashed_static_file_is_cached_for_a_long_time(server, deployment):
    name = hashed_name(deployment, "wagtailadmin/css/core.css")
    assert name != "wagtailadmin/css/core.css"
    status, headers, body = server.get(f"/static/{name}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]
    assert body


def test_api_answers_over_https_for_an_allowed_host(server):
    status, headers, body = server.get("/api/v1/locales/")
    assert status == 200
    assert [locale["code"] for locale in json.loads(body)["results"]] == ["fr"]
    assert "max-age=" in headers["Cache-Control"]
    assert "preload" in headers["Strict-Transport-Security"]


def test_plain_http_is_redirected_and_unknown_hosts_refused(server):
    status, headers, _body = server.get("/api/v1/locales/", https=False)
    assert status == 301
    assert headers["Location"] == "https://book.example.org/api/v1/locales/"
    assert server.get("/api/v1/locales/", host="10.0.0.7")[0] == 400


def test_requests_are_logged_to_standard_output(server):
    server.get("/api/v1/locales/?from=access-log")
    # The access log line is written just after the response.
    wait_until(
        lambda: "GET /api/v1/locales/?from=access-log" in server.output(), "the access log line", attempts=50
    )


def test_unreachable_database_fails_the_health_check(deployment):
    root, env = deployment
    missing = root / "missing" / "db.sqlite3"
    with Gunicorn({**env, "DATABASE_URL": f"sqlite:///{missing}"}, root) as gunicorn:
        status, headers, body = gunicorn.get("/healthz", host="10.0.0.7", https=False)
    assert status == 503
    assert json.loads(body) == {"status": "error", "database": "error", "cache": "ok"}
    assert headers["Cache-Control"] == "no-store"
