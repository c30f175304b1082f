"""A chapter goes from French to published English through the queue, the translation editor and review."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from book.models import BookPage, ChapterPage, PartPage
from cms.roles import REVIEWERS, TRANSLATORS, group_name
from tests.e2e.conftest import log_in, log_out
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.browser

SOURCE_TITLE = "La mémoire des machines"
SOURCE_PARAGRAPH = "Une machine se souvient de tout et ne comprend rien."
TARGET_TITLE = "The memory of machines"
TARGET_PARAGRAPH = "A machine remembers everything and understands nothing."
# Every segment of the chapter, by the editor tab that shows it: the slug is on "Promote".
SEGMENTS = [
    ("Content", SOURCE_TITLE, TARGET_TITLE),
    ("Content", SOURCE_PARAGRAPH, TARGET_PARAGRAPH),
    ("Promote", "la-memoire-des-machines", "the-memory-of-machines"),
]


@pytest.fixture
def source_chapter():
    """A short published French chapter, so that its every segment is typed in the browser."""
    call_command("load_demo_book", stdout=StringIO())
    book = BookPage.objects.get(locale__language_code="fr")
    part = PartPage.objects.child_of(book).live().order_by("path").first()
    chapter = ChapterPageFactory(parent=part, title=SOURCE_TITLE, slug="la-memoire-des-machines")
    chapter.body = StreamValue(
        chapter.body.stream_block, [("paragraph", RichText(f"<p>{SOURCE_PARAGRAPH}</p>"))]
    )
    chapter.save_revision().publish()
    return chapter


def test_translator_translates_a_chapter_submits_it_and_the_reviewer_publishes_it(
    page, make_user, source_chapter
):
    translator = make_user("translator-en", group_name(TRANSLATORS, "en"))
    reviewer = make_user("reviewer-en", group_name(REVIEWERS, "en"))

    log_in(page, translator)
    page.goto("/admin/localization/en/")
    row = page.get_by_role("row").filter(has_text=SOURCE_TITLE)
    row.get_by_role("button", name="Start translation").click()
    expect(page.locator(".messages .success")).to_be_visible()
    row.get_by_role("link", name="Open the translation editor").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))

    for tab, source, target in SEGMENTS:
        page.get_by_role("tab", name=tab).click()
        panel = page.get_by_role("tabpanel").filter(has=page.get_by_text(source, exact=True))
        untranslated = panel.locator("li.incomplete").filter(has_text=source)
        untranslated.get_by_role("button", name="Translate", exact=True).click()
        untranslated.get_by_role("textbox").fill(target)
        with page.expect_response(re.compile(r"/admin/localize/translate/\d+/strings/\d+/edit/$")) as saved:
            untranslated.get_by_role("button", name="Save", exact=True).click()
        assert saved.value.ok, f"saving the translation of {source!r} answered {saved.value.status}"
        expect(untranslated).to_have_count(0)
        expect(panel.get_by_text(target, exact=True)).to_be_visible()

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages .success")).to_contain_text("submitted for review")
    translated = ChapterPage.objects.get(
        locale__language_code="en", translation_key=source_chapter.translation_key
    )
    assert translated.current_workflow_state.status == "in_progress"
    assert not translated.live, "a translation is public only once a reviewer approves it"
    log_out(page)

    log_in(page, reviewer)
    review = page.get_by_role("region", name="Awaiting your review")
    row = review.get_by_role("row").filter(has_text=TARGET_TITLE)
    row.get_by_role("button", name=re.compile("actions", re.I)).click()
    row.get_by_role("button", name="Approve", exact=True).click()
    # Approving reloads the dashboard, where this chapter no longer awaits the reviewer
    # (the demo's own English item awaiting review stays there).
    expect(
        page.get_by_role("region", name="Awaiting your review")
        .get_by_role("row")
        .filter(has_text=TARGET_TITLE)
    ).to_have_count(0)

    translated.refresh_from_db()
    assert translated.live
    assert translated.title == TARGET_TITLE
    assert not translated.has_unpublished_changes
    paragraphs = [block.value.source for block in translated.body if block.block_type == "paragraph"]
    assert any(TARGET_PARAGRAPH in source for source in paragraphs), paragraphs
