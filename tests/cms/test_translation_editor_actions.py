"""The translation editor offers each person only what they may do, and stopping a synced translation is an
editor's confirmed decision."""

import html
import json
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation

from tests.cms.test_permissions_matrix import build_world, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    return build_world()


def signed_in(client, django_user_model, role):
    member = make_user(django_user_model, role)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(member)
    return member


def editor_container(response):
    """The attributes of the translation editor's container, as its script reads them."""
    content = response.content.decode()
    tag = re.search(r'<div class="js-translation-editor"[^>]*>', content)
    assert tag, "no translation editor on the page"
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(0)))
    attributes["props"] = json.loads(html.unescape(attributes["data-props"]))
    attributes["position"] = tag.start()
    return attributes


def open_chapter_editor(client, world, code="en"):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world.chapters[code]]))
    assert response.status_code == 200
    return response


def test_translator_is_offered_neither_alias_delete_publish_nor_stop(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    editor = editor_container(open_chapter_editor(client, world))

    assert editor["props"]["links"]["convertToAliasUrl"] is None
    assert editor["props"]["perms"]["canDelete"] is False
    assert editor["props"]["perms"]["canPublish"] is False
    assert editor["data-stop-sync"] == "refused"


def test_editor_is_offered_alias_delete_publish_and_stop(world, client, django_user_model):
    signed_in(client, django_user_model, "editor")

    editor = editor_container(open_chapter_editor(client, world))

    assert editor["props"]["links"]["convertToAliasUrl"]
    assert editor["props"]["perms"]["canDelete"] is True
    assert editor["props"]["perms"]["canPublish"] is True
    assert editor["data-stop-sync"] == "offered"


def test_submit_for_review_comes_before_the_editor(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = open_chapter_editor(client, world)

    content = response.content.decode()
    submit = content.index('name="submit-for-review"')
    assert submit < editor_container(response)["position"], (
        "Submit for review is at the top, not under the segments"
    )


def test_editor_sees_each_languages_direction(world, client, django_user_model):
    signed_in(client, django_user_model, "editor")

    editor = editor_container(open_chapter_editor(client, world))

    assert (editor["data-source-lang"], editor["data-source-dir"]) == ("fr", "ltr")
    assert (editor["data-target-lang"], editor["data-target-dir"]) == ("en", "ltr")


def stop_url(world):
    return reverse("wagtail_localize:stop_translation", args=[world.translations["chapter", "en"]])


def is_enabled(world):
    return Translation.objects.get(pk=world.translations["chapter", "en"]).enabled


def test_translator_cannot_stop_a_synced_translation(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = client.post(stop_url(world), {"confirm": "yes"})

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")
    assert is_enabled(world)


def test_stopping_asks_the_editor_to_confirm_first(world, client, django_user_model):
    signed_in(client, django_user_model, "editor")
    next_url = reverse("wagtailadmin_pages:edit", args=[world.chapters["en"]])

    response = client.post(stop_url(world), {"next": next_url})

    assert response.status_code == 200
    assert is_enabled(world), "the footer's click alone stops nothing"
    content = response.content.decode()
    assert "Stop the synced translation of" in content
    assert 'name="confirm" value="yes"' in content
    assert f'href="{next_url}"' in content, "cancelling goes back to the editor"


def test_confirmed_stop_unties_the_translation(world, client, django_user_model):
    signed_in(client, django_user_model, "editor")
    next_url = reverse("wagtailadmin_pages:edit", args=[world.chapters["en"]])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(stop_url(world), {"confirm": "yes", "next": next_url})

    assert response.status_code == 302
    assert response.url == next_url
    assert not is_enabled(world)
    assert Page.objects.filter(pk=world.chapters["en"]).exists(), "the translated page stays"
