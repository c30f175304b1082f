"""The API's root, which names every endpoint, and the JSON 404 of every other address under it."""

import uuid

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import ParameterNotFound, exception_handler
from .http import finish_uncacheable
from .views import ReaderMixin

ROOT_NAME = "root"
NOT_FOUND_NAME = "not-found"
# Stands for a path parameter while its endpoint's address is reversed: ``{ref}`` in the answer.
_SENTINEL = str(uuid.UUID(int=0))


def endpoint_templates():
    """``{url name: path}`` of every endpoint under the API's root, path parameters as ``{name}``."""
    resolver = get_resolver()
    namespace = resolver.namespace_dict["api"][1]
    found = {}
    for pattern in namespace.url_patterns:
        name = getattr(pattern, "name", None)
        if not name or name in (ROOT_NAME, NOT_FOUND_NAME):
            continue
        parameters = list(pattern.pattern.regex.groupindex)
        path = reverse(f"api:{name}", kwargs=dict.fromkeys(parameters, _SENTINEL) or None)
        for parameter in parameters:
            path = path.replace(_SENTINEL, f"{{{parameter}}}", 1)
        found[name] = path
    return found


class RootView(ReaderMixin, APIView):
    """What the API offers, for a client that knows only its address."""

    pagination_class = None

    def initial(self, request, *args, **kwargs):
        # The root is the same whatever language is asked for.
        super(ReaderMixin, self).initial(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Every endpoint of the API, its schema and its documentation"),
        responses={
            200: inline_serializer(
                "Root",
                {
                    "title": serializers.CharField(),
                    "version": serializers.CharField(),
                    "source_locale": serializers.CharField(
                        help_text=gettext_lazy(
                            "The language the book is written in: what is served when no locale is given, "
                            "and where every language falls back last."
                        )
                    ),
                    "locales": serializers.URLField(
                        help_text=gettext_lazy("The languages and what is published in each.")
                    ),
                    "schema": serializers.URLField(help_text=gettext_lazy("This API's OpenAPI 3.0 schema.")),
                    "docs": serializers.URLField(
                        help_text=gettext_lazy("This API's documentation, to browse.")
                    ),
                    "endpoints": serializers.DictField(
                        child=serializers.CharField(),
                        help_text=gettext_lazy(
                            "Every endpoint by name: its absolute address, with path parameters as {ref}."
                        ),
                    ),
                },
            )
        },
    )
    def get(self, request, *args, **kwargs):
        def absolute(path):
            # Braces of path templates are kept as they are, not percent-encoded.
            return request.build_absolute_uri("/").rstrip("/") + path

        endpoints = {name: absolute(path) for name, path in endpoint_templates().items()}
        return Response(
            {
                "title": str(settings.SPECTACULAR_SETTINGS["TITLE"]),
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "source_locale": settings.BOOK_SOURCE_LANGUAGE,
                "locales": endpoints["locale-list"],
                "schema": endpoints["schema"],
                "docs": endpoints["docs"],
                "endpoints": endpoints,
            }
        )


class NotFoundView(APIView):
    """Any other address under the API's root: the API's JSON 404, never an HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    schema = None

    def get_exception_handler(self):
        return exception_handler

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
            # Django's APPEND_SLASH, which this catch-all would otherwise hide.
            try:
                match = resolve(request.path_info + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != NOT_FOUND_NAME:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise ParameterNotFound(
            None,
            _("There is no endpoint at %(path)s. Every endpoint is listed at %(root)s.")
            % {"path": request.path, "root": reverse(f"api:{ROOT_NAME}")},
            code="unknown_endpoint",
        )

    def finalize_response(self, request, response, *args, **kwargs):
        return finish_uncacheable(super().finalize_response(request, response, *args, **kwargs))
