"""Every endpoint of wagtail-localize's translation editor, called as its script calls it, by each role.

The editor saves segments and overrides by PUT, uploads PO files, machine
translates, previews, stops and restarts the sync, converts to an alias, and
its source pages offer "Translate this page" and "Sync translated pages". Each
is refused (403, or the admin's redirect home) to a person whose role does not
allow it; a segment is refused (400) when its markup is not its source's,
with the tags named, as a PO file is.
"""

import json

import pytest
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage
from tests.cms.test_permissions_matrix import build_world, is_refused_by_the_admin, make_user
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.django_db

MARKED_UP = 'Un <b>mot</b> et un <a id="a1">lien</a>.'


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    world = build_world()
    # A chapter whose paragraph carries markup: bold and a link.
    source = ChapterPage.objects.get(pk=world.chapters["fr"])
    marked = ChapterPageFactory(
        parent=source.get_parent(),
        title="Le chapitre balisé",
        body=[("paragraph", '<p>Un <b>mot</b> et un <a href="https://example.org/">lien</a>.</p>')],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(
            world.submitter, list(Locale.objects.exclude(language_code="fr"))
        ).create_translations(marked)
    marked_source = TranslationSource.objects.get_for_instance(marked)
    for code in ("en", "es"):
        world.translations["marked", code] = Translation.objects.get(
            source=marked_source, target_locale__language_code=code
        ).pk
        world.chapters["marked", code] = marked.get_translation(Locale.objects.get(language_code=code)).pk
    world.chapters["marked", "fr"] = marked.pk
    return world


def signed_in(client, django_user_model, role):
    member = make_user(django_user_model, role)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(member)
    return member


def translation(world, code, kind="marked"):
    return Translation.objects.get(pk=world.translations[kind, code])


def marked_segment(world):
    return StringSegment.objects.get(source=translation(world, "en").source, string__data=MARKED_UP)


def put_segment(client, world, code, value):
    """As the editor's script saves a segment: a form, sent by PUT."""
    url = reverse(
        "wagtail_localize:edit_string_translation",
        args=(world.translations["marked", code], marked_segment(world).pk),
    )
    return client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)


def stored(world, code):
    return (
        StringTranslation.objects.filter(
            translation_of=marked_segment(world).string, locale__language_code=code
        )
        .values_list("data", flat=True)
        .first()
    )


def error_of(response):
    return json.loads(response.content)["error"]


# Segments: the markup check.


def test_a_segment_with_its_sources_markup_is_saved(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")
    value = 'A <b>word</b> and a <a id="a1">link</a>.'

    response = put_segment(client, world, "en", value)

    assert response.status_code == 201
    assert stored(world, "en") == value


def test_a_segment_missing_a_tag_is_refused_naming_it(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = put_segment(client, world, "en", 'A word and a <a id="a1">link</a>.')

    assert response.status_code == 400
    error = error_of(response)
    assert error["parameter"] == "value"
    assert error["message"] == "The translation's markup does not match its source's: missing </b> <b>."
    assert stored(world, "en") is None


def test_a_segment_adding_a_tag_is_refused_naming_it(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = put_segment(client, world, "en", 'A <b>word</b> and a <a id="a1">link</a> <i>too</i>.')

    assert response.status_code == 400
    assert error_of(response)["message"] == (
        "The translation's markup does not match its source's: unexpected </i> <i>."
    )
    assert stored(world, "en") is None


def test_a_segment_with_a_link_not_of_its_source_is_refused(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = put_segment(client, world, "en", 'A <b>word</b> and a <a id="a9">link</a>.')

    assert response.status_code == 400
    assert error_of(response)["message"].startswith("The translation's markup is invalid:")
    assert stored(world, "en") is None


def test_a_segment_without_a_value_is_refused(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")
    url = reverse(
        "wagtail_localize:edit_string_translation",
        args=(world.translations["marked", "en"], marked_segment(world).pk),
    )

    response = client.put(url, encode_multipart(BOUNDARY, {}), content_type=MULTIPART_CONTENT)

    assert response.status_code == 400
    assert error_of(response)["message"] == "The field “value” is missing."


def test_another_languages_translator_is_refused_before_the_markup_is_read(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-es")

    response = put_segment(client, world, "en", "no markup at all")

    assert response.status_code == 403
    assert stored(world, "en") is None


def test_another_languages_translator_cannot_clear_a_segment(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")
    put_segment(client, world, "en", 'A <b>word</b> and a <a id="a1">link</a>.')
    signed_in(client, django_user_model, "translator-es")
    url = reverse(
        "wagtail_localize:edit_string_translation",
        args=(world.translations["marked", "en"], marked_segment(world).pk),
    )

    response = client.delete(url)

    assert response.status_code == 403
    assert stored(world, "en") is not None


# Every other endpoint, by role.


def override_url(world, code):
    segment = OverridableSegment.objects.get(source=translation(world, code).source)
    return reverse("wagtail_localize:edit_override", args=(world.translations["marked", code], segment.pk))


def test_an_override_of_another_language_is_refused(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-es")

    response = client.put(
        override_url(world, "en"),
        encode_multipart(BOUNDARY, {"value": "https://example.org/en/"}),
        content_type=MULTIPART_CONTENT,
    )

    assert response.status_code == 403
    assert not SegmentOverride.objects.exists()


def test_an_override_of_ones_language_is_saved(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")

    response = client.put(
        override_url(world, "en"),
        encode_multipart(BOUNDARY, {"value": "https://example.org/en/"}),
        content_type=MULTIPART_CONTENT,
    )

    assert response.status_code == 201
    assert SegmentOverride.objects.filter(locale__language_code="en").count() == 1


@pytest.mark.parametrize("name", ["download_pofile", "preview_translation"])
def test_reading_another_languages_translation_is_refused(name, world, client, django_user_model):
    signed_in(client, django_user_model, "translator-es")

    response = client.get(reverse(f"wagtail_localize:{name}", args=(world.translations["marked", "en"],)))

    assert is_refused_by_the_admin(response)


def test_a_po_file_for_another_language_is_refused(world, client, django_user_model):
    signed_in(client, django_user_model, "translator-en")
    po = client.get(reverse("wagtail_localize:download_pofile", args=(world.translations["marked", "en"],)))
    assert po.status_code == 200
    content = b"".join(po.streaming_content)
    signed_in(client, django_user_model, "translator-es")

    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=(world.translations["marked", "en"],)),
        {"file": ("item.po", content)},
    )

    assert is_refused_by_the_admin(response)


@pytest.mark.parametrize("role", ["translator-es", "translator-en"])
def test_machine_translation_is_refused_to_whoever_may_not_edit_the_language(
    role, world, client, django_user_model, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    signed_in(client, django_user_model, role)

    response = client.post(
        reverse("wagtail_localize:machine_translate", args=(world.translations["marked", "en"],))
    )

    translated = StringTranslation.objects.filter(
        locale__language_code="en", tool_name="Dummy translator"
    ).exists()
    if role == "translator-en":
        assert response.status_code == 302
        assert translated
    else:
        assert is_refused_by_the_admin(response)
        assert not translated


@pytest.mark.parametrize("role", ["translator-en", "reviewer-en"])
def test_sync_translated_pages_is_for_editors(role, world, client, django_user_model):
    signed_in(client, django_user_model, role)
    url = reverse("wagtail_localize:update_translations", args=(translation(world, "en").source_id,))

    form = client.get(url)
    response = client.post(url, {"publish_translations": "on"})

    assert is_refused_by_the_admin(form)
    assert is_refused_by_the_admin(response)
    assert not ChapterPage.objects.get(pk=world.chapters["marked", "en"]).live


def test_an_editor_syncs_translated_pages(world, client, django_user_model):
    signed_in(client, django_user_model, "editor")
    url = reverse("wagtail_localize:update_translations", args=(translation(world, "en").source_id,))

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {})

    assert response.status_code == 302


@pytest.mark.parametrize("role", ["translator-en", "reviewer-en"])
def test_translate_this_page_is_for_editors(role, world, client, django_user_model):
    signed_in(client, django_user_model, role)
    Translation.objects.filter(pk=world.translations["marked", "es"]).delete()
    Page.objects.filter(pk=world.chapters["marked", "es"]).delete()
    spanish = Locale.objects.get(language_code="es")

    page = client.post(
        reverse("wagtail_localize:submit_page_translation", args=(world.chapters["marked", "fr"],)),
        {"locales": [spanish.pk]},
    )
    snippet = client.post(
        reverse("wagtail_localize:submit_snippet_translation", args=("book", "city", world.cities["fr"])),
        {"locales": [spanish.pk]},
    )

    assert is_refused_by_the_admin(page)
    assert is_refused_by_the_admin(snippet)
    assert (
        not ChapterPage.objects.filter(pk=world.chapters["marked", "fr"])
        .get()
        .get_translations()
        .filter(locale=spanish)
        .exists()
    )


@pytest.mark.parametrize("role", ["translator-en", "reviewer-en"])
def test_converting_to_an_alias_is_for_publishers(role, world, client, django_user_model):
    signed_in(client, django_user_model, role)
    url = reverse("wagtail_localize:convert_to_alias", args=(world.chapters["marked", "en"],))

    response = client.post(url)

    page = Page.objects.get(pk=world.chapters["marked", "en"])
    if role == "reviewer-en":
        assert response.status_code in (200, 302)
    else:
        assert is_refused_by_the_admin(response)
        assert page.alias_of_id is None


def stopped(world, code="en"):
    Translation.objects.filter(pk=world.translations["marked", code]).update(enabled=False)


@pytest.mark.parametrize("role", ["translator-en", "reviewer-en"])
def test_restarting_a_stopped_sync_is_for_editors(role, world, client, django_user_model):
    stopped(world)
    signed_in(client, django_user_model, role)
    url = reverse("wagtailadmin_pages:edit", args=(world.chapters["marked", "en"],))

    form = client.get(url)
    response = client.post(url, {"localize-restart-translation": "1"})

    assert form.status_code == 200
    assert 'name="localize-restart-translation"' not in form.content.decode()
    assert is_refused_by_the_admin(response)
    assert not translation(world, "en").enabled


def test_an_editor_restarts_a_stopped_sync(world, client, django_user_model):
    stopped(world)
    signed_in(client, django_user_model, "editor")
    url = reverse("wagtailadmin_pages:edit", args=(world.chapters["marked", "en"],))

    form = client.get(url)
    response = client.post(url, {"localize-restart-translation": "1"})

    assert 'name="localize-restart-translation"' in form.content.decode()
    assert response.status_code == 302
    assert translation(world, "en").enabled


def test_restarting_a_citys_stopped_sync_is_for_editors(world, client, django_user_model):
    Translation.objects.filter(pk=world.translations["city", "en"]).update(enabled=False)
    signed_in(client, django_user_model, "reviewer-en")
    url = reverse("wagtailsnippets_book_city:edit", args=(world.cities["en"],))

    form = client.get(url)
    response = client.post(url, {"localize-restart-translation": "1"})

    assert form.status_code == 200
    assert 'name="localize-restart-translation"' not in form.content.decode()
    assert is_refused_by_the_admin(response)
    assert not Translation.objects.get(pk=world.translations["city", "en"]).enabled
