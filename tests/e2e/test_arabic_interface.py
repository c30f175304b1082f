"""An Arabic-speaking translator reads the admin in one language: Arabic, right to left.

The demo's English translator switches her account to Arabic. Wagtail and
wagtail-localize bring their own Arabic; the project's screens (the dashboard
panels, the translation queue, the grid, the translation editor's additions)
come from its Arabic catalog. No visible text of these screens may be one of the
catalog's English msgids.
"""

import re
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from book.models import ChapterPage
from cms.i18n import PYTHON_FORMAT_RE, catalog_path
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

UNDER_REVIEW = "Nouveaux écrans, nouveaux formats"

# Every text node of the page, whitespace collapsed; inputs' placeholders, buttons' and
# links' accessible names given by aria-label or title count as visible text too.
VISIBLE_TEXTS = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, template, [hidden], [aria-hidden=true]")) continue;
        const style = getComputedStyle(parent);
        if (style.display === "none" || style.visibility === "hidden") continue;
        texts.push(node.textContent);
    }
    for (const element of document.body.querySelectorAll("[placeholder], [aria-label], [title]")) {
        for (const name of ["placeholder", "aria-label", "title"]) {
            if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
        }
    }
    return texts.map((text) => text.replace(/\\s+/g, " ").trim()).filter((text) => text);
}"""


def english_msgids():
    """The catalog's English strings as patterns of a whole visible text, placeholders as wildcards.

    Strings that are mostly placeholders (``%(label)s: %(count)s``) or that Arabic keeps
    as they are (``SHA-256``) would match anything or nothing wrong, and are left out.
    """
    catalog = polib.pofile(str(catalog_path(settings.LOCALE_PATHS[0], "ar")))
    patterns = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            words = re.sub(r"<[^>]+>", " ", PYTHON_FORMAT_RE.sub(" ", msgid))
            if len(re.findall(r"[A-Za-z]{2,}", words)) == 0 or msgid in (
                entry.msgstr,
                *entry.msgstr_plural.values(),
            ):
                continue
            pieces = [re.escape(piece) for piece in PYTHON_FORMAT_RE.split(msgid)[::3]]
            patterns[msgid] = re.compile(".+?".join(pieces), re.DOTALL)
    return patterns


def english_left(page, patterns):
    texts = page.evaluate(VISIBLE_TEXTS)
    return sorted({text for text in texts for msgid, pattern in patterns.items() if pattern.fullmatch(text)})


@pytest.fixture
def arabic_translator():
    """The demo's English translator, who works from French into English and reads the admin in Arabic."""
    call_command("load_demo_book", stdout=StringIO())
    user = get_user_model().objects.get(username="traductrice-en")
    user.set_password(PASSWORD)
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    return user


def test_english_msgids_match_whole_texts_with_their_placeholders_filled():
    patterns = english_msgids()

    assert patterns["Translation queue"].fullmatch("Translation queue")
    assert patterns["Due %(date)s"].fullmatch("Due 12/20/2026")
    assert not patterns["Due %(date)s"].fullmatch("يُستحق في 2026/12/20")
    assert "%(label)s: %(count)s" not in patterns


def test_an_arabic_speaking_translator_reads_the_dashboard_and_the_queue_in_arabic(
    page, arabic_translator, screenshot_dir
):
    patterns = english_msgids()
    log_in(page, arabic_translator)

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="عمل الترجمة")).to_be_visible()
    expect(page.get_by_role("heading", name="المُسندة إليّ")).to_be_visible()
    expect(page.get_by_text("بانتظار موافقة مراجعي اللغة (en)")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "ar-dashboard.png"), full_page=True)
    assert english_left(page, patterns) == []

    page.goto("/admin/localization/en/")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="قائمة الترجمة: الإنجليزية")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Le livre et ses lecteurs numériques")
    expect(row.get_by_role("button", name="بدء الترجمة")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "ar-queue.png"), full_page=True)
    assert english_left(page, patterns) == []

    page.goto("/admin/localization/")
    expect(page.get_by_role("heading", name="العناصر حسب اللغة")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "ar-grid.png"), full_page=True)
    assert english_left(page, patterns) == []

    chapter = ChapterPage.objects.get(locale__language_code="en", title=f"[en] {UNDER_REVIEW}")
    page.goto(f"/admin/pages/{chapter.pk}/edit/")
    expect(page.get_by_text("ترجمة من الفرنسية إلى الإنجليزية", exact=True).first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "ar-editor.png"), full_page=True)
    assert english_left(page, patterns) == []
