"""Wagtail's admin keeps working under the Content-Security-Policy: nothing it does is refused."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from book.models import BookPage, ChapterPage
from cms.roles import EDITORS
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

NEW_TITLE = "Pratiques créatives, revues sous une politique de sécurité"
SUMMARY = "Un résumé revu pendant que la politique de sécurité du contenu est active."

# Recorded in every document of the tab, frames included, before any of its own scripts runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
    (window.top.__cspViolations || window.__cspViolations).push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


def watch(page):
    """The CSP violations of the tab, as the console and the documents report them."""
    seen = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def reported(page, seen):
    return seen + page.evaluate("window.__cspViolations || []")


def test_an_editor_edits_previews_and_saves_a_chapter_without_any_policy_violation(page, make_user):
    call_command("load_demo_book", stdout=StringIO())
    editor = make_user("editrice", EDITORS)
    book = BookPage.objects.get(locale__language_code="fr")
    chapter = ChapterPage.objects.descendant_of(book).live().order_by("path").first()
    seen = watch(page)

    log_in(page, editor)
    response = page.goto(f"/admin/pages/{chapter.pk}/edit/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy

    page.locator("#id_title").fill(NEW_TITLE)
    page.locator("#id_summary").fill(SUMMARY)
    # The body's rich-text editors (Draftail) and the contributors' choosers are loaded on
    # this page: their scripts run under the policy whether or not the test types in them.
    expect(page.locator("#panel-child-content-body-section [role=textbox]").first).to_be_visible()

    # The preview panel frames the reading page, under its own, script-free policy.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(NEW_TITLE)

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{chapter.pk}/edit/$"))
    expect(page.locator(".messages .success")).to_contain_text(NEW_TITLE)
    draft = ChapterPage.objects.get(pk=chapter.pk).get_latest_revision_as_object()
    assert (draft.title, draft.summary) == (NEW_TITLE, SUMMARY)

    draft_view = page.goto(f"/admin/pages/{chapter.pk}/view_draft/")
    assert "default-src 'none'" in draft_view.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text(NEW_TITLE)
    # The reading page's style sheet is its own file, allowed by 'self'.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Georgia")

    violations = reported(page, seen)
    assert violations == [], "\n".join(violations)
