"""A site's own webhook subscriptions, managed through the API with its key.

Every operation needs the site's key (``Authorization: Bearer <key>``, read by
``api.access``): without one it is a 401; a subscription of another site does
not exist for the caller (404). The secret that signs the deliveries is shown
once, when the subscription is created and when it is renewed.
"""

import datetime

from django.db import transaction
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import ParameterError, ParameterNotFound, exception_handler
from api.serializers import ErrorSerializer

from . import outbound
from .models import Event, Subscriber, all_events, new_secret

# The security of these operations in the schema: the site's key, required.
KEY_REQUIRED = [{"bearer": []}]
ID_PATH = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("The subscription's id.")
)


class SubscriptionSerializer(serializers.ModelSerializer):
    """A site's webhook subscription, as the site reads it (the secret only once)."""

    name = serializers.CharField(
        max_length=255,
        required=False,
        help_text=gettext_lazy("A name for the site's own use; the site's name by default."),
    )
    url = serializers.CharField(
        max_length=500,
        help_text=gettext_lazy(
            "Where each change is sent, by POST, as JSON: an http or https URL whose host resolves to "
            "public Internet addresses only."
        ),
    )
    events = serializers.MultipleChoiceField(
        choices=Event.choices,
        required=False,
        allow_empty=False,
        help_text=gettext_lazy("The changes to be told of; all of them by default."),
    )
    batch = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy(
            'Send the changes of one publication as one POST whose body is {"changes": [...]}, instead '
            "of one POST per change."
        ),
    )

    created_at = serializers.DateTimeField(
        read_only=True,
        default_timezone=datetime.UTC,
        help_text=gettext_lazy("When it was created (ISO 8601, UTC)."),
    )

    class Meta:
        model = Subscriber
        fields = ["id", "name", "url", "events", "batch", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(name for name in data if name not in writable)
            if unknown:
                raise ParameterError(
                    unknown[0],
                    _("%(field)s is not a field of a subscription: send %(fields)s.")
                    % {"field": unknown[0], "fields": ", ".join(sorted(writable))},
                    code="unknown_field",
                )
        return super().to_internal_value(data)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = [event for event in all_events() if event in (instance.events or [])]
        return data

    def validate_url(self, value):
        value = value.strip()
        try:
            outbound.split(value)
            outbound.check(value)
        except outbound.AddressRefused as refused:
            raise serializers.ValidationError(refused.message, code=refused.code) from refused
        return value

    def validate_events(self, value):
        return [event for event in all_events() if event in value]


class SecretSerializer(SubscriptionSerializer):
    """A subscription with its secret, shown this once."""

    secret = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "The secret that signs every delivery (X-Book-Signature: sha256=HMAC-SHA256 of the body), "
            "shown only this once: keep it."
        ),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


ERRORS = {
    401: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("No API key, or a key that is not valid.")
    ),
    404: OpenApiResponse(ErrorSerializer, description=gettext_lazy("No such subscription of this site.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The webhook subscriptions of the key's site"),
        auth=KEY_REQUIRED,
        responses={200: SubscriptionSerializer(many=True), 401: ERRORS[401]},
    ),
    create=extend_schema(
        summary=gettext_lazy("Subscribe the key's site to the changes of the book"),
        description=gettext_lazy(
            "The answer carries the secret that signs the deliveries, shown only this once. With "
            'batch, the changes of one publication arrive as one POST whose body is {"changes": [...]} '
            "(X-Book-Event: batch); without it, one POST per change."
        ),
        auth=KEY_REQUIRED,
        request=SubscriptionSerializer,
        responses={
            201: SecretSerializer,
            400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("A field is invalid.")),
            401: ERRORS[401],
        },
    ),
    retrieve=extend_schema(
        parameters=[ID_PATH],
        summary=gettext_lazy("One webhook subscription of the key's site"),
        auth=KEY_REQUIRED,
        responses={200: SubscriptionSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        parameters=[ID_PATH],
        summary=gettext_lazy("Unsubscribe: the subscription and its deliveries are deleted"),
        auth=KEY_REQUIRED,
        responses={204: None, **ERRORS},
    ),
    rotate_secret=extend_schema(
        parameters=[ID_PATH],
        summary=gettext_lazy("Renew the secret of a subscription"),
        description=gettext_lazy(
            "The new secret is shown only this once and signs every delivery sent from now on, "
            "including the retries of earlier ones."
        ),
        auth=KEY_REQUIRED,
        request=None,
        responses={200: SecretSerializer, **ERRORS},
    ),
)
class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The key's site manages its own subscriptions; editors see them in the admin."""

    serializer_class = SubscriptionSerializer
    # The key is read by api.access before any view; no session, so no CSRF either.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = None

    def get_exception_handler(self):
        return exception_handler

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(request, "api_site_id", None) is None:
            raise exceptions.NotAuthenticated(
                _("Managing webhooks needs the site's API key, sent as “Authorization: Bearer <key>”.")
            )

    def get_queryset(self):
        return Subscriber.objects.filter(site_id=self.request.api_site_id).order_by("pk")

    def get_object(self):
        pk = self.kwargs["pk"]
        subscriber = self.get_queryset().filter(pk=pk).first() if pk.isascii() and pk.isdigit() else None
        if subscriber is None:
            raise ParameterNotFound("id", _("This site has no webhook subscription with this id."))
        return subscriber

    def perform_create(self, serializer):
        site_id = self.request.api_site_id
        name = serializer.validated_data.get("name")
        if not name:
            from api.models import ApiSite

            name = ApiSite.objects.values_list("name", flat=True).get(pk=site_id)
        serializer.save(
            site_id=site_id, name=name, events=serializer.validated_data.get("events", all_events())
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(SecretSerializer(serializer.instance).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        with transaction.atomic():
            subscriber = self.get_object()
            subscriber.secret = new_secret()
            subscriber.save(update_fields=["secret"])
        return Response(SecretSerializer(subscriber).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A site's own data, and secrets: never kept by a browser or a shared cache.
        patch_cache_control(response, no_store=True, private=True)
        return response
