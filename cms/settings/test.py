"""The test suite: the same settings as development, made fast and isolated."""

import os
import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .dev import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="book-test-media-")
# Tests create demo users and admins: their passwords never replace the checkout's own.
LOCAL_CREDENTIALS_DIR = Path(tempfile.mkdtemp(prefix="book-test-credentials-"))
WAGTAILADMIN_BASE_URL = "http://testserver"
# The whole suite comes from one address; throttling tests set their own rate.
API_THROTTLE_RATE = "100000/min"

# Each test process keeps its own cache in memory, emptied before every test
# (tests/conftest.py): fast, and no test sees another's responses. Tests of
# several processes give their servers a cache directory or a Redis of their own.
# Like Redis, it never drops an entry to make room (Django's default keeps 300):
# a test that builds a book of hundreds of items measures what a live site does.
if not CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "book",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

# Test workers (pytest-xdist) running side by side must not share a cache: on
# Redis each worker takes the database after the configured one (gw0 +0, gw1 +1...).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and CACHES["default"]["BACKEND"].endswith("RedisCache"):
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(CACHES["default"]["LOCATION"])
    _db = int(_url.path.lstrip("/") or 0) + int(_worker[2:])
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))
