"""An editor adds a chapter to the demo book through Wagtail's own editor, in a real browser."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from book.models import BookPage, ChapterPage, ContributorPage, PartPage
from cms.roles import EDITORS
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

CHAPTER_TITLE = "Écrire à quatre mains avec une machine"
PARAGRAPH = "Le compositeur raconte comment un logiciel est devenu un partenaire de studio."
CONTRIBUTOR = "Jean-Michel Jarre"


def explore(page, title):
    """Open a page's children from its row in the explorer listing."""
    page.get_by_role("link", name=f"Explore child pages of '{title}'").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def test_editor_adds_a_chapter_with_a_paragraph_and_a_contributor_then_publishes_it(page, make_user):
    call_command("load_demo_book", stdout=StringIO())
    editor = make_user("editrice", EDITORS)
    book = BookPage.objects.get(locale__language_code="fr")
    part = PartPage.objects.child_of(book).live().order_by("path").first()
    log_in(page, editor)

    page.goto("/admin/pages/")
    explore(page, book.title)
    explore(page, part.title)
    page.get_by_role("link", name="Add child page").click()
    page.wait_for_url(re.compile(r"/admin/pages/add/book/chapterpage/\d+/$"))

    page.locator("#id_title").fill(CHAPTER_TITLE)

    page.get_by_role("button", name="Add Contributor").click()
    page.get_by_role("button", name="Choose a page (Contributor)").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("textbox", name="Search term").fill("Jarre")
    chooser.get_by_role("link", name=CONTRIBUTOR).click()
    expect(chooser).to_be_hidden()
    expect(page.locator("#id_contributor_links-0-contributor-title")).to_have_text(CONTRIBUTOR)

    body = page.locator("#panel-child-content-body-section")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor_box = body.get_by_role("textbox").first
    editor_box.click()
    page.keyboard.type(PARAGRAPH)
    expect(editor_box).to_contain_text(PARAGRAPH)
    # Draftail writes its content into the form's hidden input a moment after the last
    # keystroke; saving before that would send an empty paragraph.
    page.wait_for_function(
        """text => [...document.querySelectorAll('#panel-child-content-body-section input[type=hidden]')]
            .some(input => input.value.includes(text))""",
        arg=PARAGRAPH,
    )

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages .success")).to_contain_text(CHAPTER_TITLE)
    chapter = ChapterPage.objects.get(title=CHAPTER_TITLE)
    assert not chapter.live
    assert chapter.has_unpublished_changes

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success")).to_contain_text(f"'{CHAPTER_TITLE}' has been published")

    chapter.refresh_from_db()
    assert chapter.live
    assert chapter.get_parent().pk == part.pk
    assert chapter.locale.language_code == "fr"
    paragraphs = [block.value.source for block in chapter.body if block.block_type == "paragraph"]
    assert any(PARAGRAPH in source for source in paragraphs), paragraphs
    contributors = [link.contributor for link in chapter.contributor_links.all()]
    assert contributors == [ContributorPage.objects.get(title=CONTRIBUTOR, locale=chapter.locale)]
