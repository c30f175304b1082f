"""The icon drawn beside a translation state, rendered once per state rather than once per cell.

The overview grid shows hundreds of cells on a page, each with its state's
icon; Wagtail's ``{% icon %}`` renders a template every time it is used.
"""

from functools import cache

from django import template
from django.template.loader import render_to_string

from ..state import STATE_ICONS

register = template.Library()


@cache
def _rendered(state):
    # What Wagtail's icon tag gives; a rendered template is safe HTML already.
    context = {
        "name": STATE_ICONS[state],
        "classname": "localization-state__icon",
        "title": None,
        "wrapped": False,
    }
    return render_to_string("wagtailadmin/shared/icon.html", context)


@register.simple_tag
def state_icon(state):
    """``{% state_icon cell.state %}``: what ``{% icon name=cell.state_icon classname="localization-state__icon" %}`` gives."""
    return _rendered(state)
