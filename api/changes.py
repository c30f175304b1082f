"""The change feed: what was published, unpublished or deleted since a moment, oldest first.

Clients keep a copy of the book in step by reading it from the timestamp of
the last change they applied (the moment itself is included, so that nothing
recorded in the same instant is missed; applying a change twice is harmless).
The same items are sent to webhook subscribers (``api.webhooks``).
"""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView

from api.webhooks.models import ChangeEvent, ItemType
from api.webhooks.serializers import ChangeEventSerializer

from .errors import ParameterError
from .reader import LOCALE_PARAMETER
from .views import ERRORS, ReaderMixin

# "+01:00" arrives as " 01:00" when a client forgets to encode the plus sign.
UNENCODED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


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
    """The changes to the published book since a moment, in every language or one."""

    serializer_class = ChangeEventSerializer

    @extend_schema(
        summary=gettext_lazy("What was published, unpublished or deleted since a moment"),
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
        changes = ChangeEvent.objects.order_by("timestamp", "pk")
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
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
