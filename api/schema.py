"""The OpenAPI schema: it describes the public API alone, not Wagtail's admin APIs."""

import copy
import threading

from django.utils.translation import get_language
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
