"""Local development: the embedded defaults (SQLite, local memory cache, files under media/)."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool, env_list

DEBUG = True
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# E-mails (notifications, password resets) are written as files, one per message, not sent
# nor printed among the server's requests; `make run` says where.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", True)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _local_secret_key(path=BASE_DIR / ".secret_key"):
    """A key generated once per checkout, kept out of version control and readable by its owner only."""
    from cms.private_files import read_private, write_private

    key = (read_private(path) or "").strip()
    if not key:
        key = get_random_secret_key()
        write_private(path, key)
    return key


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
