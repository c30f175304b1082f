"""A form posted without one of its fields is bad input, answered with 400, not a server error.

Wagtail's StreamField and formset widgets read their management fields
(``body-count``, ``…-TOTAL_FORMS``) with ``data[key]``: a post that lacks one,
from a broken client or a hand-made request, raised ``MultiValueDictKeyError``
and so a 500. Nothing has been saved when it is raised, since forms are read
before anything is written.
"""

import logging

from django.http import HttpResponseBadRequest
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class IncompleteFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, MultiValueDictKeyError):
            return None
        field = exception.args[0] if exception.args else ""
        logger.warning("Incomplete form posted to %s: no field %r.", request.path, field)
        return HttpResponseBadRequest(
            _("The form sent is incomplete: the field “%(field)s” is missing. Reload the page and try again.")
            % {"field": field},
            content_type="text/plain; charset=utf-8",
        )
