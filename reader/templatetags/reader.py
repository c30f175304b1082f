"""Template helpers of the reader: item addresses, images and the API's HTML."""

import re
from html import escape, unescape
from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..blocks import image_sources
from ..views import ITEM_PAGES

register = template.Library()

# A link's opening tag as the API writes it (attributes in double quotes), and one of its attributes.
OPENING_LINK = re.compile(r"<a(\s[^>]*)>")
ATTRIBUTE = re.compile(r'\s([a-z][a-z0-9-]*)="([^"]*)"')
# The reader's page for each kind of list a link in the API's text may lead to.
LIST_PAGES = {"contributors": "contributors", "themes": "themes"}


@register.simple_tag
def item_url(kind, lang, item):
    """The reader's address of an item of the API (a reference or a summary) in the page's language."""
    return reverse(ITEM_PAGES[kind], kwargs={"lang": lang, "key": item["key"]})


@register.filter
def sources(image):
    return image_sources(image)


def reader_href(target, lang):
    """The reader's address for the item a link of the API's text names (its ``data-`` attributes);
    None when the reader has no page for it."""
    kind, key = target.get("data-kind"), target.get("data-key")
    if kind in ITEM_PAGES and key:
        return reverse(ITEM_PAGES[kind], kwargs={"lang": lang, "key": key})
    if kind == "book":
        return reverse("home", kwargs={"lang": lang})
    if kind == "part" and key:
        return f"{reverse('home', kwargs={'lang': lang})}#part-{key}"
    if kind in LIST_PAGES:
        return reverse(LIST_PAGES[kind], kwargs={"lang": lang})
    return None


def _map_link(match, lang):
    attributes = dict(ATTRIBUTE.findall(match.group(1)))
    if "data-kind" not in attributes:
        return match.group(0)
    target = {name: unescape(value) for name, value in attributes.items()}
    href = reader_href(target, lang)
    if href is None:
        return match.group(0)
    kept = {
        name: value for name, value in attributes.items() if not name.startswith("data-") and name != "href"
    }
    tag = f'<a href="{escape(href)}"' + "".join(f' {name}="{value}"' for name, value in kept.items())
    served = target.get("data-locale")
    if served and served != lang:
        # The item is shown in another language than the page's: say so to the browser.
        tag += f' hreflang="{escape(served)}"'
    return tag + ">"


@register.filter
def api_html(value, lang=None):
    """HTML the API delivers clean (its contract: allowed tags, public addresses only).

    With ``lang``, the page's language, a link to an item of the book (which the API names
    in ``data-`` attributes) leads to the reader's page for it instead of the API.
    """
    html = value or ""
    if lang and "data-kind" in html:
        html = OPENING_LINK.sub(lambda match: _map_link(match, lang), html)
    return mark_safe(html)


@register.filter
def host(url):
    return urlsplit(url or "").hostname or ""


@register.filter
def role_label(role):
    labels = {
        "author": _("author"),
        "co-author": _("co-author"),
        "interviewee": _("interviewee"),
        "interviewer": _("interviewer"),
        "translator": _("translator"),
        "illustrator": _("illustrator"),
        "photographer": _("photographer"),
    }
    return labels.get(role, role)
