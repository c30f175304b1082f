"""Template helpers of the reader: item addresses, images and the API's HTML."""

from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..blocks import image_sources
from ..views import ITEM_PAGES

register = template.Library()


@register.simple_tag
def item_url(kind, lang, item):
    """The reader's address of an item of the API (a reference or a summary) in the page's language."""
    return reverse(ITEM_PAGES[kind], kwargs={"lang": lang, "key": item["key"]})


@register.filter
def sources(image):
    return image_sources(image)


@register.filter
def api_html(value):
    """HTML the API delivers clean (its contract: allowed tags, public addresses only)."""
    return mark_safe(value or "")


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
