"""A change as the change feed (``api.changes``) lists it and as webhook deliveries send it."""

import datetime

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .models import Event, ItemType


class ChangeEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=Event.choices)
    key = serializers.UUIDField(
        help_text=gettext_lazy("The key shared by every language version of the item.")
    )
    locale = serializers.CharField(help_text=gettext_lazy("The language of the version that changed."))
    type = serializers.ChoiceField(choices=ItemType.choices)
    url = serializers.URLField(
        help_text=gettext_lazy("The item's address in the API (for a deleted item, the one it had).")
    )
    timestamp = serializers.DateTimeField(
        default_timezone=datetime.UTC, help_text=gettext_lazy("When it changed (ISO 8601, UTC).")
    )
