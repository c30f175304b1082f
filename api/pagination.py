"""Page-number pagination with a hard maximum page size and errors that name the parameter."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from .errors import ParameterError, ParameterNotFound


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            # A page larger than the maximum is refused rather than shortened, so
            # that a client never mistakes a capped page for the whole result.
            raise ParameterError(
                self.page_size_query_param,
                _("page_size must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
                code="invalid_page_size",
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ParameterNotFound(
                self.page_query_param,
                _("There is no page “%(page)s”.") % {"page": request.query_params.get(self.page_query_param)},
                code="invalid_page",
            ) from error
