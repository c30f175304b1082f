"""Production settings: what they insist on, what Django's deployment check says, how they log."""

import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings

from cms.logging import JsonFormatter

from .servers import BASE_DIR, production_env


def production_python(code, **env):
    """Run ``code`` after django.setup() under cms.settings.production; its stdout."""
    script = f"import django\ndjango.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def production_check(**env):
    """``manage.py check`` under cms.settings.production; its completed process."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = production_check(**{variable: None})
    assert result.returncode != 0
    assert f"The environment variable {variable} must be set" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "book.example.org,*"])
def test_production_refuses_any_host(hosts):
    result = production_check(DJANGO_ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must name the site's hosts" in result.stderr


@pytest.mark.parametrize("url", ["book.example.org", "ftp://book.example.org", "https://"])
def test_production_refuses_a_base_url_that_is_not_absolute(url):
    result = production_check(WAGTAILADMIN_BASE_URL=url)
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be the site's absolute URL" in result.stderr


def test_production_refuses_a_cache_of_each_process_its_own():
    result = production_check(DJANGO_CACHE_DIR=None)
    assert result.returncode != 0
    assert "Production needs a cache shared by every app server: set REDIS_URL" in result.stderr


def test_production_builds_public_urls_from_the_base_url():
    result = production_python(
        "from django.conf import settings as s\n"
        "print(s.WAGTAILADMIN_BASE_URL, s.API_PUBLIC_BASE_URL, s.CACHES['default']['BACKEND'])",
        WAGTAILADMIN_BASE_URL="https://book.example.org/",
    )
    assert result.stdout.split() == [
        "https://book.example.org",
        "https://book.example.org",
        "cms.cache.SharedFileCache",
    ]


def test_deployment_check_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_production_is_secure_behind_a_proxy():
    result = production_python(
        "from django.conf import settings as s\n"
        "import json\n"
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, list(s.SECURE_PROXY_SSL_HEADER),"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.STORAGES['staticfiles']['BACKEND']]))"
    )
    assert json.loads(result.stdout) == [
        False,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        True,
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


@pytest.mark.parametrize(("configured", "expected"), [(None, 60), ("0", 0), ("300", 300)])
def test_production_keeps_database_connections_open(configured, expected):
    result = production_python(
        "from django.conf import settings as s\n"
        "d = s.DATABASES['default']\n"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DATABASE_CONN_MAX_AGE=configured,
    )
    assert result.stdout.split() == [str(expected), "True"]


def test_production_logs_one_json_object_per_line():
    result = production_python(
        "import logging\n"
        "logging.getLogger('book.example').warning('Chapter %s is late', 'twelve')\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('book.example').exception('Could not count')\n"
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "book.example", "Chapter twelve is late"),
        ("ERROR", "book.example", "Could not count"),
    ]
    assert "exception" not in lines[0]
    assert "ZeroDivisionError: division by zero" in lines[1]["exception"]
    assert all(line["time"].endswith("+00:00") for line in lines)


def test_json_formatter_keeps_a_multiline_message_on_one_line():
    record = logging.LogRecord("book", logging.INFO, __file__, 1, "first\nsecond «%s»", ("quoted",), None)
    output = JsonFormatter().format(record)
    assert "\n" not in output
    entry = json.loads(output)
    assert entry["message"] == "first\nsecond «quoted»"
    assert set(entry) == {"time", "level", "logger", "message"}


def test_static_files_and_health_check_come_first():
    middleware = settings.MIDDLEWARE
    assert middleware[0] == "cms.health.HealthCheckMiddleware"
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.mark.parametrize(("configured", "served"), [(None, False), ("false", False), ("true", True)])
def test_django_admin_is_served_in_production_only_when_enabled(configured, served):
    result = production_python(
        "from django.urls import Resolver404, resolve\n"
        "for path in ('/django-admin/', '/django-admin/login/'):\n"
        "    try:\n"
        "        match = resolve(path)\n"
        "    except Resolver404:\n"
        "        print('absent')\n"
        "    else:\n"
        "        print('served' if match.namespace == 'admin' else match.url_name)\n",
        DJANGO_ADMIN_ENABLED=configured,
    )
    # Without it, the path is left to Wagtail's page serving, which knows no such page.
    expected = "served" if served else "wagtail_serve"
    assert result.stdout.split() == [expected, expected]


def test_password_guessing_is_watched_in_production():
    result = production_python(
        "from django.conf import settings as s\n"
        "print(s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1], s.AXES_FAILURE_LIMIT,"
        " int(s.AXES_COOLOFF_TIME.total_seconds()), s.LOGIN_NUM_PROXIES)",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_LOCKOUT_MINUTES="30",
    )
    assert result.stdout.split() == [
        "axes.backends.AxesStandaloneBackend",
        "axes.middleware.AxesMiddleware",
        "8",
        "1800",
        "0",
    ]
