"""A site manages its own webhook subscriptions with its API key."""

import pytest
from django.urls import reverse

from api import access
from api.models import ApiSite
from api.webhooks.models import Delivery, Subscriber
from tests.webhooks.conftest import PUBLIC_ADDRESS
from tests.webhooks.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_names(dns):
    dns.names[".example.org"] = PUBLIC_ADDRESS
    dns.names["intranet.example.net"] = "10.0.0.7"
    return dns


def keyed(name):
    site = ApiSite.objects.create(name=name)
    return site, {"HTTP_AUTHORIZATION": f"Bearer {access.create_key(site)}"}


def url(pk=None, rotate=False):
    if rotate:
        return reverse("api:webhook-rotate-secret", args=[pk])
    return reverse("api:webhook-detail", args=[pk]) if pk else reverse("api:webhook-list")


def create(client, headers, **body):
    return client.post(url(), body, content_type="application/json", **headers)


def test_a_site_creates_a_subscription_and_sees_its_secret_once(client, public_names):
    site, headers = keyed("Ville de Lyon")
    response = create(client, headers, url="https://lyon.example.org/hooks", events=["published"], batch=True)
    assert response.status_code == 201, response.content
    body = response.json()
    subscriber = Subscriber.objects.get()
    assert body["secret"] == subscriber.secret
    assert (body["url"], body["events"], body["batch"], body["name"]) == (
        "https://lyon.example.org/hooks",
        ["published"],
        True,
        "Ville de Lyon",
    )
    assert (subscriber.site, subscriber.events, subscriber.batch) == (site, ["published"], True)
    assert "no-store" in response["Cache-Control"]
    assert body["created_at"].endswith("Z")

    listed = client.get(url(), **headers)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [subscriber.pk]
    assert "secret" not in listed.json()[0]
    detail = client.get(url(subscriber.pk), **headers)
    assert detail.json()["id"] == subscriber.pk
    assert "secret" not in detail.json()


def test_events_default_to_all_and_name_to_the_sites(client, public_names):
    _site, headers = keyed("Ville de Lyon")
    body = create(client, headers, url="https://lyon.example.org/hooks", name="Lyon reader").json()
    assert body["events"] == ["published", "unpublished", "deleted"]
    assert body["batch"] is False
    assert body["name"] == "Lyon reader"


def test_a_site_lists_only_its_own_subscriptions(client, public_names):
    _site, headers = keyed("Ville de Lyon")
    other, _other_headers = keyed("Ville de Cannes")
    SubscriberFactory(site=other)
    SubscriberFactory()
    mine = create(client, headers, url="https://lyon.example.org/hooks").json()
    assert [item["id"] for item in client.get(url(), **headers).json()] == [mine["id"]]


def test_another_sites_subscription_is_not_found(client, public_names):
    _site, headers = keyed("Ville de Lyon")
    other, _other_headers = keyed("Ville de Cannes")
    theirs = SubscriberFactory(site=other)
    editors = SubscriberFactory()
    secret = theirs.secret
    for pk in (theirs.pk, editors.pk):
        for response in (
            client.get(url(pk), **headers),
            client.delete(url(pk), **headers),
            client.post(url(pk, rotate=True), **headers),
        ):
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.secret == secret
    assert Subscriber.objects.count() == 2


def test_delete_and_rotate_the_secret(client, public_names):
    _site, headers = keyed("Ville de Lyon")
    created = create(client, headers, url="https://lyon.example.org/hooks").json()
    rotated = client.post(url(created["id"], rotate=True), **headers)
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != created["secret"]
    assert Subscriber.objects.get().secret == new_secret

    deleted = client.delete(url(created["id"]), **headers)
    assert deleted.status_code == 204
    assert not Subscriber.objects.exists()
    assert client.get(url(created["id"]), **headers).status_code == 404


def test_without_a_key_every_operation_is_a_401(client, public_names):
    subscriber = SubscriberFactory(site=keyed("Ville de Lyon")[0])
    for response in (
        client.get(url()),
        client.post(url(), {"url": "https://lyon.example.org/hooks"}, content_type="application/json"),
        client.get(url(subscriber.pk)),
        client.delete(url(subscriber.pk)),
        client.post(url(subscriber.pk, rotate=True)),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["message"].startswith("Managing webhooks needs the site's API key")
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert Subscriber.objects.count() == 1


def test_a_revoked_key_is_refused(client, public_names):
    site, headers = keyed("Ville de Lyon")
    access.revoke_key(site.keys.get())
    assert client.get(url(), **headers).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"url": "ftp://lyon.example.org/hooks"}, "url", "Enter an http or https URL with a host."),
        ({"url": "lyon.example.org"}, "url", "Enter an http or https URL with a host."),
        ({"url": "http://127.0.0.1:8000/hooks"}, "url", "only public Internet addresses are allowed"),
        ({"url": "https://intranet.example.net/hooks"}, "url", "private network"),
        ({"url": "https://nowhere.invalid/hooks"}, "url", "could not be found"),
        ({}, "url", "This field is required."),
        ({"url": "https://lyon.example.org/", "events": ["renamed"]}, "events", "not a valid choice"),
        ({"url": "https://lyon.example.org/", "events": []}, "events", ""),
        ({"url": "https://lyon.example.org/", "events": "published"}, "events", ""),
        ({"url": "https://lyon.example.org/", "batch": "sometimes"}, "batch", ""),
        ({"url": "https://lyon.example.org/", "locale": "fr"}, "locale", "not a field of a subscription"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, public_names, body, field, message):
    _site, headers = keyed("Ville de Lyon")
    response = create(client, headers, **body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["parameter"] == field
    assert message in error["message"]
    assert not Subscriber.objects.exists()


def test_malformed_json_is_a_400(client, public_names):
    _site, headers = keyed("Ville de Lyon")
    response = client.post(url(), "{", content_type="application/json", **headers)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_deleting_the_site_deletes_its_subscriptions(client, public_names):
    site, headers = keyed("Ville de Lyon")
    create(client, headers, url="https://lyon.example.org/hooks")
    kept = SubscriberFactory()
    site.delete()
    assert list(Subscriber.objects.all()) == [kept]
    assert not Delivery.objects.exists()


def test_listing_costs_a_fixed_number_of_queries(client, public_names, django_assert_max_num_queries):
    site, headers = keyed("Ville de Lyon")
    for _ in range(5):
        SubscriberFactory(site=site)
    client.get(url(), **headers)
    with django_assert_max_num_queries(1):
        assert len(client.get(url(), **headers).json()) == 5


def test_the_schema_requires_the_key_for_webhooks_only(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    paths = {path: item for path, item in schema["paths"].items() if "/webhooks/" in path}
    assert set(paths) == {
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/rotate-secret/",
    }
    for item in paths.values():
        for operation in item.values():
            assert operation["security"] == [{"bearer": []}]
    assert schema["paths"]["/api/v1/changes/"]["get"]["security"] == [{}, {"bearer": []}]
