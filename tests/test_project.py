"""The project as a whole: Django's checks, migrations, settings driven by the environment."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_checks_pass():
    call_command("check", fail_level="WARNING", stdout=StringIO())


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_database_follows_database_url():
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"


def test_cache_follows_redis_url():
    backend = settings.CACHES["default"]["BACKEND"]
    # On Redis, the project's own backend: Django's, reading an unreachable Redis as empty (cms.cache).
    expected = "cms.cache.TolerantRedisCache" if os.environ.get("REDIS_URL") else "locmem.LocMemCache"
    assert backend.endswith(expected)
    cache.set("project-test-key", {"ok": 1}, 5)
    assert cache.get("project-test-key") == {"ok": 1}
    cache.delete("project-test-key")


def _import_settings(module, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings("cms.settings.production", DJANGO_ALLOWED_HOSTS="book.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_settings("cms.settings.production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_its_variables_and_is_not_in_debug(tmp_path):
    result = _import_settings(
        "cms.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="book.example.org",
        WAGTAILADMIN_BASE_URL="https://book.example.org",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_secret_key_is_written_in_the_shared_settings():
    base = (ROOT / "cms" / "settings" / "base.py").read_text()
    assert 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")' in base


def _machine_translator_setting(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEEPL_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="cms.settings.test")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; from django.conf import settings; django.setup(); "
            "print(json.dumps(getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)))",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_machine_translation_is_offered_only_with_a_deepl_key():
    assert _machine_translator_setting() == "null"
    assert _machine_translator_setting(DEEPL_API_KEY=" ") == "null"
    configured = _machine_translator_setting(DEEPL_API_KEY="key:fx", DEEPL_API_URL="http://127.0.0.1:9")
    assert '"CLASS": "cms.machine_translation.ConfigurableDeepLTranslator"' in configured
    assert '"AUTH_KEY": "key:fx"' in configured and '"API_URL": "http://127.0.0.1:9"' in configured
