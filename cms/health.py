"""``/healthz``: whether this app server can answer, for load balancers and orchestrators.

A middleware placed first rather than a view: load balancers call by IP
address over plain HTTP, so the check answers before host validation, the
HTTPS redirect and everything else the site's own requests go through.
"""

import json
import logging
import secrets

from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
PROBE_KEY = "health:probe"


def database_ok():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return False


def cache_ok():
    """A value written to the shared cache reads back (a tolerant cache reports failure as a miss)."""
    token = secrets.token_hex(8)
    cache = caches["default"]
    try:
        cache.set(PROBE_KEY, token, timeout=10)
        ok = cache.get(PROBE_KEY) == token
    except Exception:
        # Each cache backend raises its own errors; any of them means "not available".
        logger.warning("Health check: the cache does not answer.", exc_info=True)
        return False
    if not ok:
        logger.warning("Health check: the cache does not keep what is written to it.")
    return ok


def health_report():
    checks = {"database": database_ok(), "cache": cache_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"}
    body.update({name: "ok" if ok else "error" for name, ok in checks.items()})
    return healthy, body


class HealthCheckMiddleware:
    """Answers ``/healthz`` with 200 when the database and the cache answer, 503 naming what fails."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        healthy, body = health_report()
        response = HttpResponse(
            json.dumps(body), content_type="application/json", status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
