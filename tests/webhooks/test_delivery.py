"""Deliveries end to end: publish, run the database worker, and a real receiver on loopback gets the signed change."""

import hashlib
import hmac
import json
import logging

import pytest
from django.utils.translation import gettext
from wagtail.actions.unpublish import UnpublishAction

from api.webhooks.models import ChangeEvent, Delivery
from api.webhooks.serializers import encode_cursor
from cms.roles import editors
from tests.factories import ChapterPageFactory, CityFactory
from tests.webhooks.conftest import MAX_ATTEMPTS, receiver, run_worker, staff_client
from tests.webhooks.factories import SubscriberFactory

# The worker runs outside any test transaction, as it does in production. The receivers
# listen on loopback, where subscribers may not be unless the setting allows it.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("private_addresses_allowed"),
]


def expected_signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_published_chapter_reaches_the_subscriber_signed_with_its_secret():
    chapter = ChapterPageFactory(live=False)
    with receiver() as site:
        subscriber = SubscriberFactory(url=site.url)
        chapter.save_revision().publish()
        assert site.received == []

        run_worker()

    [request] = site.received
    delivery = Delivery.objects.get()
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Book-Event"] == "published"
    assert request.headers["X-Book-Delivery"] == str(delivery.pk)
    assert request.headers["X-Book-Signature"] == expected_signature(subscriber.secret, request.body)
    assert request.headers["X-Book-Signature"] != expected_signature("another secret", request.body)
    body = json.loads(request.body)
    assert body == {
        "event": "published",
        "key": str(chapter.translation_key),
        "locale": "fr",
        "type": "chapter",
        "url": f"https://api.example.org/api/v1/chapters/{chapter.translation_key}/?locale=fr",
        "timestamp": body["timestamp"],
        # Where the change feed reads on from it.
        "cursor": encode_cursor(delivery.event_id),
    }
    assert body["timestamp"].endswith("Z")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.delivered_at is not None


def test_a_receiver_failing_twice_gets_the_change_on_the_third_attempt(client, django_user_model):
    chapter = ChapterPageFactory(live=False)
    with receiver(statuses=[500, 500]) as site:
        SubscriberFactory(url=site.url)
        chapter.save_revision().publish()
        run_worker()

    assert len(site.received) == 3
    # The same delivery each time: the receiver can tell a retry from a new change.
    assert len({request.headers["X-Book-Delivery"] for request in site.received}) == 1
    assert len({request.body for request in site.received}) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "succeeded",
        3,
        200,
        "",
    )

    editor = staff_client(client, django_user_model, editors())
    page = editor.get(f"/admin/webhooks_subscriber/inspect/{delivery.subscriber.pk}/")
    assert page.status_code == 200
    assert "succeeded" in page.content.decode()
    listing = editor.get("/admin/webhooks_delivery/", {"status": "succeeded"})
    assert f"/admin/webhooks_delivery/inspect/{delivery.pk}/" in listing.content.decode()


def test_a_receiver_that_is_down_is_retried_then_the_delivery_fails_and_keeps_the_change(
    closed_port_url, caplog
):
    SubscriberFactory(url=closed_port_url)
    chapter = ChapterPageFactory(live=False)
    chapter.save_revision().publish()

    with caplog.at_level(logging.WARNING, logger="api.webhooks"):
        run_worker()

    delivery = Delivery.objects.select_related("event").get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", MAX_ATTEMPTS, None)
    # The admin is told no more than that; what the connection said goes to the log alone.
    assert delivery.last_error == gettext("Could not connect.")
    assert "refused" in caplog.text.lower()
    assert closed_port_url in caplog.text
    assert delivery.event.key == chapter.translation_key
    assert ChangeEvent.objects.filter(pk=delivery.event_id).exists()


def test_a_failed_delivery_sent_again_reaches_the_receiver_once_it_is_back():
    with receiver(statuses=[503] * MAX_ATTEMPTS) as site:
        SubscriberFactory(url=site.url)
        ChapterPageFactory(live=False).save_revision().publish()
        run_worker()
        delivery = Delivery.objects.get()
        assert delivery.status == "failed"

        from api.webhooks.tasks import retry

        retry(delivery)
        run_worker()

    delivery.refresh_from_db()
    assert len(site.received) == MAX_ATTEMPTS + 1
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)


def test_unpublish_and_delete_are_sent_in_order():
    chapter = ChapterPageFactory(live=False)
    with receiver() as site:
        SubscriberFactory(url=site.url)
        chapter.save_revision().publish()
        chapter.refresh_from_db()
        chapter.unpublish()
        chapter.save_revision().publish()
        chapter.refresh_from_db()
        chapter.delete()
        run_worker()

    sent = sorted(json.loads(request.body)["timestamp"] for request in site.received)
    by_time = {json.loads(r.body)["timestamp"]: r.headers["X-Book-Event"] for r in site.received}
    assert [by_time[moment] for moment in sent] == ["published", "unpublished", "published", "deleted"]


def test_a_city_published_and_unpublished_is_sent():
    city = CityFactory(live=False)
    with receiver() as site:
        SubscriberFactory(url=site.url)
        city.save_revision().publish()
        city.refresh_from_db()
        UnpublishAction(city).execute()
        run_worker()

    bodies = sorted(
        (json.loads(request.body) for request in site.received), key=lambda body: body["timestamp"]
    )
    assert [(body["event"], body["type"], body["key"]) for body in bodies] == [
        ("published", "city", str(city.translation_key)),
        ("unpublished", "city", str(city.translation_key)),
    ]


def test_an_inactive_subscriber_receives_nothing():
    with receiver() as site:
        SubscriberFactory(url=site.url, active=False)
        ChapterPageFactory(live=False).save_revision().publish()
        run_worker()

    assert site.received == []
    assert Delivery.objects.count() == 0
    assert ChangeEvent.objects.count() == 1


def test_a_subscriber_deactivated_before_sending_receives_nothing():
    with receiver() as site:
        subscriber = SubscriberFactory(url=site.url)
        ChapterPageFactory(live=False).save_revision().publish()
        subscriber.active = False
        subscriber.save()
        run_worker()

    assert site.received == []
    assert Delivery.objects.get().status == "failed"
