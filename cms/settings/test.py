"""The test suite: the same settings as development, made fast and isolated."""

import os
import tempfile

from django.core.management.utils import get_random_secret_key

from .dev import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="book-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
