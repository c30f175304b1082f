"""A change as the change feed (``api.changes``) lists it and as webhook deliveries send it."""

import base64
import binascii
import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Event, ItemType

# What a cursor says before its change's number, so that another opaque string is not mistaken for one.
CURSOR_PREFIX = "change:"


def encode_cursor(number):
    """The opaque cursor of the change numbered ``number``."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{number}".encode()).rstrip(b"=").decode()


def decode_cursor(raw):
    """The number of the change a cursor stands for; None when ``raw`` is not a cursor of the feed."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (ValueError, binascii.Error):
        return None
    prefix, _sep, number = text.partition(":")
    if f"{prefix}:" != CURSOR_PREFIX or not number.isascii() or not number.isdigit():
        return None
    return int(number)


@extend_schema_field(OpenApiTypes.STR)
class CursorField(serializers.Field):
    """A change's place in the feed, as an opaque string."""

    def __init__(self, **kwargs):
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, value):
        return encode_cursor(value)


class APIURLField(serializers.URLField):
    """An address in the API, under the scheme and host of the request that reads it.

    A change stores the address it had when it was recorded, under the public base URL
    the server was configured with; a reader of the feed gets it as the API serves it
    to them. Without a request (a webhook's body) the recorded address is kept.
    """

    def to_representation(self, value):
        request = self.context.get("request")
        if request is None:
            return value
        parts = urlsplit(value)
        return request.build_absolute_uri(f"{parts.path}?{parts.query}" if parts.query else parts.path)


class ChangeEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=Event.choices)
    key = serializers.UUIDField(
        help_text=gettext_lazy("The key shared by every language version of the item.")
    )
    locale = serializers.CharField(help_text=gettext_lazy("The language of the version that changed."))
    type = serializers.ChoiceField(choices=ItemType.choices)
    url = APIURLField(
        help_text=gettext_lazy("The item's address in the API (for a deleted item, the one it had).")
    )
    timestamp = serializers.DateTimeField(
        default_timezone=datetime.UTC, help_text=gettext_lazy("When it changed (ISO 8601, UTC).")
    )
    cursor = CursorField(
        help_text=gettext_lazy(
            "This change's place in the feed, an opaque string: pass it as after= to read the changes "
            "recorded after it."
        )
    )
