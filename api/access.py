"""Who reads the API and how much: API keys, the rate limit and the usage counters, for every API response.

A request may carry a site's key (``Authorization: Bearer bk_…``). A valid
key gives the request its site's quota; a wrong, malformed or revoked one is
refused with a 401, never served as anonymous. Without a key the request is
anonymous, limited per client address at ``API_THROTTLE_RATE``.

The limit is a fixed window (a minute for ``N/min``): a full answer costs
:data:`FULL_COST` units, a 304 Not Modified one unit, a tenth of a request, so
that revalidating what a client already has costs little. A request is
refused (429 with ``Retry-After``) while the window's units are spent. Every
response under the API says where the client stands: ``X-RateLimit-Limit``
(requests per window), ``X-RateLimit-Remaining`` (full requests left) and
``X-RateLimit-Reset`` (seconds until the window starts again).
"""

import functools
import hashlib
import hmac
import math
import re
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from book.signals import worker_tick

from . import usage

KEY_PATTERN = re.compile(r"^bk_(?P<prefix>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})\Z")
FULL_COST = 10
NOT_MODIFIED_COST = 1
# How long a key's check is remembered in the shared cache; revoking or changing it forgets it at once.
KEY_CACHE_SECONDS = 300
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def new_key():
    """A key (shown once) and what is stored of it: its prefix and hash."""
    prefix = secrets.token_hex(6)
    key = f"bk_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_key(key)


def create_key(site):
    """A new key for ``site``; the key itself, which is stored only as a hash."""
    from .models import ApiKey

    key, prefix, hashed = new_key()
    ApiKey.objects.create(site=site, prefix=prefix, hashed=hashed)
    return key


def revoke_key(api_key):
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


class InvalidKey(Exception):
    pass


def _cache():
    return caches[settings.API_CACHE_ALIAS]


def _key_cache_key(hashed):
    return f"api:key:{hashed}"


def site_of(request):
    """``(site id, quota)`` of the request's key, or None without one; :class:`InvalidKey` for a bad one."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise InvalidKey(_("Send the API key as “Authorization: Bearer <key>”."))
    match = KEY_PATTERN.match(key)
    if match is None:
        raise InvalidKey(_("This API key is not valid."))
    hashed = hash_key(key)
    cache = _cache()
    known = cache.get(_key_cache_key(hashed))
    if known is None:
        known = _check_key(match["prefix"], hashed)
        cache.set(_key_cache_key(hashed), known, timeout=KEY_CACHE_SECONDS)
    if known == "unknown":
        raise InvalidKey(_("This API key is not valid."))
    if known == "revoked":
        raise InvalidKey(_("This API key has been revoked."))
    return tuple(known)


def _check_key(prefix, hashed):
    from .models import ApiKey

    api_key = ApiKey.objects.select_related("site").filter(prefix=prefix).first()
    # Compared in constant time even when the prefix is unknown.
    stored = api_key.hashed if api_key else "0" * 64
    if not hmac.compare_digest(stored, hashed) or api_key is None:
        return "unknown"
    if api_key.revoked_at is not None:
        return "revoked"
    return (api_key.site_id, api_key.site.quota)


def forget_keys(hashes):
    _cache().delete_many([_key_cache_key(hashed) for hashed in hashes])


def _forget_key(sender, instance, **kwargs):
    forget_keys([instance.hashed])


def _forget_site_keys(sender, instance, **kwargs):
    forget_keys(list(instance.keys.values_list("hashed", flat=True)) if instance.pk else [])


def connect():
    from .models import ApiKey, ApiSite

    post_save.connect(_forget_key, sender=ApiKey, dispatch_uid="api.access.key_saved")
    post_delete.connect(_forget_key, sender=ApiKey, dispatch_uid="api.access.key_deleted")
    post_save.connect(_forget_site_keys, sender=ApiSite, dispatch_uid="api.access.site_saved")
    worker_tick.connect(record_usage, dispatch_uid="api.access.record_usage")


def record_usage(sender, **kwargs):
    """The worker's round: the usage counters, from the shared cache to the usage table."""
    usage.flush()


class _Ident(BaseThrottle):
    """DRF's reading of the client address: REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES of ours."""


@functools.lru_cache(maxsize=8)
def _parse_rate(rate):
    return SimpleRateThrottle.parse_rate(None, rate)


class Limit:
    """The rate window of one client: a site's key, or an anonymous address."""

    def __init__(self, request, site):
        if site is None:
            self.ident = f"ip:{_Ident().get_ident(request)}"
            rate = settings.API_THROTTLE_RATE or None
            self.requests, self.period = _parse_rate(rate) if rate else (None, None)
        else:
            self.ident = f"site:{site[0]}"
            self.requests, self.period = site[1], 60
        self.now = time.time()
        self.used = 0
        self.key = None
        if self.unlimited:
            return
        self.window = math.floor(self.now / self.period)
        self.key = f"api:rate:{self.ident}:{self.period}:{self.window}"

    @property
    def unlimited(self):
        return self.requests is None

    @property
    def reset(self):
        return max(1, math.ceil((self.window + 1) * self.period - self.now))

    def exhausted(self, used):
        if self.unlimited:
            return False
        self.used = used
        return self.used + NOT_MODIFIED_COST > self.requests * FULL_COST

    def headers(self, response):
        if self.unlimited:
            return
        response["X-RateLimit-Limit"] = str(self.requests)
        response["X-RateLimit-Remaining"] = str(max(0, self.requests * FULL_COST - self.used) // FULL_COST)
        response["X-RateLimit-Reset"] = str(self.reset)


def error_response(status, code, message, headers):
    """The API's error shape, refused before any view; never stored, validated by its body."""
    response = JsonResponse(
        {"error": {"parameter": None, "message": message, "code": code}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in headers.items():
        response[name] = value
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    patch_cache_control(response, no_store=True)
    return response


class ApiAccessMiddleware:
    """Keys, the rate limit and the usage counters of every response under ``API_ACCESS_PATH_PREFIX``.

    Costs one cache read before the view and one round trip to the cache
    after it (Redis: one pipeline), and nothing in the database but a key's
    first check every few minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(settings.API_ACCESS_PATH_PREFIX):
            return self.get_response(request)
        try:
            site = site_of(request)
        except InvalidKey as error:
            return error_response(
                401,
                "invalid_key",
                str(error),
                {"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
            )
        request.api_site_id = site[0] if site else None
        limit = Limit(request, site)
        store = usage.counters()
        # One read of the cache before the view, and one write after it.
        known = store.cache.get_many([usage.EPOCH_KEY] if limit.unlimited else [usage.EPOCH_KEY, limit.key])
        if limit.exhausted(int(known.get(limit.key) or 0)):
            response = error_response(
                429,
                "throttled",
                _("Too many requests: try again in %(seconds)d seconds.") % {"seconds": limit.reset},
                {"Retry-After": str(limit.reset)},
            )
            deltas = {}
        else:
            response = self.get_response(request)
            cost = NOT_MODIFIED_COST if response.status_code == 304 else FULL_COST
            # The window's counter outlives its window a little, for clocks a little apart.
            deltas = {} if limit.unlimited else {limit.key: (cost, limit.period + 60)}
        epoch = known.get(usage.EPOCH_KEY) or usage.new_epoch(store.cache)
        if epoch is not None:
            kind = usage.kind_of(response.status_code)
            deltas[usage.counter_key(epoch, usage.today(), usage.ident_of(request.api_site_id), kind)] = (
                1,
                usage.COUNTER_TIMEOUT,
            )
        values = store.add(deltas) if deltas else []
        if not limit.unlimited and limit.key in deltas:
            # Zero when the cache is away: the client is then counted as having spent only this request.
            limit.used = values[0] or limit.used + cost
        limit.headers(response)
        return response
