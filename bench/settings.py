"""Settings of the API benchmark: the test settings, with the baselines mounted beside the API.

Only ``bench/api.py`` uses them. The cache is always the process's own memory,
so that the benchmark may empty it between requests without touching a shared
Redis; throttling is off, or the benchmark would measure 429s.
"""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
API_THROTTLE_RATE = ""
WAGTAILAPI_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
