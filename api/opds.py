"""The OPDS catalogs of the editions: reading apps (Thorium, KOReader, Calibre) browse and download the book.

One acquisition feed lists, for every language whose book is published, the
book with its cover, summary, language, contributors and a link to each of its
built files (open access). It reads the record of the editions only. The same
publications are given in OPDS 1.2 (Atom, ``/api/v1/opds/``) and OPDS 2.0
(JSON, ``/api/v1/opds/v2/``), each linking to the other as an alternate.
"""

import datetime
import functools
import json
import logging
import mimetypes
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from book import selectors
from book.models import BookPage, ContributorPage, Edition

from . import documents
from .http import CachedResponses

logger = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS_JSON = "application/opds+json"
ALLOWED = "GET, HEAD"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
COVER_RENDITIONS = {
    "http://opds-spec.org/image": "max-1200x1200",
    "http://opds-spec.org/image/thumbnail": "max-300x300",
}

ElementTree.register_namespace("", ATOM)
ElementTree.register_namespace("dc", DC)
ElementTree.register_namespace("opds", OPDS)


def _timestamp(value):
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent, tag, text=None, namespace=ATOM, **attributes):
    element = ElementTree.SubElement(
        parent, f"{{{namespace}}}{tag}", {k: str(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = str(text)
    return element


def cover_images(book, request):
    """The cover and its thumbnail as ``(rel, rendition, absolute URL, media type)``; none when it has no file."""
    if book.cover_image is None:
        return []
    images = []
    for rel, spec in COVER_RENDITIONS.items():
        try:
            rendition = book.cover_image.get_rendition(spec)
        except Exception:
            # A cover whose file is missing is left out rather than failing the catalog.
            logger.warning("No %s rendition of the cover of book %s.", spec, book.pk, exc_info=True)
            return []
        url = request.build_absolute_uri(rendition.url)
        images.append((rel, rendition, url, mimetypes.guess_type(rendition.url)[0] or "image/jpeg"))
    return images


def _cover_links(entry, book, request):
    for rel, _rendition, url, media_type in cover_images(book, request):
        _add(entry, "link", rel=rel, href=url, type=media_type)


def catalog_entries():
    """The published books that have at least one built edition, each with its editions, by language."""
    editions = {}
    for edition in Edition.objects.exclude(file="").order_by("format"):
        editions.setdefault((edition.book_key, edition.locale_id), []).append(edition)
    books = (
        selectors.published(BookPage)
        .select_related("locale", "cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("locale__language_code", "path")
    )
    return [
        (book, editions[(book.translation_key, book.locale_id)])
        for book in books
        if (book.translation_key, book.locale_id) in editions
    ]


def contributors_by_locale(locale_ids):
    names = {}
    for locale_id, title in (
        selectors.published(ContributorPage)
        .filter(locale_id__in=locale_ids)
        .order_by("title")
        .values_list("locale_id", "title")
    ):
        names.setdefault(locale_id, []).append(title)
    return names


def last_built(entries):
    built = [edition.built_at for _book, editions in entries for edition in editions if edition.built_at]
    return max(built) if built else timezone.now()


def book_url(request, book):
    """The book's address in the public API, in its language: also its identifier in the catalogs."""
    detail = request.build_absolute_uri(reverse("api:book-detail", kwargs={"ref": book.translation_key}))
    return f"{detail}?locale={book.locale.language_code}"


def _respond(body, content_type):
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def cached(view):
    """A catalog answered as the API's other responses are (``api.http``): it has the ETag of its body,
    a matching ``If-None-Match`` gets a 304, and it is kept in the response cache until something
    public changes in any language (it lists every language's book, editions and contributors)."""

    @functools.wraps(view)
    def respond(request):
        responses = CachedResponses(request, tokens=["all", documents.ANY])
        answer = responses.answer()
        if answer is None:
            answer = view(request)
            answer["Allow"] = ALLOWED
            responses.store(answer)
            if responses.matches():
                answer = responses.finish(HttpResponseNotModified())
            else:
                answer = responses.finish(answer)
        answer["Allow"] = ALLOWED
        return answer

    return respond


@require_safe
@cached
def catalog(request):
    entries = catalog_entries()
    authors = contributors_by_locale({book.locale_id for book, _editions in entries})
    self_url = request.build_absolute_uri(request.path)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", self_url)
    _add(feed, "title", settings.WAGTAIL_SITE_NAME)
    _add(feed, "updated", _timestamp(last_built(entries)))
    _add(_add(feed, "author"), "name", settings.WAGTAIL_SITE_NAME)
    _add(feed, "link", rel="self", href=self_url, type=ACQUISITION_FEED)
    _add(feed, "link", rel="start", href=self_url, type=ACQUISITION_FEED)
    _add(
        feed,
        "link",
        rel="alternate",
        href=request.build_absolute_uri(reverse("api:opds-json")),
        type=OPDS_JSON,
    )
    for book, editions in entries:
        code = book.locale.language_code
        identifier = book_url(request, book)
        entry = _add(feed, "entry")
        _add(entry, "id", identifier)
        _add(entry, "title", book.title)
        _add(entry, "updated", _timestamp(max(edition.built_at for edition in editions)))
        for name in authors.get(book.locale_id, []):
            _add(_add(entry, "author"), "name", name)
        _add(entry, "language", code, namespace=DC)
        if book.publication_date:
            _add(entry, "issued", book.publication_date.isoformat(), namespace=DC)
        if book.licence:
            _add(entry, "rights", book.licence)
        if book.summary:
            _add(entry, "summary", book.summary, type="text")
        _add(
            entry,
            "link",
            rel="alternate",
            href=identifier,
            type="application/json",
            hreflang=code,
        )
        _cover_links(entry, book, request)
        for edition in editions:
            _add(
                entry,
                "link",
                rel=OPEN_ACCESS,
                href=request.build_absolute_uri(edition.file.url),
                type=edition.media_type,
                length=edition.bytes,
                hreflang=code,
            )
    body = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return _respond(body, f"{ACQUISITION_FEED};charset=utf-8")


@require_safe
@cached
def catalog_json(request):
    """The same catalog in OPDS 2.0: a feed of publications, each with its metadata, links and cover."""
    entries = catalog_entries()
    authors = contributors_by_locale({book.locale_id for book, _editions in entries})
    self_url = request.build_absolute_uri(request.path)
    feed = {
        "metadata": {"title": settings.WAGTAIL_SITE_NAME, "modified": _timestamp(last_built(entries))},
        "links": [
            {"rel": "self", "href": self_url, "type": OPDS_JSON},
            {"rel": "start", "href": self_url, "type": OPDS_JSON},
            {
                "rel": "alternate",
                "href": request.build_absolute_uri(reverse("api:opds")),
                "type": ACQUISITION_FEED,
            },
        ],
        "publications": [
            publication(request, book, editions, authors.get(book.locale_id, []))
            for book, editions in entries
        ],
    }
    body = json.dumps(feed, ensure_ascii=False, indent=1).encode()
    return _respond(body, f"{OPDS_JSON};charset=utf-8")


def publication(request, book, editions, authors):
    code = book.locale.language_code
    identifier = book_url(request, book)
    metadata = {
        "@type": "http://schema.org/Book",
        "identifier": identifier,
        "title": book.title,
        "language": code,
        "modified": _timestamp(max(edition.built_at for edition in editions)),
    }
    if book.subtitle:
        metadata["subtitle"] = book.subtitle
    if authors:
        metadata["author"] = [{"name": name} for name in authors]
    if book.editorial_direction:
        metadata["publisher"] = book.editorial_direction
    if book.publication_date:
        metadata["published"] = book.publication_date.isoformat()
    if book.summary:
        metadata["description"] = book.summary
    if book.licence:
        metadata["rights"] = book.licence
    links = [{"rel": "self", "href": identifier, "type": "application/json"}]
    links += [
        {
            "rel": OPEN_ACCESS,
            "href": request.build_absolute_uri(edition.file.url),
            "type": edition.media_type,
        }
        for edition in editions
    ]
    result = {"metadata": metadata, "links": links}
    images = [
        {"href": url, "type": media_type, "width": rendition.width, "height": rendition.height}
        for _rel, rendition, url, media_type in cover_images(book, request)
    ]
    if images:
        # A book without a cover has no image to give; OPDS 2.0 asks for one where there is one.
        result["images"] = images
    return result
