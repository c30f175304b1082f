"""Editors manage subscribers under Settings and see what was sent; translators and reviewers never reach it."""

import datetime

import pytest
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from api.webhooks.models import ChangeEvent, Delivery, Subscriber
from cms.roles import editors, reviewers, translators
from tests.webhooks.conftest import PUBLIC_ADDRESS, staff_client
from tests.webhooks.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

SUBSCRIBERS = "/admin/webhooks_subscriber/"
DELIVERIES = "/admin/webhooks_delivery/"


@pytest.fixture(autouse=True)
def public_names(dns):
    """The subscribers' example.org hosts resolve to a public address, without the network."""
    dns.names[".example.org"] = PUBLIC_ADDRESS
    return dns


@pytest.fixture
def editor(client, django_user_model):
    return staff_client(client, django_user_model, editors())


def form(**changes):
    return {"name": "Le site de Cannes", "url": "https://cannes.example.org/hooks", "active": "on",
            "events": ["published", "unpublished", "deleted"], **changes}  # fmt: skip


def a_delivery(subscriber, status, **fields):
    event = ChangeEvent.objects.create(
        event="published", key="6f1c2b1e-8a43-4d5e-9a41-1f0f9e1f6a55", locale="fr", type="chapter",
        url="https://api.example.org/api/v1/chapters/6f1c2b1e-8a43-4d5e-9a41-1f0f9e1f6a55/?locale=fr",
    )  # fmt: skip
    return Delivery.objects.create(subscriber=subscriber, event=event, status=status, **fields)


def test_an_editor_adds_a_subscriber_and_sees_its_secret_once(editor):
    response = editor.post(f"{SUBSCRIBERS}new/", form(), follow=True)

    subscriber = Subscriber.objects.get()
    assert (subscriber.name, subscriber.url, subscriber.active) == (
        "Le site de Cannes",
        "https://cannes.example.org/hooks",
        True,
    )
    assert subscriber.events == ["published", "unpublished", "deleted"]
    assert len(subscriber.secret) >= 32
    assert subscriber.secret in response.content.decode()
    inspect = editor.get(f"{SUBSCRIBERS}inspect/{subscriber.pk}/").content.decode()
    assert subscriber.secret not in inspect
    assert subscriber.masked_secret in inspect


def test_a_new_secret_is_made_on_request_and_shown_once(editor):
    subscriber = SubscriberFactory()
    old = subscriber.secret

    editor.post(f"{SUBSCRIBERS}edit/{subscriber.pk}/", form(name=subscriber.name), follow=True)
    subscriber.refresh_from_db()
    assert subscriber.secret == old

    response = editor.post(f"{SUBSCRIBERS}edit/{subscriber.pk}/", form(renew_secret="on"), follow=True)
    subscriber.refresh_from_db()
    assert subscriber.secret != old
    assert subscriber.secret in response.content.decode()


@pytest.mark.parametrize("url", ["ftp://files.example.org/hooks", "not a url", "javascript:alert(1)"])
def test_a_subscriber_url_must_be_http_or_https(editor, url):
    response = editor.post(f"{SUBSCRIBERS}new/", form(url=url))

    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("url", "host", "kind"),
    [
        ("http://127.0.0.1:5432/", "127.0.0.1", "loopback"),
        ("http://localhost:6379/", "localhost", "loopback"),
        ("http://[::1]:8000/hooks", "::1", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "loopback"),
        ("http://10.0.0.5:6081/", "10.0.0.5", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
        ("http://224.0.0.1/", "224.0.0.1", "multicast"),
        ("http://db.internal.example.org/", "db.internal.example.org", "private network"),
    ],
)
def test_a_subscriber_on_a_local_or_private_address_is_refused_with_the_reason(
    editor, public_names, url, host, kind
):
    public_names.names["db.internal.example.org"] = "192.168.1.20"

    response = editor.post(f"{SUBSCRIBERS}new/", form(url=url))

    assert response.status_code == 200
    [error] = response.context["form"].errors["url"]
    assert f"“{host}”" in error
    assert f"({kind})" in error
    assert "only public Internet addresses are allowed" in error
    assert not Subscriber.objects.exists()


def test_a_subscriber_whose_host_does_not_exist_is_refused(editor, public_names):
    public_names.names["gone.example.org"] = []

    response = editor.post(f"{SUBSCRIBERS}new/", form(url="https://gone.example.org/hooks"))

    assert response.context["form"].errors["url"] == ["The host “gone.example.org” could not be found."]
    assert not Subscriber.objects.exists()


def test_an_edited_subscriber_cannot_be_moved_to_a_private_address(editor):
    subscriber = SubscriberFactory()
    url = subscriber.url

    response = editor.post(f"{SUBSCRIBERS}edit/{subscriber.pk}/", form(url="http://192.168.0.1/"))

    assert "url" in response.context["form"].errors
    subscriber.refresh_from_db()
    assert subscriber.url == url


def test_the_setting_lets_a_development_subscriber_listen_on_loopback(editor, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

    editor.post(f"{SUBSCRIBERS}new/", form(url="http://127.0.0.1:8001/hooks"))
    refused = editor.post(f"{SUBSCRIBERS}new/", form(url="http://nowhere.invalid/hooks"))

    assert Subscriber.objects.get().url == "http://127.0.0.1:8001/hooks"
    assert refused.context["form"].errors["url"] == ["The host “nowhere.invalid” could not be found."]


def test_a_subscriber_must_choose_at_least_one_event(editor):
    response = editor.post(f"{SUBSCRIBERS}new/", form(events=[]))

    assert "events" in response.context["form"].errors


def test_the_subscriber_page_lists_its_recent_deliveries_and_links_to_all_of_them(editor):
    subscriber = SubscriberFactory()
    other = SubscriberFactory()
    a_delivery(subscriber, "failed", attempts=6, last_error="The subscriber answered HTTP 502.")
    a_delivery(other, "succeeded")

    page = editor.get(f"{SUBSCRIBERS}inspect/{subscriber.pk}/").content.decode()

    assert "The subscriber answered HTTP 502." in page
    assert f"{DELIVERIES}?subscriber={subscriber.pk}" in page


def test_deliveries_are_listed_read_only_and_filtered_by_status(editor):
    subscriber = SubscriberFactory()
    failed = a_delivery(subscriber, "failed")
    succeeded = a_delivery(subscriber, "succeeded")

    listing = editor.get(DELIVERIES, {"status": "failed"})
    assert listing.status_code == 200
    assert list(listing.context["object_list"]) == [failed]
    assert f"{DELIVERIES}new/" not in listing.content.decode()
    assert editor.get(f"{DELIVERIES}inspect/{succeeded.pk}/").status_code == 200
    assert editor.get(f"{DELIVERIES}edit/{succeeded.pk}/").status_code == 302
    assert editor.post(f"{DELIVERIES}delete/{succeeded.pk}/").status_code == 302
    assert Delivery.objects.count() == 2


def test_a_failed_delivery_can_be_sent_again(editor, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    delivery = a_delivery(SubscriberFactory(), "failed", attempts=6)
    assert "Send again" in editor.get(f"{DELIVERIES}inspect/{delivery.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{DELIVERIES}retry/{delivery.pk}/")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [delivery.pk]


def test_the_webhooks_are_under_settings_for_editors(editor):
    home = editor.get("/admin/").content.decode()

    assert SUBSCRIBERS in home
    assert DELIVERIES in home


def test_a_failed_delivery_to_an_address_now_refused_is_not_sent_again(editor, public_names):
    from django_tasks_db.models import DBTaskResult

    public_names.names["moved.example.org"] = "127.0.0.1"
    delivery = a_delivery(SubscriberFactory(url="https://moved.example.org/hooks"), "failed", attempts=1)

    response = editor.post(f"{DELIVERIES}retry/{delivery.pk}/", follow=True)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert not DBTaskResult.objects.exists()
    page = response.content.decode()
    assert "The delivery was not sent again" in page
    assert "(loopback)" in page


@pytest.mark.parametrize("role", [lambda: translators("en"), lambda: reviewers("en"), lambda: reviewers()])
def test_translators_and_reviewers_never_reach_the_webhooks(client, django_user_model, role):
    Locale.objects.get_or_create(language_code="en")
    subscriber = SubscriberFactory()
    delivery = a_delivery(subscriber, "failed")
    staff = staff_client(client, django_user_model, role())

    home = staff.get("/admin/")
    assert home.status_code == 200
    assert SUBSCRIBERS not in home.content.decode()
    for url in (
        SUBSCRIBERS,
        f"{SUBSCRIBERS}new/",
        f"{SUBSCRIBERS}edit/{subscriber.pk}/",
        f"{SUBSCRIBERS}inspect/{subscriber.pk}/",
        DELIVERIES,
        f"{DELIVERIES}inspect/{delivery.pk}/",
    ):
        response = staff.get(url)
        assert response.status_code == 302, url
        assert subscriber.masked_secret not in response.content.decode()
    staff.post(f"{DELIVERIES}retry/{delivery.pk}/")
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_the_subscriber_screens_show_the_site_that_manages_it(editor, django_assert_max_num_queries):
    from api.models import ApiSite

    site = ApiSite.objects.create(name="Ville de Lyon")
    for _ in range(3):
        SubscriberFactory(site=site, batch=True)
    SubscriberFactory(name="Le site des éditeurs")
    editor.get(SUBSCRIBERS)
    with django_assert_max_num_queries(30):
        listing = editor.get(SUBSCRIBERS).content.decode()
    assert listing.count("Ville de Lyon") >= 3
    subscriber = Subscriber.objects.filter(site=site).first()
    inspect = editor.get(f"{SUBSCRIBERS}inspect/{subscriber.pk}/").content.decode()
    assert "Ville de Lyon" in inspect
    assert "API site" in inspect
    assert editor.get(SUBSCRIBERS, {"site": site.pk}).content.decode().count("Le site des éditeurs") == 0


def test_an_editor_makes_a_subscriber_batched(editor):
    editor.post(f"{SUBSCRIBERS}new/", form(batch="on"), follow=True)
    assert Subscriber.objects.get().batch is True


@pytest.mark.parametrize(
    ("time_zone", "shown", "hidden"),
    [
        # The zone chosen in the account's settings; else the site's (TIME_ZONE, Paris). Never UTC.
        ("Asia/Tokyo", "March 4, 2026, 2:06 p.m.", "March 4, 2026, 5:06 a.m."),
        ("", "March 4, 2026, 6:06 a.m.", "March 4, 2026, 5:06 a.m."),
    ],
)
def test_webhook_times_are_shown_in_the_time_zone_of_the_rest_of_the_admin(
    editor, django_user_model, time_zone, shown, hidden
):
    profile = UserProfile.get_for_user(django_user_model.objects.get())
    profile.current_time_zone = time_zone
    profile.save()
    moment = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    subscriber = SubscriberFactory()
    delivery = a_delivery(subscriber, "succeeded", delivered_at=moment)
    Delivery.objects.filter(pk=delivery.pk).update(created_at=moment)
    Subscriber.objects.filter(pk=subscriber.pk).update(created_at=moment)

    for page, times in [
        (DELIVERIES, 2),
        (f"{DELIVERIES}inspect/{delivery.pk}/", 2),
        (SUBSCRIBERS, 1),
        # Its own creation, and that of its recent delivery.
        (f"{SUBSCRIBERS}inspect/{subscriber.pk}/", 2),
    ]:
        html = editor.get(page).content.decode()
        assert html.count(shown) == times, page
        assert hidden not in html, page
