"""Purging the CDN in front of the API when published content changes.

The app servers' own response cache follows every change (``api.http``), but a
CDN keeps each URL for ``API_CACHE_S_MAXAGE`` seconds whatever happens. So the
URLs whose content changed are purged through
``wagtail.contrib.frontend_cache`` (configured in ``WAGTAILFRONTENDCACHE``;
nothing is sent when it is empty):

- the stored documents (``api.documents``) that a change made stale are built
  again once it commits, and exactly those whose body changed or that are gone
  are purged: a detail by key and by slug in the language it is read in, and
  the list of a summary's language (``purge_documents``);
- the responses made at each request are purged when the items they show are
  published, unpublished, moved or deleted: the detail of a page's book (the
  table of contents), by key and by slug, in its language and in every language
  that falls back to it, with ``?locale=`` and, for the source language,
  without; the book list; the list of the item's kind (and of its children's)
  in its language, which it may join or leave without any stored document
  changing; ``/api/v1/locales/`` when a language is added, changed or removed;
  and when a section is made private or public again, all of the above for each
  page it hides or shows.

Those responses made at each request, and the lists, are purged only when their
body changed: each is read again once the change committed (without the
response cache) and the digest of its body compared with the one kept when it
was last looked at (``changed_urls``).

Everything else cannot be listed: lists with other query strings (filters,
pages, ordering) and search results. Those URLs expire from the CDN after the
short ``API_CACHE_S_MAXAGE``.

The purge is sent once the transaction commits, so that the CDN cannot fetch
the old content again in between. It is sent from the request that published,
so a cache front end that does not answer must not hold the editor there:
:class:`HTTPPurgeBackend` waits ``FRONTEND_CACHE_TIMEOUT_SECONDS`` at most and
gives up on the rest of the batch once the front end is found unreachable.
"""

import hashlib
import logging
import uuid
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from wagtail import signals as wagtail_signals
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Locale, PageViewRestriction

from book import kinds, selectors
from book.models import BookPage

from . import documents, http
from .kinds import public_url
from .languages import from_accept_language
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


def made_at_each_request(kind):
    """Whether the responses of ``kind`` are not stored documents, whose own changes purge them."""
    return kind.served and not documents.is_documented(kind.name)


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
        if made_at_each_request(kind):
            urls += item_urls(kind.name, item, codes)
        if kind.served:
            # Whether it is in a list or not changes no stored document.
            urls += list_urls(kind.name, codes[0])
        showing = [other for other in kinds.showing(kind, kinds.PARENT) if other.served]
    for child_kind in showing:
        # Every chapter of a part names it.
        if made_at_each_request(child_kind):
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
    """Once the change committed, purge those of ``urls`` (lists, books, made at each request) whose body
    changed (``changed_urls``)."""
    if urls:
        transaction.on_commit(lambda: _purge(changed_urls(urls)), robust=True)


def _purge(urls):
    if urls:
        purge_urls_from_cache(urls)


def _digest_key(url):
    return f"api:v1:cdn:{hashlib.sha256(url.encode()).hexdigest()}"


def changed_urls(urls):
    """Those of ``urls`` whose body differs from the one they had when last looked at here.

    Each is read again as the CDN would read it, without the response cache, and the digest of its
    body kept in the shared cache: a URL found unchanged is not purged. The CDN holds nothing older
    than that body, which was current when it was looked at and purged if it had changed. A URL
    never looked at, or that cannot be read here, is purged.
    """
    cache = http.response_cache()
    keys = {url: _digest_key(url) for url in urls}
    known = cache.get_many(list(keys.values()))
    found, changed = {}, []
    for url, key in keys.items():
        digest = _body_digest(url)
        if digest is None or known.get(key) != digest:
            changed.append(url)
        if digest is not None:
            found[key] = digest
    if found:
        cache.set_many(found, timeout=None)
    return changed


def _body_digest(url):
    """The digest of the status and body ``url`` answers with, read afresh; None when it cannot be read."""
    parsed = urlsplit(url)
    request = RequestFactory().get(parsed.path, QueryDict(parsed.query))
    request.get_host = lambda: parsed.netloc
    request._get_scheme = lambda: parsed.scheme
    # Not from the response cache, whose tokens may not be replaced yet.
    request.api_uncached = True
    try:
        match = resolve(parsed.path)
        with translation.override(from_accept_language(request)):
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            content = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception:
        logger.warning("Could not read %s to tell whether it changed; purging it.", url, exc_info=True)
        return None
    return hashlib.sha256(f"{response.status_code}\n".encode() + content).hexdigest()


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


def document_urls(documents, slugs=None):
    """The URLs serving the stored documents ``documents`` ((kind, key, locale id, shape) each, the key
    in 32 hex digits): a detail by key and by slug in the language it is read in, a summary's list.

    ``slugs``: slugs of items deleted since, ``{key: {slug}}``, which the database no longer knows.
    """
    from .models import StoredDocument

    codes = dict(Locale.objects.values_list("pk", "language_code"))
    by_kind = {}
    for kind, key, _locale_id, shape in documents:
        if shape == StoredDocument.DETAIL:
            by_kind.setdefault(kind, set()).add(key)
    slugs = {key: set(found) for key, found in (slugs or {}).items()}
    for kind, found in by_kind.items():
        model = kinds.get(kind).model
        wanted = [uuid.UUID(key) for key in found]
        for key, slug in model.objects.filter(translation_key__in=wanted).values_list(
            "translation_key", "slug"
        ):
            slugs.setdefault(key.hex if hasattr(key, "hex") else str(key).replace("-", ""), set()).add(slug)
    urls = []
    for kind, key, locale_id, shape in sorted(documents):
        code = codes.get(locale_id)
        if code is None:
            continue
        if shape == StoredDocument.SUMMARY:
            urls += list_urls(kind, code)
            continue
        for ref in [str(uuid.UUID(key)), *sorted(slugs.get(key, ()))]:
            urls += variants(reverse(f"api:{kind}-detail", kwargs={"ref": ref}), [code])
    return list(dict.fromkeys(urls))


def purge_documents(refreshed):
    """After a change committed: purge the URLs of the stored documents it changed or removed
    (``api.documents.Refreshed``); the lists of the summaries among them when their body changed."""
    from .models import StoredDocument

    if not enabled():
        return
    urls = document_urls(refreshed.changed, refreshed.slugs)
    lists = set(document_urls([row for row in refreshed.changed if row[3] == StoredDocument.SUMMARY]))
    if lists:
        unchanged = lists - set(changed_urls(sorted(lists)))
        urls = [url for url in urls if url not in unchanged]
    if urls:
        purge_urls_from_cache(urls)
