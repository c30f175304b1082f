"""Password guessing: sign-in lockouts per account and per address, and the private pages' and documents' password forms.

Everything goes through the real URLs, as a browser (or a script guessing
passwords) would, with the limit the settings give production.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.security import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-one-2025"
LOGIN_URLS = ["/admin/login/", "/django-admin/login/", "/_util/login/"]
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
LOCKED_MESSAGE = "Too many failed attempts for this account or from this address"


@pytest.fixture
def setup_roles():
    call_command("setup_roles", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def staff(django_user_model):
    def make(username, *group_names, superuser=False):
        create = (
            django_user_model.objects.create_superuser if superuser else django_user_model.objects.create_user
        )
        user = create(username, f"{username}@example.org", PASSWORD)
        user.groups.add(*Group.objects.filter(name__in=group_names))
        return user

    return make


def sign_in(client, url, username, password, address):
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def signed_in(response):
    return response.status_code == 302


def guess(client, url, username, address, times):
    return [sign_in(client, url, username, f"guess-{n}", address) for n in range(times)]


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_right_password_is_refused_after_too_many_wrong_ones(url, client, staff, settings):
    staff("marie", superuser=True)

    answers = guess(client, url, "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)
    right = sign_in(client, url, "marie", PASSWORD, ATTACKER)

    # Until the limit, a wrong password gets the form again; the last one, and the right one after it, a lockout.
    assert [answer.status_code for answer in answers[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429
    assert right.status_code == 429
    assert LOCKED_MESSAGE in right.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_few_wrong_passwords_do_not_lock_anyone_out(url, client, staff, settings):
    staff("marie", superuser=True)

    guess(client, url, "marie", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)

    assert signed_in(sign_in(client, url, "marie", PASSWORD, ATTACKER))


def test_the_lockout_holds_per_account_and_per_address(client, staff, settings):
    for name in ("marie", "paul", "lucie"):
        staff(name, superuser=True)
    url = LOGIN_URLS[0]
    guess(client, url, "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)

    # The account is locked from every address, and the address for every account...
    assert sign_in(client, url, "marie", PASSWORD, COLLEAGUE).status_code == 429
    assert sign_in(client, url, "paul", PASSWORD, ATTACKER).status_code == 429
    # ...but another account from another address signs in.
    assert signed_in(sign_in(client, url, "lucie", PASSWORD, COLLEAGUE))


def test_the_lockout_message_is_json_for_scripts(client, staff, settings):
    staff("marie", superuser=True)
    guess(client, LOGIN_URLS[0], "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)

    response = client.post(
        LOGIN_URLS[0],
        {"username": "marie", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert LOCKED_MESSAGE in response.json()["error"]["message"]


def test_behind_proxies_the_client_is_the_address_they_forwarded(settings):
    settings.LOGIN_NUM_PROXIES = 1
    factory = RequestFactory()

    forged = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not an address")
    settings.LOGIN_NUM_PROXIES = 0
    direct = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    direct_address = client_ip(direct)
    settings.LOGIN_NUM_PROXIES = 1

    # The address our proxy saw, not what the client wrote further left.
    assert client_ip(forged) == "203.0.113.7"
    assert client_ip(garbage) == "10.0.0.2"
    # Without proxies, X-Forwarded-For is the client's own word and is ignored.
    assert direct_address == "10.0.0.2"


def test_guessing_through_a_forged_forwarded_header_is_still_counted(client, staff, settings):
    settings.LOGIN_NUM_PROXIES = 1
    staff("marie", superuser=True)
    staff("paul", superuser=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URLS[0],
            {"username": f"nobody-{n}", "password": "guess"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
        )

    blocked = client.post(
        LOGIN_URLS[0],
        {"username": "paul", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    other_client = client.post(
        LOGIN_URLS[0],
        {"username": "marie", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=COLLEAGUE,
    )

    assert blocked.status_code == 429
    assert signed_in(other_client)


# What editors see and do in the admin.


def test_editors_see_lockouts_and_failed_sign_ins_and_translators_do_not(
    client, staff, setup_roles, settings
):
    staff("marie", superuser=True)
    editor = staff("edith", "Editors")
    translator = staff("tomas", "Translators (es)")
    guess(client, LOGIN_URLS[0], "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)
    lockouts, failures = reverse("signin_lockouts:index"), reverse("signin_failures:index")

    client.force_login(editor)
    seen = [client.get(lockouts, HTTP_ACCEPT_LANGUAGE="en"), client.get(failures, HTTP_ACCEPT_LANGUAGE="en")]
    menu = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(translator)
    refused = [client.get(lockouts), client.get(failures)]
    translator_menu = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for response in seen:
        assert response.status_code == 200
        assert "marie" in response.content.decode()
        assert ATTACKER in response.content.decode()
    assert seen[1].content.decode().count("marie") >= settings.AXES_FAILURE_LIMIT
    assert lockouts in menu and failures in menu
    for response in refused:
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert lockouts not in translator_menu and failures not in translator_menu


def test_an_editor_unlocks_an_account_from_the_admin(client, staff, setup_roles, settings):
    from axes.models import AccessAttempt

    staff("marie", superuser=True)
    editor = staff("edith", "Editors")
    translator = staff("tomas", "Translators (es)")
    guess(client, LOGIN_URLS[0], "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="marie")
    unlock = reverse("signin_lockouts:delete", args=(attempt.pk,))

    client.force_login(translator)
    refused = client.post(unlock)
    client.force_login(editor)
    confirmation = client.get(unlock, HTTP_ACCEPT_LANGUAGE="en")
    still_locked = AccessAttempt.objects.filter(username="marie").exists() and refused.status_code == 302
    unlocked = client.post(unlock, HTTP_ACCEPT_LANGUAGE="en")
    client.logout()

    assert still_locked
    assert confirmation.status_code == 200
    assert "Yes, unlock" in confirmation.content.decode()
    assert unlocked.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in(client, LOGIN_URLS[0], "marie", PASSWORD, ATTACKER))


def test_nobody_adds_or_edits_the_records_not_even_a_superuser(client, staff, settings):
    from axes.models import AccessAttempt, AccessFailureLog

    client.force_login(staff("root", superuser=True))
    guess(client, LOGIN_URLS[0], "marie", ATTACKER, 1)
    attempt, failure = AccessAttempt.objects.get(), AccessFailureLog.objects.get()

    for url in (
        reverse("signin_lockouts:add"),
        reverse("signin_lockouts:edit", args=(attempt.pk,)),
        reverse("signin_failures:add"),
        reverse("signin_failures:edit", args=(failure.pk,)),
        reverse("signin_failures:delete", args=(failure.pk,)),
    ):
        assert client.get(url).status_code == 302, url
        assert client.post(url, {"username": "forged"}).status_code == 302, url
    assert AccessAttempt.objects.get().username == "marie"
    assert AccessFailureLog.objects.count() == 1


def test_operators_unlock_everyone_with_axes_reset(client, staff, settings):
    staff("marie", superuser=True)
    guess(client, LOGIN_URLS[0], "marie", ATTACKER, settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset", stdout=StringIO())

    assert signed_in(sign_in(client, LOGIN_URLS[0], "marie", PASSWORD, ATTACKER))


# The password forms of private pages and documents.


@pytest.fixture
def private_page():
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Réservé", slug="reserve", live=True))
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk))
    return url


@pytest.fixture
def private_collection():
    collection = Collection.get_first_root_node().add_child(name="Réservé")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    Document.objects.create(title="Contrat", collection=collection)
    return reverse("wagtaildocs_authenticate_with_password", args=(restriction.pk,))


def try_password(client, url, password, address):
    return client.post(
        url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize("form", ["private_page", "private_collection"])
def test_a_password_form_stops_checking_after_too_many_wrong_passwords(form, request, client, settings):
    url = request.getfixturevalue(form)

    wrong = [try_password(client, url, f"guess-{n}", ATTACKER) for n in range(settings.AXES_FAILURE_LIMIT)]
    right = try_password(client, url, PASSWORD, ATTACKER)
    elsewhere = try_password(client, url, PASSWORD, COLLEAGUE)

    assert [response.status_code for response in wrong] == [200] * settings.AXES_FAILURE_LIMIT
    assert right.status_code == 429
    assert LOCKED_MESSAGE in right.content.decode()
    assert 'name="password"' in right.content.decode()
    # Another address is not held back by someone else's guesses.
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("form", ["private_page", "private_collection"])
def test_the_right_password_resets_the_count(form, request, client, settings):
    url = request.getfixturevalue(form)

    for _round in range(2):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            assert try_password(client, url, f"guess-{n}", ATTACKER).status_code == 200
        assert try_password(client, url, PASSWORD, ATTACKER).status_code == 302


def test_an_unknown_restriction_is_still_a_404(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        response = try_password(client, "/_util/authenticate_with_password/999999/999999/", f"g{n}", ATTACKER)
        assert response.status_code == 404
    assert (
        try_password(client, "/documents/authenticate_with_password/999999/", "g", ATTACKER).status_code
        == 404
    )
