"""The admin's way into the reader's preview: a token for the saved draft, to those who may edit it."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.defaults import permission_denied
from wagtail.models import Page

from book.preview import KINDS, make_token


def issue_token(user, page):
    """A preview token for ``page``'s latest revision; ``PermissionDenied`` unless ``user`` may edit it.

    Editing is what the roles grant on the drafts of a language: editors everywhere,
    a language's translators and reviewers on its pages (``cms.roles``).
    """
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    return make_token(page, page.latest_revision_id)


def reader_url(token):
    return f"{settings.READER_URL.rstrip('/')}/preview/?{urlencode({'token': token})}"


@never_cache
def reader_preview(request, page_id):
    """Send the editor to the reader, showing the page's last saved draft."""
    page = get_object_or_404(Page, pk=page_id).specific
    if page._meta.model_name not in KINDS:
        raise Http404
    try:
        token = issue_token(request.user, page)
    except PermissionDenied as denied:
        # A 403 rather than the admin's redirect to its dashboard: the preview panel shows it.
        return permission_denied(request, denied)
    return HttpResponseRedirect(reader_url(token))
