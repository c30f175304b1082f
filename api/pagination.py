"""Page-number pagination with a hard maximum page size and errors that name the parameter."""

import re

from django.conf import settings
from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from .errors import ParameterError, ParameterNotFound

PAGE_NUMBER_RE = re.compile(r"[0-9]+")
# The count of all the rows, read with the rows of one page.
TOTAL = "api_total_rows"
# The earliest expiry among all the rows (None when none expires), read with them too (``api.listing``).
NEXT_EXPIRY = "api_next_expiry"


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

    # Until when the page read holds, as far as its rows' expiry dates tell (``paginate_rows`` with
    # ``expiring``): None when no row expires, ``UNKNOWN`` when not read. A paginator serves one
    # request (its view's), so the class's default is where each starts.
    UNKNOWN = object()
    next_expiry = UNKNOWN

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ParameterNotFound(
                self.page_query_param,
                _("There is no page “%(page)s”.") % {"page": request.query_params.get(self.page_query_param)},
                code="invalid_page",
            ) from error

    def paginate_values(self, queryset, field, request):
        """The values of ``field`` on the requested page of ``queryset``: ``paginate_queryset`` of its
        ``values_list(field, flat=True)`` (the same page, links and errors), in one query rather than
        two when the page has rows: they are read with the count of all (a window function).
        """
        values = queryset.values_list(field, flat=True)
        if queryset.query.distinct or queryset.query.combinator:
            return self.paginate_queryset(values, request)

        def read(start, size):
            counted = queryset.annotate(**{TOTAL: Window(Count("*"))}).values_list(field, TOTAL)
            return list(counted[start : start + size])

        return self.paginate_rows(read, lambda: values, request)

    def paginate_rows(self, read, values, request, expiring=False):
        """The values on the requested page, as ``paginate_values`` finds them, read by ``read(start, size)``:
        the rows ``(value, count of all)`` from ``start``, at most ``size`` of them, in one query; with
        ``expiring``, rows ``(value, count of all, earliest expiry of all)``.

        A page past the end, or a number that is not plainly one, is left to ``paginate_queryset`` of
        ``values()``, a queryset of all the values in order.
        """
        raw = request.query_params.get(self.page_query_param) or "1"
        if not PAGE_NUMBER_RE.fullmatch(raw) or int(raw) < 1:
            return self.paginate_queryset(values(), request)
        self.request = request
        size, number = self.get_page_size(request), int(raw)
        rows = read((number - 1) * size, size)
        if not rows and number > 1:
            return self.paginate_queryset(values(), request)
        paginator = self.django_paginator_class((), size)
        paginator.count = rows[0][1] if rows else 0
        if expiring:
            self.next_expiry = rows[0][2] if rows else None
        self.page = paginator._get_page(
            [row[0] for row in rows], paginator.validate_number(number), paginator
        )
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)
