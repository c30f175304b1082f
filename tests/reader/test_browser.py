"""In Chromium: the reader has no WCAG 2.1 A/AA violation that axe-core finds, and works from the keyboard."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ("fr", "en", "ar")


@pytest.fixture
def tab(browser, reader):
    context = browser.new_context(base_url=reader.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def violations(page):
    """axe-core's WCAG 2.1 A and AA violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", WCAG_TAGS
    )
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}: {violation['nodes'][0]['target']})"
        for violation in found
    ]


def a_chapter_with_notes_and_an_image(page):
    """The address of a chapter of the table of contents whose body has notes and an image."""
    page.goto("/fr/")
    for href in page.locator(".toc a").evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        page.goto(href)
        if page.locator(".notes").count() and page.locator("figure.image img").count():
            return href.removeprefix("/fr/")
    raise AssertionError("no chapter of the demo has notes and an image")


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run make install-dev (needs npm)")
def test_home_chapter_contributor_and_search_have_no_wcag_violation_in_french_english_and_arabic(tab):
    chapter = a_chapter_with_notes_and_an_image(tab)
    contributor = tab.locator(".byline a").first.get_attribute("href").removeprefix("/fr/")
    pages = ["", chapter, contributor, "search/?q=public"]

    found = {}
    for language in LANGUAGES:
        for path in pages:
            response = tab.goto(f"/{language}/{path}")
            assert response.status == 200, (language, path)
            found[f"/{language}/{path}"] = violations(tab)
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_the_skip_link_and_the_keyboard_reach_the_content_and_the_notes(tab):
    chapter = a_chapter_with_notes_and_an_image(tab)
    tab.goto(f"/ar/{chapter}")
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")

    tab.keyboard.press("Tab")
    skip = tab.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"#content$"))
    expect(tab.locator("main")).to_be_focused()

    # From the content, the keyboard goes on into the chapter: its first link is the part it belongs to.
    tab.keyboard.press("Tab")
    expect(tab.locator(".part a")).to_be_focused()

    # A note's call leads to the note, and the note's back link to the call.
    call = tab.locator(".text sup a").first
    call.focus()
    tab.keyboard.press("Enter")
    note_id = call.get_attribute("href").removeprefix("#")
    expect(tab).to_have_url(re.compile(f"#{note_id}$"))
    back = tab.locator(f"li#{note_id} a.back")
    back.focus()
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(f"#{call.get_attribute('id')}$"))


def test_the_search_form_works_from_the_keyboard(tab):
    tab.goto("/fr/")
    tab.locator("#search-q").focus()
    tab.keyboard.type("public")
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"/fr/search/\?q=public$"))
    expect(tab.locator(".results li").first).to_be_visible()
    tab.locator(".results a").first.focus()
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"/fr/(chapters|contributors|themes)/"))
    expect(tab.locator("h1")).to_be_visible()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run make install-dev (needs npm)")
def test_a_chapters_translation_credits_have_no_wcag_violation_in_french_and_arabic(tab, cms, relay):
    from tests.reader.test_provenance import REVIEWED_AT, demo_chapter

    seville = demo_chapter(cms, "ecoute-partagee")

    def credited(path, document):
        if path == f"/api/v1/chapters/{seville['key']}/":
            translation = {
                **document["translation"],
                "translators": ["Layla Haddad", "Omar Aziz"],
                "reviewed_by": "Nour Salem",
                "reviewed_at": REVIEWED_AT,
                "machine_assisted": True,
                "outdated": True,
            }
            return {**document, "translation": translation}
        return None

    relay.rewrite = credited
    found = {}
    for language in ("fr", "ar"):
        tab.goto(f"/{language}/chapters/{seville['key']}/")
        credits = tab.get_by_role(
            "region", name="À propos de ce texte" if language == "fr" else "عن هذا النص"
        )
        expect(credits).to_be_visible()
        expect(credits.get_by_role("note")).to_have_count(2)
        found[language] = violations(tab)
    assert found == {"fr": [], "ar": []}
