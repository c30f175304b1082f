"""The address e-mails give for the admin: the one the site is configured with, or the one in use.

``WAGTAILADMIN_BASE_URL`` is the admin's address, required in production.
Without it (development), an e-mail sent while serving a request links to
the address that request came to, and one sent outside a request (by the
worker) to the development default. Wagtail's own notifications (workflow,
comments, password reset) read the same address, through
:func:`install`.
"""

from contextvars import ContextVar

from django.conf import settings

# The development default, which an explicit WAGTAILADMIN_BASE_URL replaces.
LOCAL_ADMIN_BASE_URL = "http://127.0.0.1:8000"

_current_request = ContextVar("admin_request", default=None)


class CurrentRequestMiddleware:
    """Keeps the request being served at hand for the links of the e-mails it sends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def admin_base_url(request=None):
    """Scheme and host of the admin, without a trailing slash."""
    configured = (getattr(settings, "WAGTAILADMIN_BASE_URL", None) or "").rstrip("/")
    if configured and configured != LOCAL_ADMIN_BASE_URL:
        return configured
    request = request or _current_request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return configured or LOCAL_ADMIN_BASE_URL


def admin_url(path, request=None):
    """``path`` (an admin path such as ``reverse(...)`` gives) as an absolute URL for an e-mail."""
    return admin_base_url(request) + path


def install():
    """Make Wagtail's e-mail templates (``{% base_url_setting %}``) use :func:`admin_base_url`."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    wagtailadmin_tags.get_admin_base_url = admin_base_url


def page_full_url(page, request=None):
    """The page's address on the site that serves it.

    The default site answers on any host, so its pages are given on the
    admin's address; a page of another site keeps the address of that site.
    """
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    site_id, root_url, page_path = parts
    from wagtail.models import Site

    default = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    if site_id == default:
        return admin_base_url(request) + page_path
    return root_url + page_path
