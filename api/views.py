"""The API's endpoints: read-only lists and details of the book's items, and search.

Every view reads the request's locale first (``Reader``), then loads one page
of items and everything they show in a fixed number of queries
(``api.prepare``), then serializes. A response depends only on the URL, so a
response cache can wrap these views as they are.
"""

import re
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.functional import cached_property, lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.models import Locale

from book import citations, selectors
from book import kinds as book_kinds
from book.models import BookPage, ChapterPage, City, ContributorPage, Sector, ThemePage

from . import documents, filters, included, listing, parts, prepare, search, serializers
from .errors import ParameterError, ParameterNotFound, exception_handler
from .http import CachedResponseMixin
from .languages import label_language
from .pagination import PageNumberPagination
from .reader import LOCALE_PARAMETER, Reader

SLUG_RE = re.compile(r"^[-\w]+\Z")

LOCALE_QUERY = OpenApiParameter(
    LOCALE_PARAMETER,
    str,
    OpenApiParameter.QUERY,
    description=gettext_lazy(
        "The language code to read in (see /api/v1/locales/); the source language by default."
    ),
)
REF_PATH = OpenApiParameter(
    "ref",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The item's key (shared by all its languages) or its slug."),
)
ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description=gettext_lazy("A parameter is invalid.")),
    404: OpenApiResponse(serializers.ErrorSerializer, description=gettext_lazy("Nothing public here.")),
}

# The citation formats of a chapter's cite/ address: media type and file extension.
CITATION_FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    "text": ("text/plain; charset=utf-8", "txt"),
}
CITATION_FORMAT_PARAMETER = "format"


# Parameters other APIs take to choose fields or embed related items: refused rather than
# ignored, so that no client believes it got what it asked for.
UNSUPPORTED_PARAMETERS = ("fields", "expand")


def refuse_unsupported_parameters(request):
    for name in UNSUPPORTED_PARAMETERS:
        if name in request.query_params:
            raise ParameterError(
                name,
                _(
                    "%(parameter)s is not supported: every response carries all its fields. To read "
                    "the items of a book in full, use include on the book (see the API's documentation)."
                )
                % {"parameter": name},
                code="unsupported_parameter",
            )


def reading_tokens(request):
    """The tokens of a response made at each request that shows the content of the language it reads in."""
    code = request.GET.get(LOCALE_PARAMETER, "").strip() or settings.LANGUAGE_CODE
    return ["all", documents.locale_token(code)]


def any_change_tokens(request):
    """The tokens of a response that shows every change (the locales' counts, the change feed)."""
    return ["all", documents.ANY]


class ReaderMixin(CachedResponseMixin):
    """Reads the request's locale before anything else, inside DRF's error handling.

    Cached answers and 304s are found before it (``api.http``), so they read nothing.
    """

    http_method_names = ["get", "head", "options"]
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = []
    renderer_classes = [JSONRenderer]
    # Keys and the rate limit: api.access, before any view.
    throttle_classes = []
    pagination_class = PageNumberPagination

    def get_exception_handler(self):
        return exception_handler

    # The languages of the content served, for Content-Language (set by ``content_in``).
    content_languages = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unsupported_parameters(request)
        request.api_reader = Reader(request)

    def requested_indent(self):
        """The indentation the response is rendered with (``Accept: application/json; indent=4``), or None."""
        return self.request.accepted_renderer.get_indent(self.request.accepted_media_type, {})

    @cached_property
    def reader(self):
        return self.request.api_reader

    @contextmanager
    def content_in(self, code):
        """Build content in ``code``: the labels it carries are in that language (``api.languages``).

        Error messages stay in the interface language; so raise them before, not inside.
        """
        with translation.override(label_language(code)):
            yield
        if not self.content_languages:
            self.content_languages = [code]

    def finalize_response(self, request, response, *args, **kwargs):
        if self.content_languages and 200 <= response.status_code < 300:
            response["Content-Language"] = ", ".join(dict.fromkeys(self.content_languages))
        return super().finalize_response(request, response, *args, **kwargs)


class ItemViewSet(ReaderMixin, viewsets.GenericViewSet):
    """A list and a detail of one kind of item, in the requested language."""

    model = None
    prepare_items = None
    serializer_class = None
    detail_serializer_class = None
    filter_backends = [DjangoFilterBackend]
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.serializer_class

    # Values read with the items themselves rather than in a query of their own.
    item_annotations = {}
    # The fields the serializers and ``prepare_items`` read, when they are not all of the
    # model's, and those a detail reads besides: the others are left in the database.
    item_fields = ()
    detail_fields = ()

    @classmethod
    def published_items(cls, reader, detail):
        """The model's published items in every language, with ``item_annotations``."""
        queryset = prepare.own_content(selectors.published(cls.model, reader.private_q)).annotate(
            **cls.item_annotations
        )
        if cls.item_fields:
            queryset = queryset.only(*cls.item_fields, *(cls.detail_fields if detail else ()))
        return queryset

    def published(self):
        return self.published_items(self.reader, detail=self.action == "retrieve")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.published().filter(locale=self.reader.locale)

    kind = None

    @cached_property
    def documented(self):
        """Whether the kind is served as stored documents (``api.documents``)."""
        return documents.is_documented(self.kind.name)

    @property
    def serves_documents(self):
        """Whether this response is assembled from stored documents (``api.documents``).

        Not when the client asks for indented JSON (``application/json; indent=4``): documents are
        stored in the compact form, and DRF's renderer writes the indented one.
        """
        return self.documented and self.requested_indent() is None

    def filter_queryset(self, queryset):
        """As the filter set filters it; but a list that names none of its filters is only put in its
        default order, without building the filter set (its form, and a copy of each of its filters).

        Given no value, each filter leaves the items as they are, and the ordering puts them in its
        default order: the same items in the same order.
        """
        if self.names_no_filter():
            return self.default_order(queryset)
        return super().filter_queryset(queryset)

    def names_no_filter(self):
        """Whether the request names none of the filters, which then leave the items as they are."""
        declared = getattr(self.filterset_class, "base_filters", None) or {}
        return (
            self.filter_backends == [DjangoFilterBackend]
            and isinstance(declared.get("ordering"), filters.StableOrderingFilter)
            and not any(name in self.request.query_params for name in declared)
            and not any(item.extra.get("required") for item in declared.values())
        )

    @classmethod
    def default_order(cls, queryset):
        """``queryset`` in the order a list that names no ordering shows."""
        return cls.filterset_class.base_filters["ordering"].filter(queryset, None)

    def list(self, request, *args, **kwargs):
        if self.serves_documents:
            return self.list_documents()
        queryset = self.filter_queryset(self.get_queryset())
        items = list(self.paginate_queryset(queryset))
        with self.content_in(self.reader.locale.language_code):
            prepared = type(self).prepare_items(self.reader, items, self.reader.locale.pk, detail=False)
            data = self.get_serializer(prepared, many=True).data
        self.content_languages = [shown.locale for shown in prepared] or self.content_languages
        return self.get_paginated_response(data)

    def listed(self):
        """The items of ``get_queryset``, without the values and fields the serializers read: a list of
        stored summaries reads their keys alone."""
        if type(self).get_queryset is not ItemViewSet.get_queryset:
            return self.get_queryset()
        return self.listed_in(self.reader.private_q, self.reader.locale.pk)

    @classmethod
    def listed_in(cls, private_q, locale_id, now=None):
        """The published items of the language ``locale_id`` as ``listed`` reads them, where
        ``private_q`` is private, at ``now`` (the present by default)."""
        published = selectors.published(cls.model, private_q, now)
        return prepare.own_content(published).filter(locale=locale_id)

    @classmethod
    def unfiltered(cls, private_q, locale_id, now=None):
        """What a list that names no filter shows, in order (``listed_in`` of the same in its default order)."""
        return cls.default_order(cls.listed_in(private_q, locale_id, now))

    def list_documents(self):
        """The list assembled from the stored summaries of the page of items it shows.

        Filters, ordering and pagination are computed on the model's table as ever, by a query
        built once (``api.listing``) when the list names no filter; then the summaries of that
        page are read in one query (those missing are built).
        """
        if type(self).get_queryset is ItemViewSet.get_queryset and self.names_no_filter():
            keys = self.paginator.paginate_rows(
                lambda start, size: listing.page_of_keys(type(self), self.reader, start, size),
                lambda: self.filter_queryset(self.listed()).values_list("translation_key", flat=True),
                self.request,
                expiring=True,
            )
        else:
            queryset = self.filter_queryset(self.listed())
            keys = self.paginator.paginate_values(queryset, "translation_key", self.request)
        code = self.reader.locale.language_code
        with self.content_in(code):
            shown = documents.summaries(type(self), keys, self.reader.locale)
        bodies = [bytes(document.body) for document in shown]
        self.documents_valid_until(shown, listed_until=self.paginator.next_expiry)
        envelope = documents.render(self.get_paginated_response([]).data)
        empty = b'"results":[]}'
        assert envelope.endswith(empty)
        body = b"".join((envelope[: -len(empty)], b'"results":[', b",".join(bodies), b"]}"))
        return HttpResponse(documents.for_request(body, self.request), content_type="application/json")

    def retrieve(self, request, *args, **kwargs):
        if self.serves_documents:
            return self.retrieve_document()
        item = self.get_object()
        with self.content_in(self.reader.code(item.locale_id)):
            (prepared,) = type(self).prepare_items(self.reader, [item], item.locale_id, detail=True)
            data = self.get_serializer(prepared).data
        self.content_languages = [prepared.locale]
        return Response(data)

    def retrieve_document(self):
        """The stored detail of the item the ref names, in the language asked for; built if need be."""
        for key in self.requested_keys():
            found = documents.detail(type(self), key, self.reader.locale)
            if found is not None:
                self.content_languages = [found.content_language]
                self.documents_valid_until([found])
                return HttpResponse(
                    documents.for_request(bytes(found.body), self.request), content_type="application/json"
                )
        self.not_found()

    def documents_valid_until(self, shown, listed_until=None):
        """The response shows the documents ``shown``: until when it holds.

        A detail holds as long as its document. A list holds as long as its documents and its items:
        ``listed_until`` is when the first of them expires (None: never), or ``UNKNOWN`` when a
        filter chose them, which may hang on what its items do not show: the content version then
        bounds it too.
        """
        if any(getattr(document, "incomplete", False) for document in shown):
            # Built while a part (the media storage) did not answer: served, never cached.
            self.reader.incomplete = True
        if self.api_cache is None:
            return
        if listed_until is PageNumberPagination.UNKNOWN:
            self.api_cache.valid_until = documents.valid_until(shown)
            return
        self.api_cache.hold_until(documents.valid_until(shown, listed_until))

    def requested_keys(self):
        """The keys the ref may name: itself, or those of the items with that slug."""
        ref = self.kwargs["ref"]
        try:
            return [uuid.UUID(ref)]
        except ValueError:
            if not SLUG_RE.match(ref):
                raise ParameterError(
                    "ref", _("“%(ref)s” is neither a key nor a slug.") % {"ref": ref}, code="malformed_ref"
                ) from None
        return self._keys_for_slug(self.published().order_by(), ref)

    def serves_stored(self, request):
        return self.documented and self.action_map.get("get") in {"list", "retrieve"}

    def document_tokens(self, request, kwargs):
        if not self.documented:
            return None
        action = self.action_map.get("get")
        if action == "list":
            return ["all", f"kind:{self.kind.name}"]
        if action != "retrieve":
            return None
        try:
            return ["all", f"key:{uuid.UUID(kwargs.get('ref', '')).hex}"]
        except ValueError:
            # The item a slug names may change with any item of the kind.
            return ["all", f"kind:{self.kind.name}"]

    def get_object(self):
        # One version is chosen per key: the order of the rows does not matter.
        published = self.published().order_by()
        for key in self.requested_keys():
            found = selectors.best_versions(published, [key], self.reader.chain_ids).get(key)
            if found is not None:
                return found
        self.not_found()

    def not_found(self):
        ref = self.kwargs["ref"]
        raise ParameterNotFound(
            "ref",
            _("No published %(item)s “%(ref)s” in this language or its fallbacks.")
            % {"item": self.model._meta.verbose_name, "ref": ref},
        )

    def _keys_for_slug(self, published, slug):
        """The keys a slug may name, those of the requested language's chain first."""
        rank = {locale_id: position for position, locale_id in enumerate(self.reader.chain_ids)}
        rows = published.filter(slug=slug).values_list("translation_key", "locale_id")
        ordered = sorted(rows, key=lambda row: (rank.get(row[1], len(rank)), row[1]))
        return list(dict.fromkeys(key for key, _locale_id in ordered))


def interpolate_lazy(message, **values):
    """``message % values``, translated when the schema is generated, in the request's language.

    ``gettext_lazy(...) % values`` would translate at import time, once for good.
    """
    return lazy(lambda: _(message) % {name: str(value) for name, value in values.items()}, str)()


# The viewset of each kind the API serves, by public name (``api.urls`` routes them).
ITEM_VIEWSETS = {}


def item_schema(kind, detail_parameters=()):
    """Make a viewset the one of ``kind``; document its list and detail with the serializers it declares."""
    items, item = kind.label_plural, kind.label

    def decorate(viewset):
        ITEM_VIEWSETS[kind.name] = viewset
        viewset.kind = kind
        return extend_schema_view(
            list=extend_schema(
                summary=interpolate_lazy(gettext_noop("List the %(items)s of one language"), items=items),
                parameters=[LOCALE_QUERY],
                responses={200: viewset.serializer_class(many=True), **ERRORS},
            ),
            retrieve=extend_schema(
                summary=interpolate_lazy(gettext_noop("One %(item)s, by key or slug"), item=item),
                parameters=[LOCALE_QUERY, REF_PATH, *detail_parameters],
                responses={200: viewset.detail_serializer_class, **ERRORS},
            ),
        )(viewset)

    return decorate


INCLUDE_QUERY = OpenApiParameter(
    included.INCLUDE_PARAMETER,
    str,
    OpenApiParameter.QUERY,
    many=True,
    explode=False,
    enum=list(included.INCLUDABLE),
    description=gettext_lazy(
        "The kinds of items to include in full under included, comma-separated (the parameter may also "
        "be repeated): every chapter of the table of contents, and every contributor, theme, city and "
        "sector readable in the language asked for, each as its own detail endpoint shows it, bodies "
        "included. One request reads a whole language of the book; the response is streamed."
    ),
)


@item_schema(book_kinds.BOOK, detail_parameters=[INCLUDE_QUERY])
class BookViewSet(ItemViewSet):
    """Books, listed as they are read: each in the requested language or, failing that, along its
    fallback chain, as a book's detail serves it (``fallback`` says which)."""

    model = BookPage
    prepare_items = prepare.prepare_books
    serializer_class = serializers.BookSerializer
    detail_serializer_class = serializers.WholeBookSerializer
    filterset_class = filters.TreeOrderedFilterSet

    def document_tokens(self, request, kwargs):
        return reading_tokens(request)

    def streams(self, request):
        # A whole-book read: its ETag is sent before its body is known.
        return included.INCLUDE_PARAMETER in request.GET

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return super().get_queryset()
        published = self.published()
        best = selectors.best_versions(
            published.order_by(), published.values("translation_key"), self.reader.chain_ids, fields=()
        )
        return published.filter(pk__in=[version.pk for version in best.values()])

    def retrieve(self, request, *args, **kwargs):
        kinds = included.requested_kinds(request)
        if not kinds:
            return super().retrieve(request, *args, **kwargs)
        book = self.get_object()
        with self.content_in(self.reader.code(book.locale_id)):
            (prepared,) = type(self).prepare_items(self.reader, [book], book.locale_id, detail=True)
            book_data = self.get_serializer(prepared).data
        self.content_languages = [prepared.locale]
        included_parts = []
        for name in kinds:
            viewset = included_viewsets()[name]
            if name == "chapters":
                ids = included.chapter_ids(book_data)
            else:
                ids = included.chosen_ids(self.reader, viewset, included.INCLUDABLE[name], book)
            included_parts.append((name, included.documents(self.reader, viewset, ids)))
        return StreamingHttpResponse(
            included.stream(book_data, included_parts, self.requested_indent()),
            content_type="application/json",
        )


@item_schema(book_kinds.CHAPTER)
class ChapterViewSet(ItemViewSet):
    model = ChapterPage
    prepare_items = prepare.prepare_chapters
    item_annotations = {"api_city_key": F("city__translation_key")}
    item_fields = (
        "translation_key",
        "locale",
        "slug",
        "title",
        "path",
        "first_published_at",
        "last_published_at",
        "subtitle",
        "summary",
        "city",
        "word_count",
        "live_revision",
        "doi",
        "original_language",
    )
    detail_fields = ("body",)
    serializer_class = serializers.ChapterSerializer
    detail_serializer_class = serializers.ChapterDetailSerializer
    filterset_class = filters.ChapterFilterSet

    def perform_content_negotiation(self, request, force=False):
        if self.action == "cite":
            # ``format`` names the citation's format there, not one of DRF's renderers: what is
            # rendered (the errors) is JSON.
            renderer = JSONRenderer()
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)

    @extend_schema(
        summary=gettext_lazy("How to cite one chapter, by key or slug"),
        parameters=[
            OpenApiParameter(
                CITATION_FORMAT_PARAMETER,
                str,
                OpenApiParameter.QUERY,
                required=True,
                enum=list(CITATION_FORMATS),
                description=gettext_lazy(
                    "bibtex, ris, csl-json (a list of one CSL-JSON item) or text (APA style, 7th edition, "
                    "in the chapter's language)."
                ),
            ),
            LOCALE_QUERY,
            REF_PATH,
        ],
        responses={
            **{
                (200, media_type.partition(";")[0]): OpenApiResponse(
                    serializers.CitationSerializer(many=True) if name == "csl-json" else OpenApiTypes.STR,
                    description=gettext_lazy("A file to download, named after the chapter and its language."),
                )
                for name, (media_type, _extension) in CITATION_FORMATS.items()
            },
            **{(status, "application/json"): response for status, response in ERRORS.items()},
        },
    )
    @action(detail=True, url_path="cite", url_name="cite", pagination_class=None)
    def cite(self, request, *args, **kwargs):
        name = request.query_params.get(CITATION_FORMAT_PARAMETER, "").strip()
        if name not in CITATION_FORMATS:
            raise ParameterError(
                CITATION_FORMAT_PARAMETER,
                _("format must be one of: %(formats)s.") % {"formats": ", ".join(CITATION_FORMATS)},
                code="invalid_choice" if name else "required",
            )
        chapter = self.get_object()
        (prepared,) = prepare.prepare_chapters(self.reader, [chapter], chapter.locale_id)
        media_type, extension = CITATION_FORMATS[name]
        response = HttpResponse(citations.write(prepared.citation, name), content_type=media_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{chapter.slug}-{prepared.locale}.{extension}"
        )
        response["Content-Language"] = prepared.locale
        return response


@item_schema(book_kinds.CONTRIBUTOR)
class ContributorViewSet(ItemViewSet):
    model = ContributorPage
    prepare_items = prepare.prepare_contributors
    item_annotations = {"api_city_key": F("city__translation_key")}
    serializer_class = serializers.ContributorSerializer
    detail_serializer_class = serializers.ContributorDetailSerializer
    filterset_class = filters.ContributorFilterSet


@item_schema(book_kinds.THEME)
class ThemeViewSet(ItemViewSet):
    model = ThemePage
    prepare_items = prepare.prepare_themes
    serializer_class = serializers.ThemeSerializer
    detail_serializer_class = serializers.ThemeDetailSerializer
    filterset_class = filters.TreeOrderedFilterSet


@item_schema(book_kinds.CITY)
class CityViewSet(ItemViewSet):
    model = City
    prepare_items = prepare.prepare_cities
    serializer_class = serializers.CitySerializer
    detail_serializer_class = serializers.CityDetailSerializer
    filterset_class = filters.NamedFilterSet


@item_schema(book_kinds.SECTOR)
class SectorViewSet(ItemViewSet):
    model = Sector
    prepare_items = prepare.prepare_sectors
    serializer_class = serializers.SectorSerializer
    detail_serializer_class = serializers.SectorDetailSerializer
    filterset_class = filters.SectorFilterSet


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The book's languages and how much of it each one publishes"),
        parameters=[LOCALE_QUERY],
        responses={200: serializers.LocaleSerializer(many=True), **ERRORS},
    )
)
class LocaleViewSet(ReaderMixin, viewsets.GenericViewSet):
    serializer_class = serializers.LocaleSerializer

    def document_tokens(self, request, kwargs):
        return any_change_tokens(request)

    def get_queryset(self):
        return Locale.objects.order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        with self.content_in(self.reader.locale.language_code):
            data = self.get_serializer(prepare.prepare_locales(self.reader, page), many=True).data
        return self.get_paginated_response(data)


# The kinds search finds, and the field that summarises a result of each (or none).
SEARCH_KINDS = {kind.name: (kind.model, kind.search_summary) for kind in book_kinds.searchable()}


def included_viewsets():
    """The viewsets whose details a whole-book read includes, by the name given in ``include``."""
    return {
        kind.segment: ITEM_VIEWSETS[kind.name]
        for kind in book_kinds.served()
        if kind.segment in included.INCLUDABLE
    }


class ConcatenatedResults:
    """Several ordered lists of (kind, pk) read as one sequence, for the paginator."""

    def __init__(self, parts):
        self.parts = parts

    def count(self):
        return sum(len(part) for part in self.parts)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        flat = [item for part in self.parts for item in part]
        return flat[index]


class SearchView(ReaderMixin, GenericAPIView):
    """Full-text search across the chapters, contributors and themes of one language."""

    serializer_class = parts.SearchResult.serializer

    def document_tokens(self, request, kwargs):
        return reading_tokens(request)

    @extend_schema(
        summary=gettext_lazy("Search the book in one language"),
        parameters=[
            OpenApiParameter(
                "q",
                str,
                OpenApiParameter.QUERY,
                required=True,
                description=gettext_lazy("Words to look for."),
            ),
            OpenApiParameter(
                "type",
                str,
                OpenApiParameter.QUERY,
                enum=list(SEARCH_KINDS),
                description=gettext_lazy("Only results of this kind."),
            ),
            LOCALE_QUERY,
        ],
        responses={200: parts.SearchResult.serializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ParameterError("q", _("Give the words to look for in q."), code="required")
        kinds = list(SEARCH_KINDS)
        wanted = request.query_params.get("type", "").strip()
        if wanted:
            if wanted not in SEARCH_KINDS:
                raise ParameterError(
                    "type",
                    _("type must be one of: %(kinds)s.") % {"kinds": ", ".join(SEARCH_KINDS)},
                    code="invalid_choice",
                )
            kinds = [wanted]
        found = []
        for kind in kinds:
            model, _summary = SEARCH_KINDS[kind]
            queryset = selectors.published_in_locale(model, self.reader.locale, self.reader.private_q)
            found.append([(kind, pk) for pk in search.search_pks(queryset, query, self.reader.locale)])
        page = self.paginate_queryset(ConcatenatedResults(found))
        with self.content_in(self.reader.locale.language_code):
            results = self._results(page)
        return self.get_paginated_response(results)

    def _results(self, page):
        wanted = {}
        for kind, pk in page:
            wanted.setdefault(kind, []).append(pk)
        loaded = {}
        for kind, pks in wanted.items():
            model, _summary = SEARCH_KINDS[kind]
            loaded.update({(kind, item.pk): item for item in model.objects.filter(pk__in=pks)})
        results = []
        for kind, pk in page:
            item = loaded[(kind, pk)]
            summary_field = SEARCH_KINDS[kind][1]
            summary = getattr(item, "summary", "") or (getattr(item, summary_field) if summary_field else "")
            results.append(
                prepare.reference(
                    self.reader, item, kind, parts.SearchResult, type=kind, summary=summary or ""
                )
            )
        return self.get_serializer(results, many=True).data
