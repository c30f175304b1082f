"""The translators' screens pass axe-core's WCAG 2.1 A/AA checks, in English and in French."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from playwright.sync_api import expect
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import BookPage, PartPage
from cms.roles import TRANSLATORS, group_name
from tests.e2e.conftest import axe_violations, log_in
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.browser

SOURCE_TITLE = "Écrire avec la machine"


@pytest.fixture
def english_chapter():
    """A French chapter of the demo book whose English translation is started, its title translated."""
    call_command("load_demo_book", stdout=StringIO())
    book = BookPage.objects.get(locale__language_code="fr")
    part = PartPage.objects.child_of(book).live().order_by("path").first()
    chapter = ChapterPageFactory(parent=part, title=SOURCE_TITLE, slug="ecrire-avec-la-machine")
    chapter.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(None, [english]).create_translations(chapter, include_related_objects=False)
    source = TranslationSource.objects.get(object_id=chapter.translation_key, locale=chapter.locale)
    title = StringSegment.objects.get(source=source, string__data=SOURCE_TITLE)
    StringTranslation.objects.create(
        translation_of=title.string, locale=english, context=title.context, data="Writing with the machine"
    )
    translation = Translation.objects.get(source=source, target_locale=english)
    translation.save_target(publish=False)
    return translation.get_target_instance()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_queue_grid_and_translation_editor_have_no_axe_violations(
    page, make_user, english_chapter, axe, language
):
    translator = make_user("translator-en", group_name(TRANSLATORS, "en"))
    profile = UserProfile.get_for_user(translator)
    profile.preferred_language = language
    profile.save()
    log_in(page, translator)

    page.goto("/admin/localization/en/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("tr.localization-queue__row").first).to_be_visible()
    axe(page)

    page.goto("/admin/localization/")
    expect(page.locator(".localization-grid__link").first).to_be_visible()
    axe(page)

    page.goto(f"/admin/pages/{english_chapter.pk}/edit/")
    segments = page.locator(".js-translation-editor li.complete, .js-translation-editor li.incomplete")
    expect(segments.first).to_be_visible()
    axe(page)
    # A segment opened for typing: its field is named after the segment's field.
    page.locator(".js-translation-editor li.complete").first.locator("button").last.click()
    field = page.locator(".js-translation-editor textarea").first
    expect(field).to_be_visible()
    expect(field).to_have_attribute("aria-label", re.compile(r"^(Title|Titre), "))
    axe(page)


def test_the_axe_helper_reports_what_it_finds(page):
    """The shared check is not blind: a page with an unlabelled field and pale text fails it."""
    page.set_content(
        '<html lang="en"><head><title>Check</title></head><body><main>'
        '<p style="color:#00b0b1;background:#fff">Pale text</p><input type="file">'
        "</main></body></html>"
    )

    found = {violation["id"] for violation in axe_violations(page)}

    assert {"color-contrast", "label"} <= found
