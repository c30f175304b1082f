"""Batched deliveries: the changes of one transaction reach a batch subscriber as one signed POST."""

import hashlib
import hmac
import json

import pytest
from django.db import transaction

from api.webhooks.models import ChangeEvent, Delivery
from api.webhooks.serializers import ChangeEventSerializer
from tests.factories import ChapterPageFactory
from tests.webhooks.conftest import receiver, run_worker
from tests.webhooks.factories import SubscriberFactory

# The worker runs outside any test transaction, as it does in production.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("private_addresses_allowed"),
]


def expected_signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def publish_together(chapters):
    with transaction.atomic():
        for chapter in chapters:
            chapter.save_revision().publish()


def test_a_batch_subscriber_gets_one_post_for_a_publication_and_a_plain_one_one_per_change():
    chapters = [ChapterPageFactory(live=False) for _ in range(3)]
    with receiver() as batch_site, receiver() as plain_site:
        batched = SubscriberFactory(url=batch_site.url, batch=True)
        SubscriberFactory(url=plain_site.url)
        publish_together(chapters)
        run_worker()

    assert len(plain_site.received) == 3
    [request] = batch_site.received
    assert request.headers["X-Book-Event"] == "batch"
    assert request.headers["X-Book-Signature"] == expected_signature(batched.secret, request.body)
    assert request.headers["X-Book-Signature"] != expected_signature("another secret", request.body)
    changes = json.loads(request.body)["changes"]
    events = list(ChangeEvent.objects.order_by("pk"))
    # Each change in the shape a single delivery sends, in the order recorded.
    assert changes == [json.loads(plain.body) for plain in sorted(plain_site.received, key=order)]
    assert changes == [json.loads(json.dumps(ChangeEventSerializer(event).data)) for event in events]
    assert [change["key"] for change in changes] == [str(chapter.translation_key) for chapter in chapters]
    delivery = Delivery.objects.get(subscriber=batched)
    assert (delivery.status, delivery.attempts, delivery.batched) == ("succeeded", 1, True)
    assert request.headers["X-Book-Delivery"] == str(delivery.pk)


def order(request):
    return json.loads(request.body)["cursor"]


def test_separate_transactions_are_separate_batches():
    chapters = [ChapterPageFactory(live=False) for _ in range(3)]
    with receiver() as site:
        SubscriberFactory(url=site.url, batch=True)
        publish_together(chapters[:2])
        publish_together(chapters[2:])
        run_worker()

    sizes = sorted(len(json.loads(request.body)["changes"]) for request in site.received)
    assert sizes == [1, 2]


def test_a_rolled_back_publication_sends_nothing_and_the_next_batch_is_whole():
    chapters = [ChapterPageFactory(live=False) for _ in range(2)]
    with receiver() as site:
        SubscriberFactory(url=site.url, batch=True)
        with pytest.raises(RuntimeError), transaction.atomic():
            chapters[0].save_revision().publish()
            raise RuntimeError("the publication fails")
        chapters[0].refresh_from_db()
        publish_together(chapters)
        run_worker()

    [request] = site.received
    assert len(json.loads(request.body)["changes"]) == 2
    assert Delivery.objects.count() == 1


def test_a_batch_that_fails_is_retried_whole():
    chapters = [ChapterPageFactory(live=False) for _ in range(2)]
    with receiver(statuses=[503]) as site:
        SubscriberFactory(url=site.url, batch=True)
        publish_together(chapters)
        run_worker()

    first, second = site.received
    assert first.body == second.body
    assert len(json.loads(second.body)["changes"]) == 2
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
