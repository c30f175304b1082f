"""The translation editor as an Arabic translator meets it: what she may do at hand, each text in its direction."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from playwright.sync_api import expect
from wagtail.blocks import StreamValue
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import BookPage, PartPage
from cms.roles import EDITORS, TRANSLATORS, group_name
from tests.e2e.conftest import log_in
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.browser

SOURCE_TITLE = "L'IA et le cinéma"
SOURCE_PARAGRAPH = "Le film « Her » (2013) parle d'une IA, dit-elle."
TARGET_TITLE = "الذكاء الاصطناعي و cinéma"
# Where this screenshot of the result goes, for whoever wants to look at it.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS_DIR")


def screenshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


@pytest.fixture
def arabic_chapter():
    """A French chapter whose Arabic translation is started, its title translated, its paragraph not."""
    call_command("load_demo_book", stdout=StringIO())
    book = BookPage.objects.get(locale__language_code="fr")
    part = PartPage.objects.child_of(book).live().order_by("path").first()
    chapter = ChapterPageFactory(parent=part, title=SOURCE_TITLE, slug="l-ia-et-le-cinema")
    chapter.body = StreamValue(
        chapter.body.stream_block, [("paragraph", RichText(f"<p>{SOURCE_PARAGRAPH}</p>"))]
    )
    chapter.save_revision().publish()
    arabic = Locale.objects.get(language_code="ar")
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(None, [arabic]).create_translations(chapter, include_related_objects=False)
    source = TranslationSource.objects.get(object_id=chapter.translation_key, locale=chapter.locale)
    title = StringSegment.objects.get(source=source, string__data=SOURCE_TITLE)
    StringTranslation.objects.create(
        translation_of=title.string, locale=arabic, context=title.context, data=TARGET_TITLE
    )
    translation = Translation.objects.get(source=source, target_locale=arabic)
    translation.save_target(publish=False)
    return translation.get_target_instance()


def test_arabic_translator_writes_right_to_left_and_has_only_her_actions_at_hand(
    page, make_user, arabic_chapter
):
    translator = make_user("translator-ar", group_name(TRANSLATORS, "ar"))
    log_in(page, translator)

    page.goto("/admin/localization/ar/")
    row = page.get_by_role("row").filter(has_text=SOURCE_TITLE)
    arabic_title = row.get_by_text(TARGET_TITLE, exact=True)
    expect(arabic_title).to_have_attribute("dir", "rtl")
    expect(arabic_title).to_have_attribute("lang", "ar")
    assert arabic_title.evaluate("e => getComputedStyle(e).direction") == "rtl"
    source_title = row.get_by_text(SOURCE_TITLE, exact=True)
    assert source_title.evaluate("e => e.closest('[lang]').lang") == "fr"
    assert source_title.evaluate("e => getComputedStyle(e).direction") == "ltr"
    screenshot(page, "queue-ar")

    page.goto(f"/admin/pages/{arabic_chapter.pk}/edit/")
    submit = page.get_by_role("button", name="Submit for review")
    expect(submit).to_be_in_viewport()

    translated = page.locator("li.complete").filter(has_text=TARGET_TITLE)
    expect(translated.get_by_text(SOURCE_TITLE, exact=True)).to_have_attribute("lang", "fr")
    expect(translated.get_by_text(SOURCE_TITLE, exact=True)).to_have_attribute("dir", "ltr")
    saved = translated.get_by_text(TARGET_TITLE, exact=True)
    assert saved.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert saved.evaluate("e => e.closest('[lang]').lang") == "ar"

    untranslated = page.locator("li.incomplete").filter(has_text=SOURCE_PARAGRAPH)
    untranslated.get_by_role("button", name="Translate", exact=True).click()
    field = untranslated.get_by_role("textbox")
    expect(field).to_have_attribute("dir", "rtl")
    expect(field).to_have_attribute("lang", "ar")
    expect(untranslated.get_by_text(SOURCE_PARAGRAPH, exact=True)).to_have_attribute("dir", "ltr")
    field.fill("فيلم « Her » (2013) يتحدث عن ذكاء اصطناعي، تقول.")
    screenshot(page, "editor-ar")

    footer = page.locator("footer")
    for refused in ("Stop Synced translation", "Convert to alias page", "Delete", re.compile("^Publish")):
        expect(footer.get_by_role("button", name=refused)).to_have_count(0)
        expect(footer.get_by_role("link", name=refused)).to_have_count(0)
    visible = footer.locator("button:visible, a:visible").filter(has_text="Stop")
    expect(visible).to_have_count(0)


def test_editor_stops_a_synced_translation_only_after_confirming(page, make_user, arabic_chapter):
    editor = make_user("editor", EDITORS)
    log_in(page, editor)
    page.goto(f"/admin/pages/{arabic_chapter.pk}/edit/")

    # Two of the footer's menus are named "More actions": the page actions' comes first.
    page.locator("footer").get_by_role("button", name="More actions").first.click()
    page.locator("footer").get_by_role("button", name="Stop Synced translation").click()

    expect(page.get_by_text("Stop the synced translation of")).to_be_visible()
    screenshot(page, "stop-confirm")
    translation = Translation.objects.get(
        target_locale__language_code="ar", source__object_id=arabic_chapter.translation_key
    )
    assert translation.enabled, "the click alone stops nothing"
    page.get_by_role("link", name="No, keep it synced").click()
    page.wait_for_url(f"**/admin/pages/{arabic_chapter.pk}/edit/")
    expect(page.locator(".js-translation-editor")).to_have_count(1)
    translation.refresh_from_db()
    assert translation.enabled
