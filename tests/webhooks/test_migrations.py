"""Errors that earlier versions kept from the connection are rewritten in the words the admin now uses."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext, override

from api.webhooks.models import Delivery
from tests.webhooks.factories import SubscriberFactory
from tests.webhooks.test_admin import a_delivery

pytestmark = pytest.mark.django_db


def test_errors_recorded_before_are_made_generic():
    """What the connection said about the servers' network, kept by earlier versions, is rewritten."""
    migration = import_module("api.webhooks.migrations.0002_generic_delivery_errors")
    subscriber = SubscriberFactory()
    refused = a_delivery(
        subscriber, "failed", last_error="ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=5432): "
        "Max retries exceeded with url: / (Caused by NewConnectionError('Connection refused'))",
    )  # fmt: skip
    redirected = a_delivery(
        subscriber, "failed", last_status_code=302,
        last_error="Redirected to http://10.0.0.5:6081/admin; redirects are not followed.",
    )  # fmt: skip
    answered = a_delivery(
        subscriber, "failed", last_status_code=502, last_error="The subscriber answered HTTP 502."
    )
    deactivated = "The subscriber was deactivated before the change could be sent."
    stopped = a_delivery(subscriber, "failed", last_error=deactivated)

    migration.generic_errors(apps, SimpleNamespace(connection=connection))

    with override(settings.LANGUAGE_CODE):
        assert Delivery.objects.get(pk=refused.pk).last_error == gettext("Could not connect.")
        assert Delivery.objects.get(pk=redirected.pk).last_error == gettext(
            "The subscriber answered HTTP %(code)d: redirects are not followed."
        ) % {"code": 302}
    assert Delivery.objects.get(pk=answered.pk).last_error == "The subscriber answered HTTP 502."
    assert Delivery.objects.get(pk=stopped.pk).last_error == deactivated
