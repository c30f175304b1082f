"""What the reading templates show of addresses and rich text: only what the book's allow-list lets out."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from book.links import public_html, public_url_or_empty

register = template.Library()


@register.filter
def public_url(url):
    """An address of a block or a field, or "" when the allow-list refuses it."""
    return public_url_or_empty(url)


@register.filter
def public_richtext(value):
    """Rich text as Wagtail renders it (links and images resolved), then cleaned like the API's."""
    if value is None:
        return ""
    return mark_safe(public_html.clean(str(richtext(value))))
