"""The admin of webhooks: subscribers, and the read-only record of their deliveries."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views import generic
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from . import outbound
from .models import Delivery, Event, Subscriber
from .tasks import retry

RECENT_DELIVERIES = 10


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Deliveries are written by the worker alone: they may be viewed, never added, edited or deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


def can_manage_subscribers(user):
    return policy_registry.get_by_type(Subscriber).user_has_permission(user, "change")


class SubscriberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("site")


class SubscriberCreateView(generic.CreateView):
    def get_success_message(self, instance):
        return _("Webhook subscriber “%(name)s” created. Its secret, shown only this once: %(secret)s") % {
            "name": instance.name,
            "secret": instance.secret,
        }


class SubscriberEditView(generic.EditView):
    def get_success_message(self):
        if getattr(self.form, "secret_renewed", False):
            return _(
                "Webhook subscriber “%(name)s” updated. Its new secret, shown only this once: %(secret)s"
            ) % {
                "name": self.object.name,
                "secret": self.object.secret,
            }
        return super().get_success_message()


class SubscriberInspectView(generic.InspectView):
    template_name = "webhooks/subscriber_inspect.html"

    def get_secret_display_value(self):
        return self.object.masked_secret

    def get_events_display_value(self):
        return ", ".join(str(Event(value).label) for value in self.object.events if value in Event.values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_deliveries"] = list(
            self.object.deliveries.select_related("event").order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
        )
        context["deliveries_url"] = reverse("webhooks_delivery:index") + f"?subscriber={self.object.pk}"
        return context


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "subscriber")


class DeliveryInspectView(generic.InspectView):
    template_name = "webhooks/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_retry"] = self.object.status == Delivery.Status.FAILED and can_manage_subscribers(
            self.request.user
        )
        context["retry_url"] = reverse("webhooks_delivery:retry", args=(self.object.pk,))
        return context


@require_POST
def retry_view(request, pk):
    if not can_manage_subscribers(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    if delivery.status != Delivery.Status.FAILED:
        messages.error(request, _("Only a failed delivery can be sent again."))
        return redirect("webhooks_delivery:inspect", pk)
    try:
        outbound.check(delivery.subscriber.url)
    except outbound.AddressRefused as refused:
        messages.error(
            request,
            _("The delivery was not sent again: %(reason)s Change the subscriber's URL first.")
            % {"reason": refused.message},
        )
    else:
        retry(delivery)
        messages.success(request, _("The delivery will be sent again."))
    return redirect("webhooks_delivery:inspect", pk)
