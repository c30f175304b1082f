"""Production: everything comes from the environment, and what is missing stops start-up."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set when running with cms.settings.production."
        )
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts: '*' would accept any Host header, "
        "and the links built from it, in production."
    )

# The change feed, webhooks, CDN purges and emails write absolute URLs from it.
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL").rstrip("/")
_base_url = urlsplit(WAGTAILADMIN_BASE_URL)
if _base_url.scheme not in {"http", "https"} or not _base_url.hostname:
    raise ImproperlyConfigured(
        f"WAGTAILADMIN_BASE_URL must be the site's absolute URL, such as https://book.example.org, "
        f"not {WAGTAILADMIN_BASE_URL!r}."
    )
API_PUBLIC_BASE_URL = os.environ.get("API_PUBLIC_BASE_URL") or WAGTAILADMIN_BASE_URL

# Every app server must see the same cache: the API's cached responses and
# ETags hang on one content version kept there, and a server with a cache of
# its own would go on serving what another has unpublished.
if not os.environ.get("REDIS_URL") and not os.environ.get("DJANGO_CACHE_DIR"):
    raise ImproperlyConfigured(
        "Production needs a cache shared by every app server: set REDIS_URL (e.g. redis://host:6379/0), "
        "or, when all of them run on one machine, DJANGO_CACHE_DIR (a directory they can all write)."
    )
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Wagtail's preview panel shows the page in a frame of the admin, which needs
# SAMEORIGIN (base.py) rather than the DENY this check asks for.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Connections are kept between requests (checked before reuse) unless
# DATABASE_CONN_MAX_AGE says otherwise; 0 closes them after each request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files are served by the app (WhiteNoise), compressed and under hashed
# names that can be cached for ever; collectstatic writes them to DJANGO_STATIC_ROOT.
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or STATIC_ROOT
WHITENOISE_AUTOREFRESH = False

# One JSON object per line on standard error, for the platform's log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
