"""Django's and Wagtail's middleware that the admin and the site's pages need and the public API does not.

The API is read anonymously (a site's key, if any, comes in ``Authorization``,
read by ``api.access``), never with cookies: it has no session, no signed-in
user and no messages to show, and the language of its own words comes from
``Accept-Language`` alone (``api.languages``, which also says so in ``Vary``).
Sessions, users and messages are left to the rest of the site, so that the
API's answers, many of them straight from the response cache, do not pay for
them. Wagtail's redirects are the site's pages' too: the API's 404 (an address
it has no endpoint at, ``api.discovery``) is its JSON answer, not a page that
moved, and looking a redirect up would cost it two queries (the Site, then the
redirect) on every one. The classes are Django's and Wagtail's own, so that
every check that looks for them (the admin's, Wagtail's) still finds them.
"""

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware


class NotForTheApi:
    """Passes the requests under ``prefix_setting`` on untouched."""

    prefix_setting = "API_ACCESS_PATH_PREFIX"

    def __call__(self, request):
        if request.path.startswith(getattr(settings, self.prefix_setting)):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(NotForTheApi, DjangoSessionMiddleware):
    pass


class AuthenticationMiddleware(NotForTheApi, DjangoAuthenticationMiddleware):
    pass


class MessageMiddleware(NotForTheApi, DjangoMessageMiddleware):
    pass


class LocaleMiddleware(NotForTheApi, DjangoLocaleMiddleware):
    # Every path the API's languages middleware answers for.
    prefix_setting = "API_CORS_PATH_PREFIX"


class RedirectMiddleware(NotForTheApi, WagtailRedirectMiddleware):
    pass
