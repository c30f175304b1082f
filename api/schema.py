"""The OpenAPI schema: it describes the public API alone, not Wagtail's admin APIs.

It is strict OpenAPI 3.0, in English unless another language of the API's
interface is asked for (``?lang=`` or ``Accept-Language``), and speaks of the
API as its clients see it: the descriptions of its parts are written here and
translated, never taken from the code's docstrings.
"""

import copy
import threading

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.response import Response

from .http import finish_uncacheable
from .languages import SCHEMA_LANGUAGE_PARAMETER, interface_languages, supported

PUBLIC_PREFIX = "/api/v1/"

# What ``null`` is in strict OpenAPI 3.0, where a ``$ref`` cannot carry ``nullable``.
NULL_SCHEMA = {"type": "object", "nullable": True, "enum": [None]}

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
RETRY_AFTER = gettext_lazy("Seconds to wait before trying again.")
ERROR_RESPONSES = {
    "401": gettext_lazy(
        "The API key sent in Authorization (Bearer) is unknown or revoked. Requests without a key are "
        "served anonymously."
    ),
    "429": gettext_lazy("Too many requests: wait for Retry-After seconds, or X-RateLimit-Reset."),
}

# The components' descriptions, as a client reads them.
COMPONENT_DESCRIPTIONS = {
    "Error": gettext_lazy(
        'Every 4xx response of the API has this body: {"error": {"parameter", "message", "code"}}. The message '
        "is in the language of Accept-Language (English by default)."
    ),
    "Locale": gettext_lazy("A language of the book, and how much of the book is published in it."),
    "LocaleCounts": gettext_lazy(
        "How many items of each kind are published in this language (its own versions, not fallbacks)."
    ),
    "Reference": gettext_lazy("The short form of an item that another item points at."),
    "PartReference": gettext_lazy("The part of the book a chapter belongs to."),
    "ChapterReference": gettext_lazy("The short form of a chapter."),
    "ChapterCredit": gettext_lazy("A chapter and the contributor's role in it."),
    "ContributorCredit": gettext_lazy("A contributor and their role in the chapter."),
    "TocPart": gettext_lazy(
        "A part in the table of contents, with its chapters; each entry says the language it is in."
    ),
    "TocChapter": gettext_lazy("A chapter in the table of contents."),
    "Translation": gettext_lazy("Another published language of the item, and its address."),
    "TranslationState": gettext_lazy("How complete the item's translation was when it was published."),
    "Image": gettext_lazy("An image, with its renditions."),
    "Rendition": gettext_lazy("One size or format of an image."),
    "Link": gettext_lazy("A link of a contributor's."),
    "Supporter": gettext_lazy("An institution that supports the book."),
    "Edition": gettext_lazy("A downloadable file of the book in this language."),
    "Citation": gettext_lazy(
        "How to cite the chapter: a CSL-JSON item (Citation Style Language 1.0.2) of type chapter. The same "
        "citation in BibTeX, RIS or formatted text is at the chapter's cite/ address."
    ),
    "CSLName": gettext_lazy("A person (family and given names) or an institution (literal)."),
    "CSLDate": gettext_lazy("A date of a CSL-JSON item."),
    "PartPreview": gettext_lazy("A part of the book, as its preview shows it."),
    "BodyBlock": gettext_lazy("A block of a chapter's body; type says which."),
    "ChangeEvent": gettext_lazy("A change to the published book."),
}


def public_endpoints_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


def _strict_nullable(node):
    """``{"allOf": [ref], "nullable": true}`` as strict 3.0 validators read it: a ref or null."""
    if isinstance(node, list):
        return [_strict_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {name: _strict_nullable(value) for name, value in node.items()}
    if node.get("nullable") and "type" not in node and "allOf" in node:
        rest = {name: value for name, value in node.items() if name not in ("nullable", "allOf")}
        branches = node["allOf"]
        target = branches[0] if len(branches) == 1 else {"allOf": branches}
        return {"oneOf": [target, dict(NULL_SCHEMA)], **rest}
    return node


def strict_openapi_3_0(result, generator, request, public):
    """Nullable references in strict OpenAPI 3.0, and the descriptions written for clients."""
    result = _strict_nullable(result)
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in COMPONENT_DESCRIPTIONS:
            component["description"] = str(COMPONENT_DESCRIPTIONS[name])
    return result


def rate_limits_and_keys(result, generator, request, public):
    """Keys and the rate limit on every operation: the optional bearer key, the 401 (a bad key) and
    429 (too many requests) answers, and the X-RateLimit headers of every other response."""
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
    headers = components.setdefault("headers", {})
    for name, description in RATE_LIMIT_HEADERS.items():
        headers[name] = {"description": str(description), "schema": {"type": "integer", "minimum": 0}}
    headers["Retry-After"] = {"description": str(RETRY_AFTER), "schema": {"type": "integer", "minimum": 0}}
    limit_refs = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            # A key is optional: anonymous ({}) or a site's key; operations of a site's own (its
            # webhooks) require it.
            if operation.get("security") != [{"bearer": []}]:
                operation["security"] = [{}, {"bearer": []}]
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
            # A refused key is answered before the rate limit is counted: no X-RateLimit headers.
            responses["401"].setdefault("headers", {})["WWW-Authenticate"] = {
                "description": str(gettext_lazy("Bearer, with the reason.")),
                "schema": {"type": "string"},
            }
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "$ref": "#/components/headers/Retry-After"
            }
            for status, response in responses.items():
                if status != "401":
                    response.setdefault("headers", {}).update(limit_refs)
    return result


def servers(result, generator, request, public):
    """Where the API is: the address the schema was read at, else the configured public address."""
    base = request.build_absolute_uri("/") if request is not None else settings.API_PUBLIC_BASE_URL
    if base:
        result["servers"] = [{"url": base.rstrip("/")}]
    return result


def language_of(request):
    """The schema's language: ``?lang=``, else the interface language (Accept-Language, English by
    default); None when ``?lang=`` names a language the API's interface is not written in."""
    if SCHEMA_LANGUAGE_PARAMETER in request.GET:
        return supported(request.GET[SCHEMA_LANGUAGE_PARAMETER])
    return get_language()


def unknown_language(request):
    return finish_uncacheable(
        JsonResponse(
            {
                "error": {
                    "parameter": SCHEMA_LANGUAGE_PARAMETER,
                    "message": _("lang must be one of: %(languages)s.")
                    % {"languages": ", ".join(interface_languages())},
                    "code": "invalid_choice",
                }
            },
            status=400,
        )
    )


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per language and version in each process.

    It describes the code, not the content: it changes only with a deployment,
    which starts new processes. Generating it costs a few hundred milliseconds,
    too much to pay on every request of every client that reads it. Its
    ``servers`` name the host it is read at, so they are filled in per request.
    """

    _generated = {}
    _lock = threading.Lock()

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = language_of(request)
        if language is None:
            return unknown_language(request)
        with translation.override(language):
            response = self._get_schema_response(request)
        response["Content-Language"] = language
        return response

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (get_language(), version, self.serve_public, self.urlconf)
        schema = self._generated.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=None, public=self.serve_public)
            schema.pop("servers", None)
            with self._lock:
                self._generated[key] = schema
        return Response(
            data=servers(copy.deepcopy(schema), None, request, self.serve_public),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )


class DocsView(SpectacularSwaggerView):
    """The browsable documentation, reading the schema in the docs page's own language."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = language_of(request)
        if language is None:
            return unknown_language(request)
        self.schema_language = language
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    def _get_schema_url(self, request):
        url = super()._get_schema_url(request)
        if SCHEMA_LANGUAGE_PARAMETER in request.GET:
            return url
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}{SCHEMA_LANGUAGE_PARAMETER}={self.schema_language}"
