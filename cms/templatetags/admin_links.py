"""Links of the e-mails Wagtail sends, on the admin's address (:mod:`cms.links`)."""

from django import template

from cms.links import page_full_url as _page_full_url

register = template.Library()


@register.simple_tag
def page_full_url(page):
    return _page_full_url(page) or ""
