"""The queue's due-date picker opens in the admin's language, and a synced segment brings its previous translation."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import formats, translation
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from cms.roles import EDITORS
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_book():
    call_command("load_demo_book", stdout=StringIO())


def errors_of(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize(
    ("language", "written"), [("en", r"^\d{4}-\d{2}-\d{2}$"), ("fr", r"^\d{2}/\d{2}/\d{4}$")]
)
def test_due_date_picker_opens_in_the_admin_language_without_script_error(
    page, make_user, demo_book, screenshot_dir, language, written
):
    editor = make_user(f"editrice-{language}", EDITORS)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    errors = errors_of(page)
    log_in(page, editor)

    page.goto("/admin/localization/en/")
    page.locator("#id_assign_due_date").click()

    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_be_visible()
    with translation.override(language):
        month = formats.date_format(date.today(), "F")
    expect(picker.locator(".xdsoft_label.xdsoft_month")).to_contain_text(re.compile(month, re.I))
    page.screenshot(path=str(screenshot_dir / f"queue-due-date-picker-{language}.png"), full_page=False)
    picker.locator(".xdsoft_date:not(.xdsoft_other_month)").nth(19).click()
    value = page.locator("#id_assign_due_date").input_value()
    assert re.match(written, value), value
    assert errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_synced_segment_shows_the_previous_translation_and_the_source_before(
    page, make_user, demo_book, screenshot_dir, language
):
    editor = make_user(f"editeur-{language}", EDITORS)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    errors = errors_of(page)
    log_in(page, editor)

    page.goto("/admin/localization/en/")
    row = page.locator("tr.localization-queue__row--source_changed").first
    row.locator("button[name=row_action]").click()
    expect(page.locator(".messages .success")).to_be_visible()
    page.locator("tr.localization-queue__row", has_text="Composer, partager, transmettre").locator(
        "a.button"
    ).first.click()

    reopened = page.locator(".js-translation-editor li.errored")
    expect(reopened).to_have_count(1)
    said = {"en": "It said:", "fr": "Elle disait :"}[language]
    expect(reopened).to_contain_text(said)
    expect(reopened).to_contain_text("[en] Résumé d’exemple du chapitre")
    reopened.scroll_into_view_if_needed()
    reopened.screenshot(path=str(screenshot_dir / f"reopened-segment-{language}.png"))
    reopened.get_by_role("button", name={"en": "Edit", "fr": "Modifier"}[language]).click()
    # Prefilled with the previous translation (its French quotes keep their no-break spaces).
    prefilled = " ".join(reopened.locator("textarea").input_value().split())
    assert prefilled == (
        "[en] Résumé d’exemple du chapitre « Composer, partager, transmettre ». "
        "Ce résumé de démonstration tient la place du résumé publié."
    )
    assert errors == []


def test_the_queue_breaks_no_title_inside_a_word(page, make_user, demo_book, screenshot_dir):
    """With the French labels, the figures and the filters, at a laptop's width: each title is
    written whole words to a line (Wagtail's listings let a title break anywhere)."""
    editor = make_user("editrice-titres", EDITORS)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    page.set_viewport_size({"width": 1300, "height": 900})
    log_in(page, editor)

    page.goto("/admin/localization/en/")
    titles = page.locator(".localization-queue td.title .title-wrapper")
    expect(titles.first).to_be_visible()
    # A word drawn on two lines has two boxes; a compound may break at its hyphens.
    broken = titles.evaluate_all(
        """wrappers => wrappers.flatMap(wrapper => {
            const found = [];
            const walker = document.createTreeWalker(wrapper, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const match of node.data.matchAll(/[^\\s\\-\\u2010]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, match.index);
                    range.setEnd(node, match.index + match[0].length);
                    if (range.getClientRects().length > 1) found.push(match[0]);
                }
            }
            return found;
        })"""
    )
    page.screenshot(path=str(screenshot_dir / "queue-titles-fr.png"), full_page=False)
    assert broken == []
