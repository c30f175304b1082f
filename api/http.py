"""How the API behaves over HTTP: response cache, conditional requests and CORS (keys and rate limit: ``api.access``).

Every response of the API depends on the published content and on the request
alone, so a single *content version*, kept in the shared cache and replaced
whenever something public changes (``api.signals``), names the state of the
whole book. A response is stored under ``api:v1:<version>:<request>``, and its
ETag is derived from the same two things: answering ``If-None-Match`` or a
cached request costs one cache read and no database query, and a new version
makes every app server sharing the cache rebuild at once.

That is how the few responses that name no tokens are cached (the API's root).
The others have the ETag of their body and are cached under the tokens of what
they show (``CachedResponses``, ``api.documents``): a change leaves alone those
that do not show it. A streamed response (a whole-book read) is cached under
its tokens too, but its ETag, sent before its body is known, is that of the
tokens it was read under.
"""

import datetime
import functools
import hashlib
import math
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

VERSION_KEY = "api:v1:version"
CACHEABLE_METHODS = {"GET", "HEAD"}
# Headers of a response that say what its content is, and so are stored with it; and the
# methods its address allows, which a cached answer gives before the address is resolved.
KEPT_HEADERS = ("Content-Disposition", "Content-Language", "Allow")


def response_cache():
    return caches[settings.API_CACHE_ALIAS]


class ContentVersion:
    """The state of the published content: a random token, when it was made, and until when it holds.

    Publication, unpublication and the rest change the content through signals
    (``api.signals``), but an expiry date passing changes it silently: what was
    public stops being public at that moment, before any scheduler runs. So a
    version also carries the next such moment, and is replaced once it has come.
    """

    def __init__(self, token, changed_at, valid_until=None):
        self.token = token
        self.changed_at = changed_at
        self.valid_until = valid_until

    @classmethod
    def new(cls):
        # Random rather than a counter: a counter restarting after the cache lost
        # it would give old, stale entries their keys back.
        now = time.time()
        return cls(secrets.token_hex(8), now, next_scheduled_change())

    @classmethod
    def parse_held(cls, value):
        """The version the cache holds as ``value``, or None when it holds none."""
        return None if value is None else cls.parse(value)

    @classmethod
    def parse(cls, value):
        token, changed_at, valid_until = (value.split(":") + [""])[:3]
        return cls(token, float(changed_at), float(valid_until) if valid_until else None)

    def dump(self):
        valid_until = "" if self.valid_until is None else repr(self.valid_until)
        return f"{self.token}:{self.changed_at!r}:{valid_until}"

    @property
    def last_modified(self):
        return math.floor(self.changed_at)

    def expired(self, now=None):
        return self.valid_until is not None and (now or time.time()) >= self.valid_until


def next_scheduled_change():
    """When the next public item expires (a POSIX timestamp), or None; one query.

    Pages and snippets with draft state carry ``expire_at``; what is to go live
    is published by the worker (``cms.scheduling``), which sends the signals
    that make a new version, as it does when it unpublishes what has expired.

    Written in SQL: it runs whenever a version is made, and building the same
    query through the ORM costs several times more.
    """
    from django.db import connection
    from wagtail.models import Page

    from book import kinds

    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Page, *kinds.snippet_models())]
    upcoming = " UNION ALL ".join(
        f"SELECT MIN(expire_at) AS moment FROM {table} WHERE live = %s AND expire_at > %s" for table in tables
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(moment) FROM ({upcoming}) upcoming", [True, now] * len(tables))
        (moment,) = cursor.fetchone()
    if moment is None:
        return None
    if isinstance(moment, str):
        # SQLite hands back the text it stores.
        moment = parse_datetime(moment)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment.timestamp()


def current_version():
    """The content version every app server sharing the cache agrees on."""
    cache = response_cache()
    value = cache.get(VERSION_KEY)
    if value is None:
        # ``add`` so that servers starting on an empty cache settle on one version: the one
        # added, or the one another added first.
        made = ContentVersion.new().dump()
        value = made if cache.add(VERSION_KEY, made, timeout=None) else cache.get(VERSION_KEY) or made
    version = ContentVersion.parse(value)
    if version.expired():
        # Every server that sees it first makes a new one; the last one written wins.
        version = ContentVersion.new()
        cache.set(VERSION_KEY, version.dump(), timeout=None)
    return version


def bump_content_version():
    """Make every cached response and every ETag handed out so far obsolete."""
    response_cache().set(VERSION_KEY, ContentVersion.new().dump(), timeout=None)


# Tokens of stored documents in the shared cache (see ``api.documents``).


def _token_key(name):
    return f"api:v1:token:{name}"


def bump_tokens(names):
    if names:
        response_cache().set_many({_token_key(name): secrets.token_hex(8) for name in names}, timeout=None)


def read_tokens(names, also=()):
    """The current tokens of ``names`` (made when missing), ``{cache key: token}``; and, read with them,
    the keys ``also`` the cache holds (none is made)."""
    cache = response_cache()
    keys = [_token_key(name) for name in names]
    found = cache.get_many([*keys, *also])
    extra = {key: found.pop(key) for key in also if key in found}
    for key in keys:
        if key not in found:
            token = secrets.token_hex(8)
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key)
    return found, extra


def tokens_hold(tokens):
    return bool(tokens) and response_cache().get_many(list(tokens)) == tokens


def requested_indent(request):
    """The indentation DRF's JSON renderer writes the response with, as ``Accept`` asks for it
    (``application/json; indent=4``); None for the compact form.

    Told apart before the view runs, so that the response cache keeps each form under its own key. What
    names no indent is compact without negotiating anything: only those that do pay for it.
    """
    # Media type parameters are read whatever their case, as DRF reads them (``INDENT=4``).
    if "indent" not in request.headers.get("Accept", "").lower():
        return None
    renderer = JSONRenderer()
    try:
        _renderer, media_type = DefaultContentNegotiation().select_renderer(Request(request), [renderer])
    except (NotAcceptable, Http404):
        # Not JSON: a ``format`` other than json (a citation's, see ``api.views``), or nothing
        # acceptable; what the view answers then is never indented.
        return None
    return renderer.get_indent(media_type, {})


def request_signature(request):
    """What a response depends on: language, scheme and host (URLs are absolute), path, sorted query,
    and the indentation asked for (``requested_indent``).

    Made once per request and language: the response cache's middleware and the view both need it.
    """
    language = translation.get_language() or ""
    made = getattr(request, "_api_signature", None)
    if made is not None and made[0] == language:
        return made[1]
    signature = _signature(request, language)
    request._api_signature = (language, signature)
    return signature


def _signature(request, language):
    # Sorted by name only: the order of a repeated parameter's values is meaningful (ordering=a&ordering=b).
    query = sorted(
        ((name, value) for name in request.GET for value in request.GET.getlist(name)),
        key=lambda pair: pair[0],
    )
    parts = [language, request.build_absolute_uri(request.path), repr(query)]
    indent = requested_indent(request)
    if indent is not None:
        parts.append(f"indent={indent}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def body_etag(content):
    return f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'


def tokens_etag(signature, tokens):
    """The ETag of a response that shows what the tokens ``{cache key: token}`` stand for: it changes
    when one of them is replaced, and only then."""
    named = [signature, *(f"{key}={value}" for key, value in sorted(tokens.items()))]
    digest = hashlib.sha256("\n".join(named).encode()).hexdigest()
    return f'W/"{digest[:32]}"'


# Not read yet (``CachedResponses.known_version``).
_UNREAD = object()


class CachedResponses:
    """The conditional and cached answers to one request, and how its response is finished.

    A response assembled from stored documents (``tokens`` given: the names of the tokens it
    depends on, see ``api.documents``) has the ETag of its body, whatever the content version: it
    changes only when what the response shows does. It is cached with the tokens it was built
    under, and served from the cache while they hold.

    A response that also knows until when it holds (``hold_until``: a detail, by its document's
    expiry; a list, by its documents' and the next expiry among its items) depends on nothing else,
    and never makes the content version, which costs a query for the next expiry of anything. It is
    dated by the version the cache holds, read with its tokens, while that is current (not past its
    expiry): its ``Last-Modified`` is then the last change to the book, as every response's is;
    without one, it has none, and its ETag alone validates it. ``stored``: the view serves stored
    documents, cheap to read, so that ``If-Modified-Since`` is compared once they are read.
    """

    def __init__(
        self, request, tokens=None, version=None, signature=None, streamed=False, stored=False, held=_UNREAD
    ):
        self.request = request
        # A streamed response's ETag is sent before its body is known: it is that of its tokens.
        self.streamed = streamed
        self._version = version
        self.signature = signature or request_signature(request)
        self.indent = requested_indent(request)
        self.token_names = tokens
        self.tokens = None
        # Indented answers are rendered by DRF, not served as stored.
        self.stored = stored and tokens is not None and not streamed and self.indent is None
        # Until when the documents of the response hold (the next expiry they know of).
        self.valid_until = None
        # Whether that is all the response depends on besides its tokens (``hold_until``).
        self.bounded = False
        # The content version as the cache holds it (None: it holds none), read without making one;
        # ``held`` when the caller read it already.
        self._known = held
        if tokens is not None:
            self.key = documents_key(self.signature)
            # Known once the response is read from the cache or built.
            self.etag = None
            return
        self.key = f"api:v1:{self.version.token}:{self.signature}"
        digest = hashlib.sha256(f"{self.version.token}:{self.signature}".encode()).hexdigest()
        # Weak: equivalent URLs (query in another order) share it but their bodies
        # may differ in the order of their link parameters.
        self.etag = f'W/"{digest[:32]}"'

    @property
    def version(self):
        """The content version, read (or made) when first needed: a bounded response never needs it."""
        if self._version is None:
            self._version = current_version()
        return self._version

    def known_version(self):
        """The content version the cache holds, if current, or None; never made, unlike ``version``."""
        if self._version is not None:
            known = self._version
        else:
            if self._known is _UNREAD:
                self._known = ContentVersion.parse_held(response_cache().get(VERSION_KEY))
            known = self._known
        return None if known is None or known.expired() else known

    @property
    def documents(self):
        return self.token_names is not None

    def answer(self):
        """A 304 or the cached response, when either will do; None when the view must run.

        For documents, the tokens are read before the view reads anything of the database.
        """
        if not self.documents:
            return self.not_modified() or self.cached()
        stored = response_cache().get(self.key)
        if stored is not None and still_holds(stored):
            self.take(stored)
            return self.not_modified() or self._response(stored)
        if not self.stored and "If-None-Match" not in self.request.headers:
            # Stored documents say when they last changed once read; the date is compared then.
            answer = self.not_modified()
            if answer is not None:
                return answer
        self.depend_on(self.token_names)
        if self.streamed:
            self.etag = tokens_etag(self.signature, self.tokens)
            return self.not_modified()
        return None

    def depend_on(self, names):
        if self.stored and self._version is None and self._known is _UNREAD:
            # The version is read with the tokens, in the same round trip, to date the response.
            tokens, extra = read_tokens(names, also=[VERSION_KEY])
            self._known = ContentVersion.parse_held(extra.get(VERSION_KEY))
        else:
            tokens, _extra = read_tokens(names)
        self.tokens = {**(self.tokens or {}), **tokens}

    def take(self, stored):
        """Answer as the cached response ``stored`` of documents was: its ETag, tokens and expiry."""
        self.etag, self.tokens, self.valid_until = stored[3:6]
        self.bounded = bounded(stored)

    def hold_until(self, moment):
        """The response holds until ``moment`` (a datetime; None: until its tokens are replaced),
        whatever else changes: its documents and what may leave it all say so."""
        self.valid_until = moment
        self.bounded = True

    def last_modified(self):
        """When the content last changed (a whole second), or None when unknown (``known_version``)."""
        if not self.bounded:
            return self.version.last_modified
        version = self.known_version()
        return None if version is None else version.last_modified

    def expires_at(self):
        """The moment (a POSIX timestamp) no copy of the response may be kept past, or None."""
        if self.bounded:
            return None if self.valid_until is None else self.valid_until.timestamp()
        return self.version.valid_until

    def matches(self):
        headers = self.request.headers
        if "If-None-Match" in headers:
            # RFC 9110: If-None-Match, when present, decides alone.
            given = {tag.removeprefix("W/") for tag in parse_etags(headers["If-None-Match"])}
            return self.etag is not None and self.etag.removeprefix("W/") in given
        if "If-Modified-Since" not in headers:
            return False
        since = parse_http_date_safe(headers["If-Modified-Since"])
        last_modified = self.last_modified()
        return since is not None and last_modified is not None and last_modified <= since

    def not_modified(self):
        """A 304 when the client's copy is current; decided before anything is built."""
        if not self.matches():
            return None
        return self.finish(HttpResponseNotModified())

    def cached(self):
        stored = response_cache().get(self.key)
        if stored is None:
            return None
        return self._response(stored)

    def _response(self, stored):
        content, content_type, *kept = stored
        response = HttpResponse(content, content_type=content_type)
        for name, value in kept[0] if kept else ():
            response[name] = value
        return self.finish(response)

    def store(self, response, incomplete=lambda: False):
        """Keep the response's body for the next identical request.

        A streamed response is kept as it is sent, once sent whole and complete, unless it is
        larger than ``API_CACHE_MAX_STREAMED_BYTES``: a response that large is not held in memory.
        """
        if getattr(response, "streaming", False):
            response.streaming_content = self._kept_while_sent(
                response, response.streaming_content, incomplete
            )
            return
        if hasattr(response, "render"):
            response.render()
        self._set(response, response.content)

    def _set(self, response, content):
        kept = tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name))
        entry = (content, response["Content-Type"], kept)
        if self.documents:
            if not self.streamed:
                self.etag = body_etag(content)
            if not self.tokens:
                return
            entry = (*entry, self.etag, self.tokens, self._kept_until(), self.bounded)
        response_cache().set(self.key, entry, timeout=settings.API_CACHE_TIMEOUT)

    def _kept_until(self):
        """Until when the cached response holds: the documents' expiry, and but for a bounded
        response the content's too, which a response made at each request shows."""
        moments = [self.valid_until]
        if not self.bounded and self.version.valid_until is not None:
            moments.append(datetime.datetime.fromtimestamp(self.version.valid_until, datetime.UTC))
        moments = [moment for moment in moments if moment is not None]
        return min(moments) if moments else None

    def _kept_while_sent(self, response, chunks, incomplete):
        kept, size, limit = [], 0, settings.API_CACHE_MAX_STREAMED_BYTES
        for chunk in chunks:
            if kept is not None:
                size += len(chunk)
                if size > limit:
                    kept = None
                else:
                    kept.append(chunk)
            yield chunk
        if kept is not None and not incomplete():
            self._set(response, b"".join(kept))

    def finish(self, response):
        response["ETag"] = self.etag
        # Only once the second of the last change is over: a response made
        # within it could predate a second change carrying the same date.
        now = time.time()
        last_modified = self.last_modified()
        if last_modified is not None and math.floor(now) > last_modified:
            response["Last-Modified"] = _http_date(last_modified)
        max_age, s_maxage = settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE
        expires_at = self.expires_at()
        if expires_at is not None:
            # No cache may keep a response past the moment an item in it expires.
            remaining = max(0, math.floor(expires_at - now))
            max_age, s_maxage = min(max_age, remaining), min(s_maxage, remaining)
        if self.indent is not None:
            # Only the client that asked for it keeps it: a CDN, which tells requests apart by URL
            # alone (no ``Vary: Accept``), would serve it to every other.
            response["Cache-Control"] = f"private, max-age={max_age}"
        elif "Cache-Control" in response:
            patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
        else:
            # What patch_cache_control writes on a response without the header, at a tenth of its cost.
            response["Cache-Control"] = f"public, max-age={max_age}, s-maxage={s_maxage}"
        return response


@functools.lru_cache(maxsize=16)
def _http_date(timestamp):
    """``http_date`` of a whole second; the same few are written on every response."""
    return http_date(timestamp)


def bounded(stored):
    """Whether the cached response ``stored`` of documents knew until when it holds (``CachedResponses``)."""
    return len(stored) > 6 and stored[6]


def still_holds(stored):
    """Whether a response cached from documents may still be served: not past its expiry, and
    none of the tokens it was stored under replaced since."""
    return (stored[5] is None or stored[5] > timezone.now()) and tokens_hold(stored[4])


def documents_key(signature):
    return f"api:v1:documents:{signature}"


def cached_answer(request):
    """The 304 or the cached response to a read whose response the response cache holds, else None.

    Needs neither the URL resolved nor the view: what a response depends on is kept with it
    (the tokens of its documents, or the content version in its key), and so are its headers.
    Whatever it cannot answer (nothing cached, a version to make, documents gone stale), the
    view answers as ever.
    """
    signature = request_signature(request)
    cache = response_cache()
    found = cache.get_many([VERSION_KEY, documents_key(signature)])
    version = ContentVersion.parse_held(found.get(VERSION_KEY))
    stored = found.get(documents_key(signature))
    if stored is not None:
        if not still_holds(stored):
            return None
        responses = CachedResponses(request, tokens=(), version=version, signature=signature, held=version)
        responses.take(stored)
        if not responses.bounded and (version is None or version.expired()):
            return None
    else:
        if version is None or version.expired():
            return None
        responses = CachedResponses(request, version=version, signature=signature)
        stored = cache.get(responses.key)
        if stored is None:
            return None
    allow = dict(stored[2]).get("Allow")
    if allow is None:
        # Stored before its Allow was: left to the view, which knows it.
        return None
    answer = responses.not_modified() or responses._response(stored)
    answer["Allow"] = allow
    return answer


class CachedAnswerMiddleware:
    """Answers a repeated read of the API from the response cache, before its URL is resolved.

    Placed after the keys and the rate limit (``api.access``), which count what it answers,
    and before everything a cached answer does not need: URL resolution, DRF, the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in CACHEABLE_METHODS and request.path.startswith(settings.API_ACCESS_PATH_PREFIX):
            answer = cached_answer(request)
            if answer is not None:
                return answer
        return self.get_response(request)


def finish_uncacheable(response):
    """Errors and other responses that are not the content: validated by body, never stored."""
    if hasattr(response, "render"):
        response.render()
    if not getattr(response, "streaming", False):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    patch_cache_control(response, no_store=True)
    return response


class CachedResponseMixin:
    """Answers from the shared cache, or with a 304, before DRF or the view builds anything.

    A cached answer costs a cache read or two. Most are found before the URL is
    even resolved (``CachedAnswerMiddleware``); the others (a 304 to a response
    no longer cached, say) in ``dispatch``, before DRF wraps the request,
    negotiates the content type and runs its checks, which would cost more than
    the answer itself. Keys and the rate limit are checked before, for every
    response alike (``api.access``).
    """

    api_cache = None

    def document_tokens(self, request, kwargs):
        """The names of the tokens a response made of stored documents depends on; None for other responses."""
        return None

    def streams(self, request):
        """Whether the response is streamed: its ETag is then that of its tokens, not of its body."""
        return False

    def serves_stored(self, request):
        """Whether the response is read from stored documents (``CachedResponses``)."""
        return False

    def dispatch(self, request, *args, **kwargs):
        # ``api_uncached``: read afresh, to tell whether it changed (``api.cdn``).
        if request.method in CACHEABLE_METHODS and not getattr(request, "api_uncached", False):
            self.api_cache = CachedResponses(
                request,
                self.document_tokens(request, kwargs),
                streamed=self.streams(request),
                stored=self.serves_stored(request),
            )
            answer = self.api_cache.answer()
            if answer is not None:
                answer["Allow"] = ", ".join(self.allowed_methods)
                return answer
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        cache = self.api_cache

        def incomplete():
            # Built while a part (the media storage) did not answer.
            return getattr(getattr(request, "api_reader", None), "incomplete", False)

        if cache is None or response.status_code != 200 or incomplete():
            return finish_uncacheable(response)
        cache.store(response, incomplete)
        if cache.documents and cache.matches():
            not_modified = HttpResponseNotModified()
            not_modified["Allow"] = response["Allow"]
            return cache.finish(not_modified)
        return cache.finish(response)


class CorsMiddleware:
    """Lets any web page read the API.

    A few lines rather than django-cors-headers: the API is public and read-only,
    so every response carries ``Access-Control-Allow-Origin: *`` whatever the
    ``Origin``; requests may carry a site's key (``Authorization``), never
    cookies. django-cors-headers answers only requests that send an Origin
    and so adds ``Vary: Origin``, which would split a CDN's cache of each
    response by the ~400 sites reading it. No credentials are ever allowed.
    """

    ALLOWED_METHODS = "GET, HEAD, OPTIONS"
    EXPOSED_HEADERS = (
        "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, WWW-Authenticate"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(settings.API_CORS_PATH_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(headers={"Content-Length": "0"})
            response["Access-Control-Allow-Methods"] = self.ALLOWED_METHODS
            # "*" does not cover Authorization, which carries a site's key.
            response["Access-Control-Allow-Headers"] = "Authorization, *"
            response["Access-Control-Max-Age"] = str(settings.API_CORS_MAX_AGE)
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = self.EXPOSED_HEADERS
        return response
