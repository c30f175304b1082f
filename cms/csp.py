"""Content-Security-Policy on every response: the admin's, and a stricter one for the book's own pages.

The admin's policy (``CONTENT_SECURITY_POLICY``) keeps Wagtail working (its
pages still carry inline scripts and style attributes) while loading nothing
from another origin: no script, style, frame or connection elsewhere, no
plugin, no ``<base>``, forms posted only to the site, framed only by it.

The book's pages (the reading preview, and so the reviewers' draft view and
preview panel, on the admin's origin) need no script at all: a response
rendered from a ``book/`` template gets ``BOOK_READING_CONTENT_SECURITY_POLICY``,
under which a ``javascript:`` link that got past every other check still does
nothing.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

READING_TEMPLATES = "book/"


def is_reading_page(response):
    """Whether ``response`` is one of the book's pages, rendered from its own templates."""
    names = getattr(response, "template_name", None)
    if isinstance(names, str):
        names = [names]
    elif hasattr(names, "template"):
        names = [names.template.name]
    return any(isinstance(name, str) and name.startswith(READING_TEMPLATES) for name in names or ())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_reading_page(response):
            parts.config = settings.BOOK_READING_CONTENT_SECURITY_POLICY
        return parts
