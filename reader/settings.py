"""The reader's own settings: a web app without a database that reads the book over HTTP.

Nothing here is shared with the CMS's settings; it runs in a process of its own
(`DJANGO_SETTINGS_MODULE=reader.settings`). Everything comes from the environment.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.utils import get_random_secret_key


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent

# The public API the reader renders; the local CMS's by default.
READER_API_URL = os.environ.get("READER_API_URL", "http://127.0.0.1:8000/api/v1/")
if not READER_API_URL.endswith("/"):
    READER_API_URL += "/"
# Seconds to wait for the API before telling the reader it cannot be reached.
READER_API_TIMEOUT = float(os.environ.get("READER_API_TIMEOUT", "10"))

DEBUG = env_bool("READER_DEBUG")
# The reader signs nothing and keeps no session: a key made per process is enough.
SECRET_KEY = os.environ.get("READER_SECRET_KEY") or get_random_secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("READER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "reader",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reader.middleware.ReaderMiddleware",
]

ROOT_URLCONF = "reader.urls"
WSGI_APPLICATION = "reader.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"],
        },
    }
]

# No database: the book is read from the API only.
DATABASES = {}

# The ETags and bodies of the API's answers, to revalidate them (reader.api).
# Local memory by default; any Django cache backend can be configured.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("READER_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("READER_CACHE_LOCATION", "reader"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("READER_CACHE_MAX_ENTRIES", "2000"))},
    }
}

# The interface's own languages; a book language without a catalog reads the interface in English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
# Only for `collectstatic` in a deployment that serves static files itself.
STATIC_ROOT = os.environ.get("READER_STATIC_ROOT") or None
# Static files straight from the app's folder: no collectstatic step to serve the reader.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The origins that may show drafts in a frame (the CMS's admin, whose preview panel frames
# the reader's /preview/ pages): the API's own origin by default, others space-separated.
READER_PREVIEW_FRAME_ANCESTORS = os.environ.get(
    "READER_PREVIEW_FRAME_ANCESTORS", "{0.scheme}://{0.netloc}".format(urlsplit(READER_API_URL))
).split()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "reader": {"handlers": ["console"], "level": os.environ.get("READER_LOG_LEVEL", "WARNING")},
        # Errors of the reader's own pages, with their traceback, for whoever runs it (never the page).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
