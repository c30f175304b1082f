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

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

READING_TEMPLATES = "book/"
# What a response may carry that makes its policy its own: django-csp's decorators set them on it.
OWN_POLICY_ATTRIBUTES = frozenset(
    f"_csp_{name}{suffix}" for name in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


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

    def process_response(self, request, response):
        """The API's responses get the policies of the settings, built once rather than at each
        response: they never carry a nonce, a policy of their own nor a book's template.

        Everything else is left to django-csp, which builds the policy of each response.
        """
        if (
            not request.path.startswith(settings.API_CORS_PATH_PREFIX)
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(response, "template_name", None) is not None
            or not OWN_POLICY_ATTRIBUTES.isdisjoint(vars(response))
        ):
            return super().process_response(request, response)
        if (
            response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
            and settings.DEBUG
        ):
            return response
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = settings_policy(report_only)
            if policy and header not in response:
                excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
                if not request.path_info.startswith(tuple(excluded)):
                    response[header] = policy
        # As django-csp: a nonce asked for once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_settings_policies = {}


def settings_policy(report_only):
    """The policy of the settings alone (no nonce, nothing of a response's own), as django-csp builds it."""
    if report_only not in _settings_policies:
        _settings_policies[report_only] = build_policy(**vars(PolicyParts()), report_only=report_only)
    return _settings_policies[report_only]


@receiver(setting_changed)
def _forget_settings_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.clear()
