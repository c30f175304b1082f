"""The reader's only way to the book: GET requests to the public API, revalidated with ETags.

Every answer is kept in Django's cache with its ETag, per URL and language; the
next read of the same URL sends ``If-None-Match`` and, when nothing changed,
the API answers 304 and the kept body is used. The API's failures become the
exceptions below, which the reader shows as pages of their own.
"""

import hashlib
import json
import logging
import threading
from urllib.parse import urlencode, urljoin

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

_local = threading.local()


class ApiError(Exception):
    """The API answered, but not with what the reader asked for."""

    status = 502

    def __init__(self, message="", api_status=None):
        super().__init__(message)
        self.message = message
        self.api_status = api_status


class ApiUnavailable(ApiError):
    """The API could not be reached (refused, timed out, or not JSON)."""

    status = 503


class ApiNotFound(ApiError):
    """The API has no published item at that address."""

    status = 404


class ApiRefused(ApiError):
    """The API refused the request: a preview token that is missing, not valid or expired."""

    status = 403


def session():
    """One keep-alive HTTP session per thread."""
    if getattr(_local, "session", None) is None:
        _local.session = requests.Session()
        _local.session.headers["Accept"] = "application/json"
    return _local.session


def api_url(path, params=None):
    url = urljoin(settings.READER_API_URL, path.lstrip("/"))
    query = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    return f"{url}?{urlencode(sorted(query.items()))}" if query else url


def _cache_key(url, language):
    return "reader:api:" + hashlib.sha256(f"{language}\n{url}".encode()).hexdigest()


def get(path, params=None, language=None):
    """The JSON document at ``path`` of the API, revalidated against the one kept from last time."""
    url = api_url(path, params)
    key = _cache_key(url, language or "")
    kept = cache.get(key)
    headers = {}
    if language:
        headers["Accept-Language"] = language
    if kept:
        headers["If-None-Match"] = kept["etag"]
    try:
        response = session().get(url, headers=headers, timeout=settings.READER_API_TIMEOUT)
    except requests.RequestException as error:
        logger.warning("API unreachable: GET %s: %s", url, error)
        raise ApiUnavailable(str(error)) from error
    logger.info("GET %s -> %s", url, response.status_code)
    if response.status_code == 304 and kept:
        return json.loads(kept["body"])
    if response.status_code == 200:
        try:
            document = response.json()
        except ValueError as error:
            raise ApiUnavailable("The API's answer is not JSON.", response.status_code) from error
        etag = response.headers.get("ETag")
        if etag:
            cache.set(key, {"etag": etag, "body": response.text})
        return document
    message = _error_message(response)
    if response.status_code == 404:
        raise ApiNotFound(message, 404)
    logger.warning("API error: GET %s -> %s %s", url, response.status_code, message)
    raise ApiError(message, response.status_code)


def get_preview(token):
    """The draft a preview token names, and its kind: read afresh every time, never kept."""
    url = api_url("preview/", {"token": token})
    try:
        response = session().get(
            url, headers={"Cache-Control": "no-cache"}, timeout=settings.READER_API_TIMEOUT
        )
    except requests.RequestException as error:
        logger.warning("API unreachable: GET preview/: %s", error)
        raise ApiUnavailable(str(error)) from error
    # The token is a credential for a while: it is not written to the log.
    logger.info("GET preview/ -> %s", response.status_code)
    if response.status_code == 200:
        try:
            return response.headers.get("Preview-Kind", ""), response.json()
        except ValueError as error:
            raise ApiUnavailable("The API's answer is not JSON.", response.status_code) from error
    message = _error_message(response)
    if response.status_code in (400, 403):
        raise ApiRefused(message, response.status_code)
    if response.status_code == 404:
        raise ApiNotFound(message, 404)
    logger.warning("API error: GET preview/ -> %s %s", response.status_code, message)
    raise ApiError(message, response.status_code)


def _error_message(response):
    """The message of the API's error body (``{"error": {"message": ...}}``), if it has one."""
    try:
        error = response.json().get("error") or {}
        return str(error.get("message") or "")
    except (ValueError, AttributeError):
        return ""


def get_all(path, params=None, language=None, limit=10):
    """Every item of a paginated list (at most ``limit`` pages of the API's largest page size)."""
    params = {**(params or {}), "page_size": 100}
    items = []
    for page in range(1, limit + 1):
        document = get(path, {**params, "page": page if page > 1 else None}, language)
        items.extend(document.get("results", []))
        if not document.get("next"):
            break
    return items
