"""The addresses the book lets out: one allow-list for every URL it stores, serves or shows.

A link, an embed or a bibliography entry may only lead to an ``http``/``https``
address (``mailto:`` too, where a link in text allows it). Everything that
accepts a URL (the blocks' forms, the translation editor's overrides, the
models' own checks) and everything that emits one (the API, the reading
templates, the clean-up of rich text) asks this module, so that a
``javascript:``, ``data:`` or ``vbscript:`` address typed by anyone, or written
to the database by other means, is refused on the way in and never comes out.

A browser ignores tabs and newlines inside a URL, spaces and control
characters around it and decodes HTML entities in an attribute, so the scheme
is read the way a browser reads it, and an address whose scheme is hidden
that way is refused even when it is an allowed one.
"""

import re
from html import unescape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister, attribute_rule

WEB_SCHEMES = frozenset({"http", "https"})
MAIL_SCHEME = "mailto"

# What browsers skip in a URL before reading its scheme: whitespace and control
# characters (C0, DEL, C1), invisible format characters, and the replacement character.
IGNORED = re.compile(r"[\x00-\x20\x7f-\xa0\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffd]+")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Entities within entities (``&amp;#106;``) are decoded this many times at most.
UNESCAPE_ROUNDS = 3
# A scheme shown in an error message is cut to this length.
SHOWN_SCHEME_LENGTH = 20


def read_scheme(url):
    """The scheme a browser would find in ``url``, lower-cased; "" for a relative address."""
    seen = url
    for _round in range(UNESCAPE_ROUNDS):
        decoded = unescape(seen)
        if decoded == seen:
            break
        seen = decoded
    match = SCHEME.match(IGNORED.sub("", seen))
    return match.group(1).lower() if match else ""


def url_problem(url, *, mailto=False, relative=False):
    """Why ``url`` may not be stored or emitted, as a ValidationError; None when it may.

    ``mailto`` lets ``mailto:`` addresses through (links in text), ``relative``
    addresses without a scheme (``#note-1``, ``/media/...``: markup the site writes).
    """
    if not isinstance(url, str):
        return ValidationError(_("This address is not text."), code="invalid_url")
    scheme = read_scheme(url)
    if not scheme:
        if relative:
            return None
        return ValidationError(
            _("Give a full address, starting with http:// or https://."), code="relative_url"
        )
    allowed = (WEB_SCHEMES | {MAIL_SCHEME}) if mailto else WEB_SCHEMES
    if scheme not in allowed:
        shown = scheme[:SHOWN_SCHEME_LENGTH]
        if mailto:
            message = _("“%(scheme)s:” addresses are not accepted: only http://, https:// and mailto: are.")
        else:
            message = _("“%(scheme)s:” addresses are not accepted: only http:// and https:// are.")
        return ValidationError(message, code="unsafe_url_scheme", params={"scheme": shown})
    if not url.lower().startswith(f"{scheme}:"):
        return ValidationError(
            _("This address hides its beginning behind spaces, control characters or HTML entities."),
            code="obfuscated_url",
        )
    if scheme in WEB_SCHEMES:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if not host:
            return ValidationError(_("This address has no host name."), code="url_without_host")
    return None


def public_url(url, *, mailto=False, relative=False):
    """``url`` if the allow-list lets it out, else None."""
    return None if url_problem(url, mailto=mailto, relative=relative) else url


def public_url_or_empty(url, *, mailto=False):
    """``url`` as a field of the API or a template shows it: "" when it is missing or not allowed."""
    return (url and public_url(url, mailto=mailto)) or ""


def validate_public_url(url):
    """Validator of the book's URL fields: an absolute ``http``/``https`` address."""
    problem = url_problem(url)
    if problem:
        raise problem


def validate_link(url):
    """Validator of a link in text: ``http``, ``https`` or ``mailto``, or an address within the site."""
    problem = url_problem(url, mailto=True, relative=True)
    if problem:
        raise problem


def link_href(url):
    """The rule of a rich-text ``href``: the address if allowed, None to drop it."""
    return public_url(url, mailto=True, relative=True)


def image_src(url):
    """The rule of an image's ``src``: an ``http``/``https`` address, or one within the site."""
    return public_url(url, relative=True)


def rich_text_links(html):
    """The ``href`` of every link in stored rich text, as a browser reads them."""
    if not html or "<a" not in html.lower():
        return []
    soup = BeautifulSoup(html, "html.parser")
    return [tag["href"] for tag in soup.find_all("a") if isinstance(tag.get("href"), str)]


def link_problems(html):
    """``(href, ValidationError)`` for each link of ``html`` the allow-list refuses."""
    problems = []
    for href in rich_text_links(html):
        problem = url_problem(href, mailto=True, relative=True)
        if problem:
            problems.append((href, problem))
    return problems


# An image written into rich text as markup. The book's own images are stored as
# references (``<embed embedtype="image">``, with their alt text) and shown as its
# renditions, so such an image comes from elsewhere: a tracking pixel, a hot-linked
# picture, usually without alt text. It is dropped when the text is saved and when
# it is served.
FOREIGN_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def without_foreign_images(html):
    """``html`` without the images written into it as markup."""
    return FOREIGN_IMAGE.sub("", html) if html and "<img" in html.lower() else html


def drop_foreign_images(instance):
    """Remove the images written as markup from every rich text of a page or snippet about to be saved."""
    from wagtail.blocks import RichTextBlock, StructBlock
    from wagtail.fields import RichTextField, StreamField

    for field in instance._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            cleaned = without_foreign_images(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
        elif isinstance(field, StreamField):
            stream = getattr(instance, field.attname)
            raw = [dict(child) for child in stream.raw_data] if stream is not None else []
            changed = False
            for child in raw:
                block = field.stream_block.child_blocks.get(child.get("type"))
                if isinstance(block, RichTextBlock) and isinstance(child.get("value"), str):
                    cleaned = without_foreign_images(child["value"])
                    changed |= cleaned != child["value"]
                    child["value"] = cleaned
                elif isinstance(block, StructBlock) and isinstance(child.get("value"), dict):
                    value = dict(child["value"])
                    for name, sub_block in block.child_blocks.items():
                        if isinstance(sub_block, RichTextBlock) and isinstance(value.get(name), str):
                            cleaned = without_foreign_images(value[name])
                            changed |= cleaned != value[name]
                            value[name] = cleaned
                    child["value"] = value
            if changed:
                setattr(instance, field.attname, raw)


# The attributes by which the API names the item an internal link leads to.
LINK_TARGET_ATTRIBUTES = ("data-kind", "data-key", "data-locale", "data-slug")
# The attributes the API itself writes; any other attribute takes the full clean-up.
WRITTEN_ATTRIBUTES = {
    "a": {"href": "url", "id": True, **dict.fromkeys(LINK_TARGET_ATTRIBUTES, True)},
    "img": {"src": "url", "alt": True, "class": True, "width": True, "height": True},
    "sup": {"class": True},
}
URL_RULES = {("a", "href"): link_href, ("img", "src"): image_src}
# A well-formed tag, and an attribute of one, as the editor and the API write them.
WELL_FORMED_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"<>]*\")?)*)\s*/?>"
)
ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"<>]*)")?')
# The editor's paragraph keys, of no use outside it.
BLOCK_KEY = re.compile(r'\sdata-block-key="[^"<>]*"')


class PublicHTML(Whitelister):
    """The markup the book may emit: the editor's features, and the links, images and note references
    the API writes itself. The admin's editor never stores more, but rich text written to the
    database by other means, or a translation's link, could: a script, an event handler or an
    address the allow-list refuses never comes out.
    """

    element_rules = {
        **DEFAULT_ELEMENT_RULES,
        "a": attribute_rule({"href": link_href, "id": True, **dict.fromkeys(LINK_TARGET_ATTRIBUTES, True)}),
        "img": attribute_rule({"src": image_src, "alt": True, "class": True, "width": True, "height": True}),
        "sup": attribute_rule({"class": True}),
    }
    # Elements whose content is code or hidden markup: removed with it, where others keep their text.
    dropped = frozenset(
        {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"}
    )

    def already_clean(self, html):
        """Whether ``html`` holds only allowed, well-formed tags with allowed attributes.

        Most rich text is: checking it with a regular expression costs a fraction
        of parsing it, and it is then emitted as it is.
        """
        position = 0
        for match in WELL_FORMED_TAG.finditer(html):
            if "<" in html[position : match.start()]:
                return False
            position = match.end()
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if name not in self.element_rules or name in self.dropped or name == "[document]":
                return False
            if not attributes.strip():
                continue
            allowed = WRITTEN_ATTRIBUTES.get(name, {})
            if closing or not allowed:
                return False
            for attribute in ATTRIBUTE.finditer(attributes.strip()):
                attribute_name = attribute.group(1).lower()
                rule = allowed.get(attribute_name)
                if not rule:
                    return False
                if (
                    rule == "url"
                    and URL_RULES[name, attribute_name](unescape(attribute.group(2) or "")) is None
                ):
                    return False
        return "<" not in html[position:]

    def clean_tag_node(self, doc, tag):
        if tag.name in self.dropped:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)

    def clean(self, html):
        html = BLOCK_KEY.sub("", html)
        if "<" not in html or self.already_clean(html):
            return html
        doc = BeautifulSoup(html, "html.parser")
        self.clean_node(doc, doc)
        # The "minimal" formatter: text keeps its apostrophes and quotes as they are.
        return doc.decode(formatter="minimal")


public_html = PublicHTML()
