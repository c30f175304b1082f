"""Rich text of the book as markup of an edition: well-formed, public, with its links and notes resolved.

A link to a page the edition holds points inside it (a chapter, a part, a
biography); a link to any other public page leads to its public address; a
link to a page a reader may not see becomes plain text. Every address then
goes through the book's one allow-list (``book.links``), so an address the
API refuses never reaches an edition either. ``[^N]`` markers become note
references carrying their DPUB-ARIA role.
"""

import re

from bs4 import BeautifulSoup
from django.utils.html import escape
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from book.links import public_html, public_url_or_empty
from book.text import FOOTNOTE_MARKER_RE

FIND_LINK = re.compile(r"<a(\b[^>]*)>(.*?)</a>", re.DOTALL)


def note_id(prefix, number):
    return f"{prefix}-note-{number}"


def note_reference_id(prefix, number):
    return f"{prefix}-note-ref-{number}"


def well_formed(html):
    """``html`` re-written as well-formed markup (closed void elements, no named entities)."""
    if "<" not in html and "&" not in html:
        return html
    return BeautifulSoup(html, "html.parser").decode(formatter="minimal")


class RichText:
    """Turns the book's stored rich text into edition markup; ``epub`` selects EPUB's attributes."""

    def __init__(self, content, epub):
        self.content = content
        self.epub = epub

    def href(self, target, current_file=""):
        if target.url:
            return target.url
        if not self.epub:
            return f"#{target.anchor}"
        if target.file == current_file:
            return f"#{target.anchor}"
        return f"{target.file}#{target.anchor}"

    def render(self, html, current_file="", notes=None):
        """Edition markup for stored rich text ``html``.

        ``notes`` is a ``NoteCalls`` of the body being written: its ``[^N]``
        markers become links to the notes, and it records which notes this
        piece of text called first.
        """
        if not html:
            return ""

        def link(match):
            attrs = extract_attrs(match.group(1))
            inner = match.group(2)
            linktype = attrs.get("linktype")
            if linktype is None:
                return match.group(0)
            url = None
            if attrs.get("id", "").isdigit():
                if linktype == "page":
                    target = self.content.links.get(int(attrs["id"]))
                    url = self.href(target, current_file) if target else None
                elif linktype == "document":
                    url = self.content.documents.get(int(attrs["id"]))
            if url is None:
                return inner
            return f'<a href="{escape(url)}">{inner}</a>'

        def embed(match):
            attrs = extract_attrs(match.group(1))
            url = public_url_or_empty(attrs.get("url")) if attrs.get("embedtype") == "media" else ""
            return f'<a href="{escape(url)}">{escape(url)}</a>' if url else ""

        html = FIND_LINK.sub(link, html)
        html = FIND_EMBED_TAG.sub(embed, html)
        html = well_formed(public_html.clean(html))
        if notes is not None:
            html = FOOTNOTE_MARKER_RE.sub(notes.call, html)
        return html


class NoteCalls:
    """The note references of one chapter body: the first call of a note carries the id it links back to."""

    def __init__(self, prefix, numbers, epub):
        self.prefix = prefix
        self.numbers = set(numbers)
        self.epub = epub
        self.called = []
        self.fresh = []

    def call(self, match):
        number = int(match.group(1))
        if number not in self.numbers:
            return match.group(0)
        anchor = ""
        if number not in self.called:
            self.called.append(number)
            self.fresh.append(number)
            anchor = f' id="{note_reference_id(self.prefix, number)}"'
        epub_type = ' epub:type="noteref"' if self.epub else ""
        return (
            f'<sup><a class="note-ref" href="#{note_id(self.prefix, number)}"{anchor} '
            f'role="doc-noteref"{epub_type}>{number}</a></sup>'
        )

    def take_fresh(self):
        """The notes first called since the last time this was asked."""
        fresh, self.fresh = self.fresh, []
        return fresh
