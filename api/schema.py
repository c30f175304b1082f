"""The OpenAPI schema: it describes the public API alone, not Wagtail's admin APIs."""

import copy
import threading

from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

PUBLIC_PREFIX = "/api/v1/"


def public_endpoints_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per language and version in each process.

    It describes the code, not the content: it changes only with a deployment,
    which starts new processes. Generating it costs a few hundred milliseconds,
    too much to pay on every request of every client that reads it.
    """

    _generated = {}
    _lock = threading.Lock()

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (get_language(), version, self.serve_public, self.urlconf)
        schema = self._generated.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=request, public=self.serve_public)
            with self._lock:
                self._generated[key] = schema
        return Response(
            data=copy.deepcopy(schema),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": gettext_lazy(
        "Requests allowed per window: the site's quota per minute with a key, the anonymous rate of the "
        "client's address without one."
    ),
    "X-RateLimit-Remaining": gettext_lazy(
        "Full requests left in the window. A request answered 304 Not Modified costs a tenth of one."
    ),
    "X-RateLimit-Reset": gettext_lazy("Seconds until the window starts again."),
}


def document_access(result, generator, request, public):
    """Keys, the rate limit and their answers, on every operation (``api.access``): added after generation."""
    components = result.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": str(
            gettext_lazy(
                "A site's API key (Settings → API sites, or manage.py api_key create), sent as "
                "Authorization: Bearer <key>. Optional: without a key, reads are anonymous and limited "
                "per address; a wrong or revoked key is refused with a 401, never read as anonymous."
            )
        ),
    }
    headers = {
        name: {"description": str(description), "schema": {"type": "integer"}}
        for name, description in RATE_LIMIT_HEADERS.items()
    }
    error = {"$ref": "#/components/schemas/Error"}
    refusals = {
        "401": {
            "description": str(gettext_lazy("The API key sent is not valid or has been revoked.")),
            "headers": {
                "WWW-Authenticate": {
                    "description": str(gettext_lazy("Bearer, with the reason.")),
                    "schema": {"type": "string"},
                }
            },
            "content": {"application/json": {"schema": error}},
        },
        "429": {
            "description": str(gettext_lazy("Over the rate limit: wait for Retry-After seconds.")),
            "headers": {
                **headers,
                "Retry-After": {
                    "description": str(gettext_lazy("Seconds to wait before trying again.")),
                    "schema": {"type": "integer"},
                },
            },
            "content": {"application/json": {"schema": error}},
        },
    }
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(PUBLIC_PREFIX):
            continue
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # A key is optional: anonymous ({}) or a site's key.
            operation["security"] = [{}, {"bearer": []}]
            for status, response in operation["responses"].items():
                if status not in refusals:
                    response.setdefault("headers", {}).update(copy.deepcopy(headers))
            for status, response in refusals.items():
                operation["responses"].setdefault(status, copy.deepcopy(response))
    return result
