"""Sending the changes to subscribers, in the background, with retries.

Each delivery is one task on the "webhooks" backend (queued in the database,
run by ``manage.py run_worker``). A failed attempt queues
the next one itself, later each time, until ``WEBHOOK_MAX_ATTEMPTS``.
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db import DatabaseBackend

from . import outbound
from .models import Delivery
from .serializers import ChangeEventSerializer

BACKEND = settings.WORKER_TASK_BACKEND

logger = logging.getLogger(__name__)


def signature(secret, body):
    """The value of X-Book-Signature: the HMAC-SHA256 of the raw body with the subscriber's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(event):
    """The JSON body: the change as the change feed lists it."""
    return json.dumps(ChangeEventSerializer(event).data, separators=(",", ":")).encode()


def batch_payload(events):
    """The JSON body of a batch: ``{"changes": [...]}``, each as a single delivery sends it."""
    return json.dumps(
        {"changes": ChangeEventSerializer(events, many=True).data}, separators=(",", ":")
    ).encode()


# The X-Book-Event of a batched delivery, whose changes may be of several events.
BATCH_EVENT = "batch"


def backoff(attempt):
    return timedelta(seconds=settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))


def queue(delivery_ids):
    """Queue a task per delivery, in the transaction that writes the deliveries.

    On the database task backend the tasks are rows that commit with the
    deliveries (a worker cannot see them sooner), so a process that dies after
    the commit leaves no delivery without its task. A backend outside the
    database is asked once the transaction commits instead, so that it never
    runs a delivery that may still be rolled back.
    """

    def enqueue():
        for delivery_id in delivery_ids:
            deliver.enqueue(delivery_id)

    if isinstance(deliver.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def send(delivery):
    """POST the change once: the status code (or None), what the admin shows of a failure, and whether to try again.

    The admin shows a status code, "could not connect" or "address not
    allowed", never what the connection said: that goes to the server's log.
    """
    if delivery.batched:
        body, event = batch_payload(delivery.sent_changes()), BATCH_EVENT
    else:
        body, event = payload(delivery.event), delivery.event.event
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "book-cms-webhooks",
        "X-Book-Event": event,
        "X-Book-Delivery": str(delivery.pk),
        "X-Book-Signature": signature(delivery.subscriber.secret, body),
    }
    url = outbound.redacted(delivery.subscriber.url)
    try:
        status_code, response_headers = outbound.post(
            delivery.subscriber.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except (outbound.HostNotFound, outbound.CouldNotConnect) as error:
        logger.warning("Webhook delivery %s to %s could not connect: %s", delivery.pk, url, error)
        return None, _("Could not connect."), True
    except outbound.AddressRefused as error:
        # Trying again would not change where the host leads; the editor can fix the URL and send again.
        logger.warning("Webhook delivery %s to %s refused: %s", delivery.pk, url, error)
        return None, _("Address not allowed."), False
    if 200 <= status_code < 300:
        return status_code, "", False
    if 300 <= status_code < 400:
        logger.warning(
            "Webhook delivery %s to %s redirected to %s, not followed.",
            delivery.pk,
            url,
            response_headers.get("Location", ""),
        )
        return (
            status_code,
            _("The subscriber answered HTTP %(code)d: redirects are not followed.") % {"code": status_code},
            True,
        )
    return status_code, _("The subscriber answered HTTP %(code)d.") % {"code": status_code}, True


@task(backend=BACKEND)
def deliver(delivery_id):
    """One attempt at one delivery; queues the next attempt when it fails and attempts remain."""
    delivery = Delivery.objects.select_related("event", "subscriber").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (Delivery.Status.SUCCEEDED, Delivery.Status.FAILED):
        return None
    if not delivery.subscriber.active:
        delivery.status = Delivery.Status.FAILED
        delivery.record_error(_("The subscriber was deactivated before the change could be sent."))
        delivery.next_attempt_at = None
        delivery.save()
        return delivery.status

    status_code, error, again = send(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.record_error(error)
    if not error:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save()
    elif again and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        # The next attempt is queued with the state that announces it, or not at all.
        with transaction.atomic():
            delivery.save()
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save()
    return delivery.status


def retry(delivery):
    """Send a failed delivery again, with a fresh count of attempts."""
    with transaction.atomic():
        delivery.status = Delivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        queue([delivery.pk])
