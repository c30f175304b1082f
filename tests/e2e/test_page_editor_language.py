"""Wagtail's ordinary page editor types each page's text in the page's language and direction."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.blocks import StreamValue
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms.roles import EDITORS
from tests.e2e.conftest import log_in
from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def chapters():
    """A French chapter with a paragraph, and its Arabic copy edited outside the translation workflow."""
    call_command("setup_roles", stdout=StringIO())
    part = PartPageFactory(parent=BookPageFactory())
    chapter = ChapterPageFactory(parent=part, title="L'IA et le cinéma", slug="l-ia-et-le-cinema")
    chapter.body = StreamValue(
        chapter.body.stream_block, [("paragraph", RichText("<p>Le film « Her » parle d'une IA.</p>"))]
    )
    chapter.save_revision().publish()
    # A copy that no synced translation writes into: the page an editor gets after
    # "stop synced translation", edited in Wagtail's page editor like a new page.
    arabic_locale, _created = Locale.objects.get_or_create(language_code="ar")
    arabic = chapter.copy_for_translation(arabic_locale, copy_parents=True)
    return chapter, arabic


def open_editor(page, target):
    page.goto(f"/admin/pages/{target.pk}/edit/")
    return page.locator("#id_title"), page.locator("[data-contentpath='body'] [contenteditable='true']").first


def test_page_editor_types_each_page_in_its_language_and_direction(page, make_user, chapters):
    french, arabic = chapters
    log_in(page, make_user("editor", EDITORS))

    title, rich_text = open_editor(page, arabic)
    for field in (title, rich_text):
        expect(field).to_have_attribute("lang", "ar")
        expect(field).to_have_attribute("dir", "rtl")
        assert field.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # A slug is an address, not Arabic text.
    expect(page.locator("#id_slug")).not_to_have_attribute("dir", "rtl")

    title, rich_text = open_editor(page, french)
    for field in (title, rich_text):
        expect(field).to_have_attribute("lang", "fr")
        expect(field).to_have_attribute("dir", "ltr")
        assert field.evaluate("e => getComputedStyle(e).direction") == "ltr"
