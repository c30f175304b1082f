"""The change feed: what was published, unpublished or deleted, in the order it was recorded.

Clients keep a copy of the book in step by reading on from the cursor of the
last change they applied (``after=``, or the ``next`` link): changes are
numbered in the order their transactions commit (``api.webhooks.signals``), so
a cursor never repeats nor skips one, even when several share a timestamp.
Reading from a timestamp (``since``, the moment itself included) stays
possible. The same items are sent to webhook subscribers (``api.webhooks``).
"""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.webhooks.models import ChangeEvent, ItemType
from api.webhooks.serializers import ChangeEventSerializer, decode_cursor, encode_cursor

from .errors import ParameterError
from .reader import LOCALE_PARAMETER
from .views import ERRORS, ReaderMixin, any_change_tokens

# "+01:00" arrives as " 01:00" when a client forgets to encode the plus sign.
UNENCODED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")
AFTER_PARAMETER = "after"


def parse_since(raw):
    """An aware datetime from an ISO 8601 timestamp (UTC when it names no offset); None if it is not one."""
    raw = UNENCODED_OFFSET.sub(r"+\1", raw.strip())
    try:
        moment = parse_datetime(raw)
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    try:
        # In UTC: databases refuse some offsets that ISO 8601 allows (PostgreSQL: beyond ±15:59).
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        return None


class ChangesView(ReaderMixin, GenericAPIView):
    """The changes to the published book, in the order they were recorded, in every language or one."""

    serializer_class = ChangeEventSerializer

    def document_tokens(self, request, kwargs):
        return any_change_tokens(request)

    @extend_schema(
        summary=gettext_lazy("What was published, unpublished or deleted since a moment"),
        description=gettext_lazy(
            "Changes come in the order they were recorded. To keep a copy in step, start with since "
            "(or nothing), then read on with after= set to the cursor of the last change applied, or "
            "follow next: a cursor never repeats nor skips a change, even when several share a "
            "timestamp. With after, next is always given (the same cursor when nothing new was "
            "recorded yet) and count is the number of changes after the cursor."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                datetime.datetime,
                OpenApiParameter.QUERY,
                description=gettext_lazy(
                    "An ISO 8601 timestamp (UTC when it has no offset); changes at or after it. "
                    "Every change by default."
                ),
            ),
            OpenApiParameter(
                AFTER_PARAMETER,
                str,
                OpenApiParameter.QUERY,
                description=gettext_lazy(
                    "The cursor of a change (its cursor field, or the next link's): only the changes "
                    "recorded after it. Combines with the other filters; not with page."
                ),
            ),
            OpenApiParameter(
                LOCALE_PARAMETER,
                str,
                OpenApiParameter.QUERY,
                description=gettext_lazy("Only the changes in this language (see /api/v1/locales/)."),
            ),
            OpenApiParameter(
                "type",
                str,
                OpenApiParameter.QUERY,
                enum=ItemType.values,
                description=gettext_lazy("Only the changes to items of this kind."),
            ),
        ],
        responses={200: ChangeEventSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        # The number of a change is its place in the order of commits: the one order without ties.
        changes = ChangeEvent.objects.order_by("pk")
        raw_since = request.query_params.get("since", "").strip()
        if raw_since:
            since = parse_since(raw_since)
            if since is None:
                raise ParameterError(
                    "since",
                    _("since must be an ISO 8601 timestamp, e.g. 2025-01-31T08:00:00Z; got “%(value)s”.")
                    % {"value": raw_since},
                    code="invalid_timestamp",
                )
            changes = changes.filter(timestamp__gte=since)
        if request.query_params.get(LOCALE_PARAMETER, "").strip():
            # An unknown language was refused already, by the request's reader.
            changes = changes.filter(locale=self.reader.locale.language_code)
        wanted = request.query_params.get("type", "").strip()
        if wanted:
            if wanted not in ItemType.values:
                raise ParameterError(
                    "type",
                    _("type must be one of: %(kinds)s.") % {"kinds": ", ".join(ItemType.values)},
                    code="invalid_choice",
                )
            changes = changes.filter(type=wanted)
        if AFTER_PARAMETER in request.query_params:
            return self._read_on(request, changes)
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _read_on(self, request, changes):
        """The changes after a cursor, with the cursor to read on from."""
        raw = request.query_params[AFTER_PARAMETER].strip()
        after = decode_cursor(raw)
        if after is None:
            raise ParameterError(
                AFTER_PARAMETER,
                _("after must be the cursor of a change, as the feed gives it; got “%(value)s”.")
                % {"value": raw},
                code="invalid_cursor",
            )
        page_parameter = self.paginator.page_query_param
        if page_parameter in request.query_params:
            raise ParameterError(
                page_parameter,
                _("page cannot be combined with after: follow the next link instead."),
                code="invalid_combination",
            )
        size = self.paginator.get_page_size(request)
        changes = changes.filter(pk__gt=after)
        events = list(changes[:size])
        count = len(events) if len(events) < size else changes.count()
        last = events[-1].pk if events else after
        url = remove_query_param(request.build_absolute_uri(), page_parameter)
        return Response(
            {
                "count": count,
                "next": replace_query_param(url, AFTER_PARAMETER, encode_cursor(last)),
                "previous": None,
                "results": self.get_serializer(events, many=True).data,
            }
        )
