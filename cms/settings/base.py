"""Settings shared by every environment, safe for production on their own.

Everything that differs between deployments is read from the environment; a
feature switches on when its variable is present (``DATABASE_URL``,
``REDIS_URL``). ``dev.py`` and ``test.py`` relax these settings in a few lines;
``production.py`` insists on what production needs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "book",
    "cms",
    "cms.localization",
    "api.webhooks",
    "api",
    "editions",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # intcomma: the admin's large counts (words) grouped as the interface language groups digits.
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    # First: load balancers call /healthz by IP over plain HTTP.
    "cms.health.HealthCheckMiddleware",
    "api.http.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.csp.ContentSecurityPolicyMiddleware",
    # Sessions, users, messages and Django's choice of language are the admin's and the
    # site's, not the public API's (cms.site_only).
    "cms.site_only.SessionMiddleware",
    "cms.site_only.LocaleMiddleware",
    # The public API's messages and schema: Accept-Language, English by default (api.languages).
    "api.languages.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The API's keys, rate limit and usage counters, after the language of its error messages.
    "api.access.ApiAccessMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A repeated read of the API answered from the response cache before its URL is even
    # resolved: after the keys and the rate limit, which count it, and the headers every
    # response gets (api.http).
    "api.http.CachedAnswerMiddleware",
    "cms.site_only.AuthenticationMiddleware",
    # The links of the e-mails a request sends follow its address (cms.links).
    "cms.links.CurrentRequestMiddleware",
    "cms.site_only.MessageMiddleware",
    # Wagtail's redirects, for the site's addresses: not the API's (cms.site_only).
    "cms.site_only.RedirectMiddleware",
    "cms.middleware.IncompleteFormMiddleware",
    "cms.middleware.IncompleteTranslationApprovalMiddleware",
    # Last: turns a sign-in refused for too many failures into cms.security's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite under the project when DATABASE_URL is unset; PostgreSQL (psycopg 3)
# or anything dj-database-url understands when it is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# SQLite lets one connection write at a time, and the worker (manage.py run_worker)
# writes beside the web server. A transaction that read first and then wants to
# write cannot wait for another writer (SQLite answers "database is locked" at
# once), so transactions take the write lock when they begin, waiting for it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Everything in the cache can be rebuilt from the database: when Redis goes away
# the site keeps answering without it (cms.cache), so its timeouts are short.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.TolerantRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "book"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "1")),
                "retry_after": float(os.environ.get("REDIS_RETRY_AFTER", "5")),
            },
        }
    }
else:
    # Without Redis, files that every process of this machine shares: a page
    # unpublished in the admin, or by a command run in another terminal, is gone
    # from every server's answers at once. A process's own memory would keep
    # serving it until the response expired.
    # MAX_ENTRIES: once reached, a third of the entries, drawn at random, is
    # deleted; among them the tokens every API response is checked against, so
    # that a full cache drops more than its share. A book of 2,000 chapters in
    # 6 languages has 12,000 chapter details, each read by key and by slug, and
    # with its contributors, themes, cities, sectors, lists and their tokens about
    # 40,000 responses worth keeping; rate-limit and usage counters come and go
    # besides. 100,000 holds all that twice over, about 0.5 GB of compressed files
    # at most; SharedFileCache counts them every 1,000 writes, not before each.
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.SharedFileCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "book"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Password guessing (cms.security). django-axes counts failed sign-ins per
# account and per client address: after LOGIN_FAILURE_LIMIT failures, signing
# in is refused for LOGIN_LOCKOUT_MINUTES, even with the right password; editors
# lift a lockout in the admin, operators with `manage.py axes_reset`. The same
# limit and duration throttle the password forms of private pages and documents.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "cms.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# How many proxies of ours (load balancer...) append to X-Forwarded-For in front
# of the app; 0 trusts only REMOTE_ADDR, so that clients cannot forge their address.
LOGIN_NUM_PROXIES = int(os.environ.get("LOGIN_NUM_PROXIES", "0"))
# Django's own admin (/django-admin/) is for development; production serves it
# only when DJANGO_ADMIN_ENABLED is set. Staff work in the Wagtail admin.
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. French is the source language of the book; it is also the
# default interface language. Target languages come from the environment,
# the UNESCO working languages by default.
LANGUAGE_CODE = "fr"
BOOK_SOURCE_LANGUAGE = LANGUAGE_CODE
BOOK_TARGET_LANGUAGES = env_list("BOOK_TARGET_LANGUAGES", "en,es,ar,zh-hans,ru")

_LANGUAGE_NAMES = {
    "fr": _("French"),
    "en": _("English"),
    "es": _("Spanish"),
    "ar": _("Arabic"),
    "zh-hans": _("Simplified Chinese"),
    "ru": _("Russian"),
}


def _language_name(code):
    from django.conf.locale import LANG_INFO

    if code in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[code]
    return LANG_INFO.get(code, {}).get("name", code)


LANGUAGES = [(code, _language_name(code)) for code in [BOOK_SOURCE_LANGUAGE, *BOOK_TARGET_LANGUAGES]]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# A new translation stays a draft until a reviewer of its language publishes it;
# wagtail-localize would otherwise publish it at once when its source is live.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation in the translation editor, when a DeepL key is given (cms.machine_translation).
if os.environ.get("DEEPL_API_KEY", "").strip():
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "cms.machine_translation.ConfigurableDeepLTranslator",
        "OPTIONS": {
            "AUTH_KEY": os.environ["DEEPL_API_KEY"].strip(),
            "API_URL": os.environ.get("DEEPL_API_URL", "").strip(),
        },
    }
# Languages whose translations may be published before every segment is translated
# (the reviewers are shown how much is missing; the API marks it). None by default.
BOOK_PARTIAL_PUBLICATION_LANGUAGES = env_list("BOOK_PARTIAL_PUBLICATION_LANGUAGES", "")
# Largest zip (and largest file inside it) accepted by a whole-locale PO import.
BOOK_PO_IMPORT_MAX_BYTES = int(os.environ.get("BOOK_PO_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Manuscript import (book.manuscripts): the largest .docx, .md or .zip accepted, what
# its archive may unpack to (in all, and per entry as a multiple of its compressed
# size, against zip bombs), how many entries it may hold, the largest image inside,
# and how long an uploaded file waits in the cache between its preview and the confirmation.
BOOK_MANUSCRIPT_MAX_BYTES = int(os.environ.get("BOOK_MANUSCRIPT_MAX_BYTES", str(20 * 1024 * 1024)))
BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES = int(
    os.environ.get("BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024))
)
BOOK_MANUSCRIPT_MAX_RATIO = int(os.environ.get("BOOK_MANUSCRIPT_MAX_RATIO", "100"))
BOOK_MANUSCRIPT_MAX_ENTRIES = int(os.environ.get("BOOK_MANUSCRIPT_MAX_ENTRIES", "2000"))
BOOK_MANUSCRIPT_MAX_IMAGE_BYTES = int(
    os.environ.get("BOOK_MANUSCRIPT_MAX_IMAGE_BYTES", str(15 * 1024 * 1024))
)
BOOK_MANUSCRIPT_PREVIEW_SECONDS = int(os.environ.get("BOOK_MANUSCRIPT_PREVIEW_SECONDS", "3600"))
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalogs of the words the EPUB and PDF editions write themselves, in the languages the
# book is published in (the editions app's own locale folder, which Django loads as an app's).
EDITIONS_LOCALE_PATH = BASE_DIR / "editions" / "locale"
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
# WhiteNoise indexes STATIC_ROOT at start-up; until collectstatic has filled it
# (development, tests) it looks files up on each request instead.
WHITENOISE_AUTOREFRESH = not STATIC_ROOT.is_dir()
MEDIA_ROOT = BASE_DIR / "media"
# Where `make run` keeps the passwords it generates (.admin_password, .demo_password_*): the project root.
LOCAL_CREDENTIALS_DIR = BASE_DIR
MEDIA_URL = "/media/"
# Media on local files are the app's alone: it serves documents itself, after
# checking their collection's privacy (/documents/...).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Media on S3 (or any S3-compatible service) when AWS_STORAGE_BUCKET_NAME is set;
# MEDIA_ROOT otherwise. boto3 reads the credentials (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY) itself. Image URLs are plain public URLs that never
# expire, since API responses that carry them are cached for up to an hour: the
# bucket, or the CDN in AWS_S3_CUSTOM_DOMAIN, must allow public reads of images.
# Documents are streamed through the app, which checks collection privacy first.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or os.environ.get("AWS_DEFAULT_REGION"),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        },
    }
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
# End of media on S3.


def _media_origins():
    """Where images are read from when they are not on the site itself (S3, its CDN)."""
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        return []
    from urllib.parse import urlsplit

    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        return [f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN'].strip('/').split('/')[0]}"]
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        endpoint = urlsplit(os.environ["AWS_S3_ENDPOINT_URL"])
        # Path-style (endpoint/bucket/...) or virtual-hosted (bucket.endpoint/...) addresses.
        return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
    return ["https://*.amazonaws.com"]


# The reference reader (reader/): where editors preview drafts. READER_URL is its public
# address; a preview token (book.preview) lasts BOOK_PREVIEW_TOKEN_SECONDS.
READER_URL = os.environ.get("READER_URL", "http://127.0.0.1:8001/")
BOOK_PREVIEW_TOKEN_SECONDS = int(os.environ.get("BOOK_PREVIEW_TOKEN_SECONDS", "600"))


def _origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Content-Security-Policy (django-csp, cms.csp). The admin's policy: Wagtail's
# admin still needs inline scripts and styles, but nothing loads from elsewhere.
MEDIA_ORIGINS = _media_origins()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # The preview panel shows drafts in the reader.
        "frame-src": [SELF, _origin(READER_URL)],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The book's own pages (reading preview, draft view, preview panel) run no script at all.
BOOK_READING_CONTENT_SECURITY_POLICY = {
    "default-src": [NONE],
    "img-src": [SELF, "data:", *MEDIA_ORIGINS],
    "style-src": [SELF],
    "frame-ancestors": [SELF],
    "base-uri": [NONE],
    "form-action": [NONE],
}

# Complex page models exceed Django's default of 1,000 fields per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security: production defaults; dev.py and test.py relax them.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "book@localhost")

# Wagtail
WAGTAIL_SITE_NAME = "Intelligence artificielle et création"
# The admin's address, for the links of e-mails. Unset, they follow the address of the
# request that sends them (cms.links); this default only serves outside any request.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_MODERATION_ENABLED = True
# Staff avatars are the admin's own: no e-mail hash sent to Gravatar, no image from
# another origin (which the Content-Security-Policy refuses).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip", "epub"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Refuses unreadable images and SVG (which can carry scripts) with a form error.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.uploads.ImageForm"

# CDN in front of the API, purged on publish (api.cdn); off unless configured.
# API_PUBLIC_BASE_URL: the scheme and host the API's readers use, e.g. https://api.example.org
API_PUBLIC_BASE_URL = os.environ.get("API_PUBLIC_BASE_URL") or WAGTAILADMIN_BASE_URL
# FRONTEND_CACHE_PURGE_URL: a cache taking HTTP PURGE requests (Varnish, Fastly...),
# waited for FRONTEND_CACHE_TIMEOUT_SECONDS at most (purges are sent by the publishing request).
WAGTAILFRONTENDCACHE = {}
FRONTEND_CACHE_TIMEOUT_SECONDS = float(os.environ.get("FRONTEND_CACHE_TIMEOUT_SECONDS", "5"))
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "api.cdn.HTTPPurgeBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_API_TOKEN") and os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    }
# End of CDN purge.

# Rich text features offered to editors in every rich-text field of the book.
BOOK_RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript", "subscript"]

# Words per minute used to derive a chapter's reading time.
BOOK_READING_SPEED_WPM = int(os.environ.get("BOOK_READING_SPEED_WPM", "230"))

# Background tasks. Wagtail runs its own (search and reference indexes) on the
# "default" backend and expects them done at once; webhook deliveries are queued
# in the database and sent by `manage.py run_worker` (the "webhooks" backend).
# The search vectors PostgreSQL keeps for the API (api.models) are not data to dump or load.
DATABASE_ROUTERS = ["api.models.StoredVectorRouter"]

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# The backend `manage.py run_worker` runs: webhook deliveries (api.webhooks) are queued on it.
WORKER_TASK_BACKEND = "webhooks"
# Editions (editions/): a change queues a rebuild of its language's EPUB and PDF
# on the database task backend the worker runs, EDITIONS_REBUILD_DELAY seconds
# later, so that the changes made meanwhile share one build. A build still
# marked as running after EDITIONS_BUILD_TIMEOUT seconds is taken for one whose
# process died, and another may start.
EDITIONS_TASK_BACKEND = WORKER_TASK_BACKEND
EDITIONS_REBUILD_DELAY = float(os.environ.get("EDITIONS_REBUILD_DELAY", "60"))
EDITIONS_BUILD_TIMEOUT = float(os.environ.get("EDITIONS_BUILD_TIMEOUT", "1800"))
# Webhooks (api.webhooks): each delivery is tried up to WEBHOOK_MAX_ATTEMPTS
# times, waiting WEBHOOK_BACKOFF_SECONDS * 2**(attempt - 1) after each failure.
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("WEBHOOK_BACKOFF_SECONDS", "30"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Subscribers' hosts must resolve to public Internet addresses, checked when
# saved and again for each request (api.webhooks.outbound). True lets them be on
# loopback or a private network: for development only, since any editor could
# then make the servers probe their own network.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
# End of webhooks.

# The worker (manage.py run_worker) publishes and expires what editors scheduled
# every SCHEDULED_PUBLISHING_INTERVAL seconds (cms.scheduling): at most that late,
# plus the time the publication itself takes.
SCHEDULED_PUBLISHING_INTERVAL = float(os.environ.get("SCHEDULED_PUBLISHING_INTERVAL", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Public API (/api/v1/): anonymous, read-only JSON, one error shape.
# DRF serves the public API and also wagtail-localize's editor endpoints, which
# need DRF's defaults (session authentication, form parsers). The public API's
# own policies (anonymous, read-only JSON, throttled, one error shape) are set on
# its base view, api.views.ReaderMixin, not here.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.openapi.PublicAutoSchema",
    # How many proxies of ours (load balancer, CDN) append to X-Forwarded-For;
    # 0 trusts only REMOTE_ADDR, so that clients cannot forge their IP.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
# Requests per client IP without a key, e.g. "300/min" (s, min, hour, day); empty
# for no limit. A request answered 304 Not Modified costs a tenth of one (api.access).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "300/min")
# The quota (requests per minute) of a new API site, whose key lifts it above the anonymous rate.
API_SITE_DEFAULT_QUOTA = int(os.environ.get("API_SITE_DEFAULT_QUOTA", "1200"))
# HTTP caching: browsers and shared caches (CDN) keep a response this many
# seconds; the response cache keeps it until the content changes, at most
# API_CACHE_TIMEOUT seconds, in the cache named by API_CACHE_ALIAS.
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
API_CACHE_S_MAXAGE = int(os.environ.get("API_CACHE_S_MAXAGE", str(API_CACHE_MAX_AGE)))
API_CACHE_TIMEOUT = int(os.environ.get("API_CACHE_TIMEOUT", "3600"))
API_CACHE_ALIAS = "default"
# A streamed response (a whole-book read) larger than this is sent without being kept in the
# response cache, so as not to hold it in memory; its ETag and Cache-Control still let clients
# and CDNs keep it.
API_CACHE_MAX_STREAMED_BYTES = int(os.environ.get("API_CACHE_MAX_STREAMED_BYTES", str(8 * 1024 * 1024)))
# Any web page may read these paths (GET, HEAD, OPTIONS, no credentials).
API_CORS_PATH_PREFIX = "/api/"
# Where keys are read, the rate limit applies and usage is counted (api.access).
API_ACCESS_PATH_PREFIX = "/api/v1/"
API_CORS_MAX_AGE = 86400
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
# Where a language with no published version of an item falls back to, before
# the source language, e.g. API_LOCALE_FALLBACKS="es:en,ar:en" (comma-separated
# pairs; several targets for one language as "ar:en|es").
API_LOCALE_FALLBACKS = {
    code.strip(): [target.strip() for target in targets.split("|") if target.strip()]
    for code, _sep, targets in (pair.partition(":") for pair in env_list("API_LOCALE_FALLBACKS"))
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Book API"),
    "DESCRIPTION": _(
        "Read the book in any published language: table of contents, chapters as typed blocks, "
        "contributors, themes, cities, sectors and search. The root, /api/v1/, names every endpoint. "
        "?locale= chooses the language of the content and of the labels in it (the source language by "
        "default); Content-Language says the language served. Error messages, this schema and the docs "
        "are in the language of Accept-Language (the schema and the docs also take ?lang=), English by "
        'default. Every 4xx response has the body {"error": {"parameter", "message", "code"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name for the change events, listed by the feed and chosen by webhook subscriptions.
    "ENUM_NAME_OVERRIDES": {"EventEnum": "api.webhooks.models.Event"},
    "PREPROCESSING_HOOKS": ["api.schema.public_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.strict_openapi_3_0",
        "api.schema.rate_limits_and_keys",
        "api.schema.servers",
    ],
    # Descriptions are written for the API's clients (api.schema), not taken from the code's docstrings.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    # The docs page loads Swagger UI from the site's own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
