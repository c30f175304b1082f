"""Subscribers are on the public Internet: no webhook reaches the servers' own network, however it is spelt or resolved."""

import base64
import logging

import pytest
from django.utils import translation
from django.utils.translation import gettext

from api.webhooks import outbound
from api.webhooks.models import Delivery
from tests.factories import ChapterPageFactory
from tests.webhooks.conftest import MAX_ATTEMPTS, PUBLIC_ADDRESS, receiver, run_worker, tls_certificate
from tests.webhooks.factories import SubscriberFactory

REFUSED = [
    "http://127.0.0.1:5432/",
    "http://127.0.0.2/",
    "http://localhost/",
    "http://localhost:6379/",
    "http://[::1]/",
    "http://0.0.0.0:8000/",
    "http://[::]/",
    # One address, other spellings: decimal, hexadecimal, octal, shortened.
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://0/",
    # IPv4 inside IPv6: mapped, 6to4, NAT64.
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.5]/",
    "http://[2002:7f00:1::1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    # Private networks, shared address space, unique local.
    "http://10.0.0.5:6081/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    # Link-local, cloud metadata included.
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    # Multicast, broadcast, reserved, documentation.
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://192.0.2.10/",
    "https://[2001:db8::1]/",
    # Names that lead there.
    "https://db.internal.example.org/hooks",
    "https://rebound.example.org/hooks",
    "https://mixed.example.org/hooks",
    "https://nowhere.example.org/hooks",
    "http://nowhere.invalid/",
]

ALLOWED = [
    f"http://{PUBLIC_ADDRESS}/hooks",
    "https://reader.example.org/hooks",
    "https://reader.example.org:8443/hooks?site=cannes",
    "http://[2606:4700:4700::1111]/",
    "http://[::ffff:93.184.215.14]/",
]


@pytest.fixture
def names(dns):
    dns.names.update(
        {
            "reader.example.org": PUBLIC_ADDRESS,
            "db.internal.example.org": "10.1.2.3",
            "rebound.example.org": "127.0.0.1",
            # One bad answer among good ones is enough: the connection could take it.
            "mixed.example.org": [PUBLIC_ADDRESS, "192.168.0.7"],
            "nowhere.example.org": [],
        }
    )
    return dns


@pytest.mark.parametrize("url", REFUSED)
def test_no_local_private_or_reserved_address_passes_the_check(names, url):
    with pytest.raises(outbound.AddressRefused) as refused:
        outbound.check(url)

    assert refused.value.message


@pytest.mark.parametrize("url", ALLOWED)
def test_public_addresses_pass_the_check(names, url):
    assert outbound.check(url)


def test_the_refusal_names_the_host_and_the_kind_of_address(names):
    with translation.override("en"), pytest.raises(outbound.AddressRefused) as refused:
        outbound.check("https://db.internal.example.org/hooks")

    with translation.override("en"):
        message = refused.value.message
    assert message == (
        "The host “db.internal.example.org” leads to an address webhooks may not be sent to (private network): "
        "only public Internet addresses are allowed."
    )


# The worker runs outside any test transaction, as it does in production.
worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def refused_delivery():
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    assert delivery.last_error == gettext("Address not allowed.")
    return delivery


@worker
@pytest.mark.parametrize(
    "spelling", ["127.0.0.1", "localhost", "2130706433", "0x7f000001", "0177.0.0.1", "[::ffff:127.0.0.1]"]
)
def test_a_subscriber_on_loopback_gets_nothing_however_its_address_is_spelt(spelling, caplog):
    with receiver() as site:
        SubscriberFactory(url=f"http://{spelling}:{site.port}/hooks")
        ChapterPageFactory(live=False).save_revision().publish()
        with caplog.at_level(logging.WARNING, logger="api.webhooks"):
            run_worker()

    assert site.received == []
    # Refused once and for all: trying again would knock at the same door.
    refused_delivery()
    # The worker speaks the site's language (French by default) in its log too.
    assert gettext("loopback") in caplog.text


@worker
def test_a_name_that_turns_private_after_it_was_saved_gets_nothing(dns, client, django_user_model):
    """DNS rebinding: public when the editor saved it, loopback when the worker sends."""
    from api.webhooks.models import Subscriber
    from cms.roles import editors
    from tests.webhooks.conftest import staff_client

    with receiver() as site:
        dns.names["hooks.example.org"] = lambda call: PUBLIC_ADDRESS if call == 1 else "127.0.0.1"
        editor = staff_client(client, django_user_model, editors())
        editor.post(
            "/admin/webhooks_subscriber/new/",
            {"name": "Rebinding", "url": f"http://hooks.example.org:{site.port}/hooks", "active": "on",
             "events": ["published", "unpublished", "deleted"]},
        )  # fmt: skip
        assert Subscriber.objects.get().url == f"http://hooks.example.org:{site.port}/hooks"
        ChapterPageFactory(live=False).save_revision().publish()
        run_worker()

    assert site.received == []
    refused_delivery()


@worker
@pytest.mark.usefixtures("private_addresses_allowed")
def test_the_request_goes_to_the_address_that_was_checked_and_names_the_host(dns):
    """The name is resolved once per attempt: a second answer could lead anywhere."""
    with receiver() as site:
        dns.names["hooks.example.org"] = lambda call: "127.0.0.1" if call == 1 else []
        SubscriberFactory(url=f"http://hooks.example.org:{site.port}/hooks?site=cannes")
        ChapterPageFactory(live=False).save_revision().publish()
        run_worker()

    [request] = site.received
    assert request.headers["Host"] == f"hooks.example.org:{site.port}"
    assert request.path == "/hooks?site=cannes"
    assert dns.calls["hooks.example.org"] == 1
    assert Delivery.objects.get().status == "succeeded"


@pytest.fixture
def tls_site(dns, tmp_path, monkeypatch):
    """An https receiver on loopback for hooks.example.org, whose certificate the sender trusts."""
    context, certificate = tls_certificate(tmp_path, "hooks.example.org")
    monkeypatch.setattr(outbound, "CA_BUNDLE", certificate)
    dns.names["hooks.example.org"] = "127.0.0.1"
    dns.names["other.example.org"] = "127.0.0.1"
    with receiver(tls=context) as site:
        yield site


@worker
@pytest.mark.usefixtures("private_addresses_allowed")
def test_https_speaks_to_the_checked_address_as_the_host(tls_site):
    SubscriberFactory(url=f"https://hooks.example.org:{tls_site.port}/hooks")
    ChapterPageFactory(live=False).save_revision().publish()
    run_worker()

    [request] = tls_site.received
    assert tls_site.server_names == ["hooks.example.org"]
    assert request.headers["Host"] == f"hooks.example.org:{tls_site.port}"
    assert Delivery.objects.get().status == "succeeded"


@worker
@pytest.mark.usefixtures("private_addresses_allowed")
def test_https_to_an_address_whose_certificate_names_another_host_sends_nothing(tls_site):
    SubscriberFactory(url=f"https://other.example.org:{tls_site.port}/hooks")
    ChapterPageFactory(live=False).save_revision().publish()
    run_worker()

    assert tls_site.received == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        MAX_ATTEMPTS,
        gettext("Could not connect."),
    )


@worker
@pytest.mark.usefixtures("private_addresses_allowed")
def test_a_redirect_is_not_followed_and_its_target_is_not_shown(caplog):
    with receiver(statuses=[302] * MAX_ATTEMPTS, headers={"Location": "http://10.0.0.5:6081/admin"}) as site:
        SubscriberFactory(url=site.url)
        ChapterPageFactory(live=False).save_revision().publish()
        with caplog.at_level(logging.WARNING, logger="api.webhooks"):
            run_worker()

    assert len(site.received) == MAX_ATTEMPTS
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("failed", 302)
    assert "10.0.0.5" not in delivery.last_error
    assert "302" in delivery.last_error
    assert "http://10.0.0.5:6081/admin" in caplog.text


def test_credentials_in_a_url_are_kept_out_of_the_log():
    assert outbound.redacted("https://site:" + "s3cret@hooks.example.org:8443/hooks?a=1") == (
        "https://hooks.example.org:8443/hooks?a=1"
    )


@worker
@pytest.mark.usefixtures("private_addresses_allowed")
def test_credentials_in_the_url_are_sent_as_basic_authentication():
    with receiver() as site:
        SubscriberFactory(url="http://reader:" + f"s%40cret@127.0.0.1:{site.port}/hooks")
        ChapterPageFactory(live=False).save_revision().publish()
        run_worker()

    [request] = site.received
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"reader:s@cret").decode()
    assert request.headers["Host"] == f"127.0.0.1:{site.port}"


def test_the_deployment_check_warns_when_private_addresses_are_allowed(settings):
    from django.core.checks import run_checks

    def warnings():
        return [
            message.id
            for message in run_checks(include_deployment_checks=True)
            if message.id.startswith("webhooks")
        ]

    assert warnings() == []
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert warnings() == ["webhooks.W001"]
