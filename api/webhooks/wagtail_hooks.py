"""Webhooks in the admin, under Settings: the subscribers, and what was sent to them."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import views
from .forms import SubscriberForm
from .models import Delivery, Subscriber

register_permission_policy(Delivery, views.ReadOnlyPermissionPolicy(Delivery), exact_class=True)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = "webhooks_subscriber"
    icon = "link-external"
    menu_label = _("Webhook subscribers")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", "url", "site", "active", "batch", "created_at"]
    list_filter = ["active", "batch", "site"]
    inspect_view_fields = ["name", "url", "site", "active", "events", "batch", "secret", "created_at"]
    index_view_class = views.SubscriberIndexView
    add_view_class = views.SubscriberCreateView
    edit_view_class = views.SubscriberEditView
    inspect_view_class = views.SubscriberInspectView

    def get_form_class(self, for_update=False):
        return SubscriberForm


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    name = "webhooks_delivery"
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "event",
        "subscriber",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda delivery: delivery.status == Delivery.Status.SUCCEEDED,
        ),
        "attempts",
        Column("last_status_code", label=_("Last status code")),
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "subscriber"]
    inspect_view_fields = [
        "event",
        "batched",
        "subscriber",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    form_fields = ["status"]
    index_view_class = views.DeliveryIndexView
    inspect_view_class = views.DeliveryInspectView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", views.retry_view, name="retry")]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [SubscriberViewSet(), DeliveryViewSet()]
