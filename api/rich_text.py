"""Rich text as clean, public HTML.

Wagtail stores rich text with internal references (``<a linktype="page" id="3">``,
``<a linktype="document" id="7">``, ``<embed embedtype="image" .../>``) that only
Wagtail can read. The API turns each into a public URL: a page link points at
the linked item's API URL in the language served (plain text when the target is
not public) and names the item in ``data-`` attributes (kind, key, locale, slug)
so that a site maps it to its own route without reading the URL, a document link
at the document's public URL, an embedded image at a rendition. All the references of a response are resolved together, a few
queries in all, before any HTML is written. What comes out is cleaned by the
book's one allow-list of markup and addresses (``book.links``).
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from book import kinds as book_kinds
from book import selectors
from book.links import public_html, public_url_or_empty, without_foreign_images
from book.text import link_note_references

from . import dependencies
from .images import INLINE_RENDITION

FIND_LINK = re.compile(r"<a(\b[^>]*)>(.*?)</a>", re.DOTALL)
# The attributes by which the API names a link's target: only the API writes them.
TARGET_ATTRIBUTE = re.compile(
    r'\s+data-(?:kind|key|locale|slug)(?:="[^"]*"|=\'[^\']*\'|=[^\s>]*)?', re.IGNORECASE
)


class RichTextBatch:
    """The rich text of one response: references gathered first, resolved once, then rendered."""

    def __init__(self, reader, images, locale_id):
        self.reader = reader
        self.images = images
        self.locale_ids = reader.chain_from(locale_id)
        self.page_ids = set()
        self.document_ids = set()
        self._resolved = False
        self._linked = None
        self._versions = None
        # {page id: (url, {data- attribute: value})}
        self.page_links = {}
        self.document_urls = {}

    def collect(self, html):
        html = html or ""
        for match in FIND_LINK.finditer(html):
            attrs = extract_attrs(match.group(1))
            if attrs.get("linktype") == "page" and attrs.get("id", "").isdigit():
                self.page_ids.add(int(attrs["id"]))
                dependencies.note_ids("page", [attrs["id"]])
            elif attrs.get("linktype") == "document" and attrs.get("id", "").isdigit():
                self.document_ids.add(int(attrs["id"]))
                dependencies.note_ids("document", [attrs["id"]])
        for match in FIND_EMBED_TAG.finditer(html):
            attrs = extract_attrs(match.group(1))
            if attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit():
                self.images.add(attrs["id"])
        return html

    def _resolve(self):
        if self._resolved:
            return
        self._resolved = True
        if self.page_ids:
            self._resolve_pages()
        if self.document_ids:
            self._resolve_documents()

    def linked_keys(self):
        """The translation keys of the pages the collected rich text links to (one query, once)."""
        if self._linked is None:
            self._linked = (
                dict(
                    Page.objects.filter(pk__in=self.page_ids).order_by().values_list("pk", "translation_key")
                )
                if self.page_ids
                else {}
            )
        return self._linked

    def use_linked_keys(self, linked):
        """Take ``linked_keys`` from the caller, who read them with its own: ``{page id: key}``
        for every collected page id that exists."""
        self._linked = linked

    def use_versions(self, versions):
        """Resolve page links from versions found by the caller together with its own.

        ``versions`` maps translation keys to the best public version in this
        batch's locales, with ``content_type_id``, for every key of ``linked_keys``.
        """
        self._versions = versions

    def _resolve_pages(self):
        linked = self.linked_keys()
        versions = self._versions
        if versions is None:
            versions = selectors.best_versions(
                selectors.public(Page.objects.all(), self.reader.private_q),
                linked.values(),
                self.locale_ids,
                fields=("content_type_id", "slug"),
            )
        # A page of a kind the API serves links to its detail; an index page (of contributors,
        # of themes) to the list of its kind; a page listed in another kind's list (a part) to
        # that list filtered by it.
        pages = book_kinds.pages()
        indexed = [kind for kind in book_kinds.KINDS if kind.index_model_label]
        content_types = ContentType.objects.get_for_models(
            *(kind.model for kind in pages), *(kind.index_model for kind in indexed)
        )
        kinds = {content_types[kind.model].pk: kind for kind in pages}
        index_kinds = {content_types[kind.index_model].pk: kind for kind in indexed}
        for page_id, key in linked.items():
            target = versions.get(key)
            if target is None:
                continue
            locale = self.reader.code(target.locale_id)
            kind = kinds.get(target.content_type_id)
            if kind is not None and kind.served:
                url = self.reader.item_url(kind.name, key, target.locale_id)
                names = {"kind": kind.name, "key": key, "locale": locale, "slug": target.slug}
            elif kind is not None and kind.listed_in is not None:
                listed_in, parameter = kind.listed_in
                url = self.reader.list_url(listed_in, target.locale_id, **{parameter: key})
                names = {"kind": kind.name, "key": key, "locale": locale, "slug": target.slug}
            elif target.content_type_id in index_kinds:
                # A link to a whole list (an index page) has no key nor slug: its kind is the list's name.
                index_kind = index_kinds[target.content_type_id]
                url = self.reader.list_url(index_kind.name, target.locale_id)
                names = {"kind": index_kind.segment, "locale": locale}
            else:
                continue
            self.page_links[page_id] = (url, names)

    def _resolve_documents(self):
        restricted = [
            restriction.collection.path
            for restriction in CollectionViewRestriction.objects.select_related("collection")
        ]
        documents = get_document_model().objects.filter(pk__in=self.document_ids).select_related("collection")
        for document in documents:
            if any(document.collection.path.startswith(path) for path in restricted):
                continue
            self.document_urls[document.pk] = self.reader.absolute(document.url)

    def _link(self, match):
        attrs = extract_attrs(match.group(1))
        inner = match.group(2)
        linktype = attrs.get("linktype")
        if linktype is None:
            if "data-" not in match.group(1).lower():
                return match.group(0)
            # Written by other means than the editor: it may not pass for a link the API resolved.
            return f"<a{TARGET_ATTRIBUTE.sub('', match.group(1))}>{inner}</a>"
        url = None
        names = {}
        if attrs.get("id", "").isdigit():
            if linktype == "page":
                url, names = self.page_links.get(int(attrs["id"]), (None, {}))
            elif linktype == "document":
                url = self.document_urls.get(int(attrs["id"]))
        if url is None:
            return inner
        data = "".join(f' data-{name}="{escape(value)}"' for name, value in names.items())
        return f'<a href="{escape(url)}"{data}>{inner}</a>'

    def _embed(self, match):
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") == "image":
            image = self.images.serialize(attrs.get("id"), alt=attrs.get("alt", ""))
            rendition = image.renditions.get(INLINE_RENDITION) if image else None
            if rendition is None:
                return ""
            css_class = f"richtext-image {attrs.get('format', '')}".strip()
            return (
                f'<img alt="{escape(image.alt)}" class="{escape(css_class)}" '
                f'height="{rendition.height}" src="{escape(rendition.url)}" width="{rendition.width}">'
            )
        url = public_url_or_empty(attrs.get("url")) if attrs.get("embedtype") == "media" else ""
        if url:
            return f'<a href="{escape(url)}">{escape(url)}</a>'
        return ""

    def render(self, html, notes=None, referenced=None):
        """Clean HTML for ``html``; ``[^N]`` markers become links to notes when ``notes`` is given.

        ``referenced`` collects the notes already referenced in this body, so that
        only the first reference to a note carries the anchor notes link back to.
        """
        if not html:
            return ""
        self._resolve()
        html = without_foreign_images(html)
        html = FIND_LINK.sub(self._link, html)
        html = FIND_EMBED_TAG.sub(self._embed, html)
        if notes is not None:
            html = link_note_references(html, notes, referenced)
        return public_html.clean(html)
