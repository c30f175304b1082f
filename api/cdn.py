"""Purging the CDN in front of the API when published content changes.

The app servers' own response cache changes its keys on every change
(``api.http``), but a CDN keeps each URL for ``API_CACHE_S_MAXAGE`` seconds
whatever happens. When a page of a book or a city or sector is published,
unpublished, moved or deleted, the URLs that surely show it are purged through
``wagtail.contrib.frontend_cache`` (configured in ``WAGTAILFRONTENDCACHE``;
nothing is sent when it is empty):

- its detail, by key and by slug, in its language and in every language that
  falls back to it, with ``?locale=`` and, for the source language, without;
- the list of its kind in its language;
- for a page, the detail of its book (the table of contents) and the book list;
- ``/api/v1/locales/`` when a language is added, changed or removed;
- when a section is made private or public again, all of the above for each
  page it hides or shows.

Everything else cannot be listed: lists with other query strings (filters,
pages, ordering), search results and the other items that refer to the one that
changed (a contributor's chapters). Those URLs expire from the CDN after the
short ``API_CACHE_S_MAXAGE``.

The purge is sent once the transaction commits, so that the CDN cannot fetch
the old content again in between. It is sent from the request that published,
so a cache front end that does not answer must not hold the editor there:
:class:`HTTPPurgeBackend` waits ``FRONTEND_CACHE_TIMEOUT_SECONDS`` at most and
gives up on the rest of the batch once the front end is found unreachable.
"""

import logging
import uuid
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import reverse
from wagtail import signals as wagtail_signals
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Locale, PageViewRestriction

from book import kinds, selectors
from book.models import BookPage

from .kinds import public_url
from .reader import LOCALE_PARAMETER, fallback_codes

BOOK_PAGES = (*kinds.page_models(), *kinds.index_models())
SNIPPETS = kinds.snippet_models()

logger = logging.getLogger("wagtail.frontendcache")


class HTTPPurgeBackend(HTTPBackend):
    """Wagtail's HTTP ``PURGE`` backend, with a timeout, and one failure to reach the front end per batch.

    Wagtail's own waits as long as the front end keeps the connection open, and
    tries every URL of a batch even when the first found nobody there.
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", getattr(settings, "FRONTEND_CACHE_TIMEOUT_SECONDS", 5)))
        super().__init__(params)

    def _send(self, url):
        """PURGE one URL; False if the front end could not be reached at all."""
        parsed = urlsplit(url)
        try:
            response = requests.request(
                "PURGE",
                urlunsplit([self.cache_scheme, self.cache_netloc, parsed.path, parsed.query, ""]),
                headers={"Host": parsed.netloc, "User-Agent": "book-cms-frontendcache"},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            logger.error("Couldn't purge '%s' from HTTP cache: %s", url, error)
            return False
        response.close()
        if response.status_code >= 400:
            logger.error("Couldn't purge '%s' from HTTP cache: HTTP %d", url, response.status_code)
        return True

    def purge(self, url):
        self._send(url)

    def purge_batch(self, urls):
        for position, url in enumerate(urls):
            if not self._send(url):
                if position + 1 < len(urls):
                    logger.error(
                        "Gave up purging %d more URLs: the cache front end is unreachable.",
                        len(urls) - position - 1,
                    )
                return


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def absolute(path, code=None):
    return public_url(path, **{LOCALE_PARAMETER: code})


def variants(path, codes):
    """``path`` as readers of these languages ask for it."""
    urls = [absolute(path, code) for code in codes]
    if settings.LANGUAGE_CODE in codes:
        urls.append(absolute(path))
    return urls


def reading_codes(locale_id):
    """The item's language and the languages whose readers are served it when theirs is missing."""
    codes = dict(Locale.objects.values_list("pk", "language_code"))
    own = codes.get(locale_id)
    if own is None:
        return []
    return [own, *(code for code in codes.values() if code != own and own in fallback_codes(code))]


def item_urls(kind, item, codes):
    urls = []
    for ref in dict.fromkeys([str(item.translation_key), item.slug]):
        urls += variants(reverse(f"api:{kind}-detail", kwargs={"ref": ref}), codes)
    return urls


def list_urls(kind, code):
    return variants(reverse(f"api:{kind}-list"), [code])


def urls_for_item(item, books=()):
    """The URLs showing ``item`` (a book page or a snippet), and the tables of contents of ``books``."""
    codes = reading_codes(item.locale_id)
    if not codes:
        return []
    urls = []
    kind = kinds.kind_of(item)
    if kind is None:
        showing = []
    else:
        if kind.served:
            urls += item_urls(kind.name, item, codes)
            urls += list_urls(kind.name, codes[0])
        showing = [other for other in kinds.showing(kind, kinds.PARENT) if other.served]
    for child_kind in showing:
        # Every chapter of a part names it.
        for child in child_kind.model.objects.child_of(item):
            urls += item_urls(child_kind.name, child, codes)
        urls += list_urls(child_kind.name, codes[0])
    for book in books:
        book_codes = reading_codes(book.locale_id)
        urls += item_urls("book", book, book_codes)
        urls += list_urls("book", book_codes[0]) if book_codes else []
    return list(dict.fromkeys(urls))


def book_of(page):
    return BookPage.objects.ancestor_of(page, inclusive=True).first()


def urls_for_page(page, *other_places):
    books = {book.pk: book for book in map(book_of, (page, *other_places)) if book is not None}
    return urls_for_item(page, books.values())


def purge_on_commit(urls):
    if urls:
        transaction.on_commit(lambda: purge_urls_from_cache(urls), robust=True)


def _page_changed(sender, instance, **kwargs):
    if enabled() and isinstance(instance, BOOK_PAGES):
        purge_on_commit(urls_for_page(instance))


def _page_moved(sender, instance, parent_page_before=None, **kwargs):
    if not (enabled() and isinstance(instance.specific_deferred, BOOK_PAGES)):
        return
    places = [parent_page_before] if parent_page_before is not None else []
    purge_on_commit(urls_for_page(instance.specific, *places))


def _snippet_changed(sender, instance, **kwargs):
    if enabled() and isinstance(instance, SNIPPETS):
        purge_on_commit(urls_for_item(instance))


def _deleting(sender, instance, **kwargs):
    """Before the rows go: a deleted page's book can no longer be found afterwards."""
    if not enabled():
        return
    if isinstance(instance, BOOK_PAGES):
        purge_on_commit(urls_for_page(instance))
    elif isinstance(instance, SNIPPETS):
        purge_on_commit(urls_for_item(instance))


def _visibility_changed(sender, instance, created=True, **kwargs):
    """A section made private, or public again: the pages that change hands with it."""
    if not (enabled() and created):
        return
    urls = []
    for page in selectors.turned_by(instance):
        if isinstance(page, BOOK_PAGES):
            urls += urls_for_page(page)
    purge_on_commit(list(dict.fromkeys(urls)))


def _locale_changed(sender, instance, **kwargs):
    if enabled():
        purge_on_commit([absolute(reverse("api:locale-list"))])


def connect():
    for name in ("page_published", "page_unpublished"):
        getattr(wagtail_signals, name).connect(_page_changed, dispatch_uid=f"api-cdn-{name}")
    wagtail_signals.post_page_move.connect(_page_moved, dispatch_uid="api-cdn-page-moved")
    for name in ("published", "unpublished"):
        getattr(wagtail_signals, name).connect(_snippet_changed, dispatch_uid=f"api-cdn-{name}")
    pre_delete.connect(_deleting, dispatch_uid="api-cdn-deleting")
    post_save.connect(_visibility_changed, sender=PageViewRestriction, dispatch_uid="api-cdn-made-private")
    post_delete.connect(_visibility_changed, sender=PageViewRestriction, dispatch_uid="api-cdn-made-public")
    post_save.connect(_locale_changed, sender=Locale, dispatch_uid="api-cdn-locale-saved")
    post_delete.connect(_locale_changed, sender=Locale, dispatch_uid="api-cdn-locale-deleted")


def document_urls(keys):
    """The URLs serving the stored documents of the items ``keys`` (32 hex digits): each detail by
    key and by slug in the language it is read in, and the list its summary is in."""
    from .models import StoredDocument

    codes = dict(Locale.objects.values_list("pk", "language_code"))
    rows = StoredDocument.objects.filter(key__in=list(keys)).values_list("kind", "key", "locale_id", "shape")
    by_kind = {}
    for kind, key, _locale_id, _shape in rows:
        by_kind.setdefault(kind, set()).add(key)
    slugs = {}
    for kind, found in by_kind.items():
        model = kinds.get(kind).model
        wanted = [uuid.UUID(key) for key in found]
        for key, slug in model.objects.filter(translation_key__in=wanted).values_list(
            "translation_key", "slug"
        ):
            slugs.setdefault(key.hex if hasattr(key, "hex") else str(key).replace("-", ""), set()).add(slug)
    urls = []
    for kind, key, locale_id, shape in rows:
        code = codes.get(locale_id)
        if code is None:
            continue
        if shape == StoredDocument.SUMMARY:
            urls += list_urls(kind, code)
            continue
        for ref in [str(uuid.UUID(key)), *sorted(slugs.get(key, ()))]:
            urls += variants(reverse(f"api:{kind}-detail", kwargs={"ref": ref}), [code])
    return list(dict.fromkeys(urls))


def purge_documents(showing, change):
    """After a change committed: purge the URLs of the documents it made stale."""
    if not enabled():
        return
    keys = {key for key, _kind in showing} | {
        target for target in change.targets if len(target) == 32 and ":" not in target
    }
    urls = document_urls(keys)
    if urls:
        purge_urls_from_cache(urls)
