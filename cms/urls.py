import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from cms import privacy, security
from cms.account import account_view

# A page's privacy changes in one transaction with its translations'.
privacy.run_privacy_dialog_atomically(wagtailadmin_urls.urlpatterns)

urlpatterns = [
    # Wagtail's account page with an optional last name (cms.account), on its address and name.
    path("admin/account/", account_view, name="wagtailadmin_account"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms of private documents and pages, throttled
    # (cms.security), on the paths and names Wagtail gives them, which they take
    # precedence over.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        security.throttle_password_form(
            "document", "restriction_id", security.document_password_form_blocked
        )(wagtaildocs_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        security.throttle_password_form(
            "page", "page_view_restriction_id", security.page_password_form_blocked
        )(wagtail_views.authenticate_with_password),
        name="wagtailcore_authenticate_with_password",
    ),
]

if settings.DJANGO_ADMIN_ENABLED:
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    from cms.media import public_media

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents are served under /documents/, once their privacy is checked.
    urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", public_media)]

# Wagtail serves the pages themselves last; they are what previews render.
urlpatterns += [path("", include(wagtail_urls))]
