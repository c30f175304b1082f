"""A translator reads the admin in her own language, and so does a reviewer in his.

The demo translator has a first name and no last name: she switches the
admin to English from her account page, then finds English on the dashboard,
in her language's queue and in the translation editor (names of workflows and
tasks, the editor's heading, its dates). A French-speaking reviewer finds the
same screens in French.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.templatetags import i18n as i18n_tags
from django.utils import translation as django_translation
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from book.models import ChapterPage
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

# What the demo put under review, and the French the English interface used to show.
UNDER_REVIEW = "Nouveaux écrans, nouveaux formats"
FRENCH_TASK = "Validation par les relecteurs de la langue (en)"
ENGLISH_TASK = "Approval by the reviewers of the language (en)"
FRENCH_MONTHS = re.compile(
    r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b"
)
ENGLISH_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@pytest.fixture
def demo():
    """The demo book with its English translations in every state, and its two demo users."""
    call_command("load_demo_book", stdout=StringIO())
    users = {}
    for username, language in (("traductrice-en", "fr"), ("relecteur-en", "fr")):
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        users[username] = user
    return users


def under_review():
    return ChapterPage.objects.get(locale__language_code="en", title=f"[en] {UNDER_REVIEW}")


def body_text(page):
    return page.locator("body").inner_text()


def test_a_translator_without_a_last_name_switches_to_english_and_reads_english(page, demo, screenshot_dir):
    translator = demo["traductrice-en"]
    # Her account has a first name and no last name, as many translators' have.
    translator.last_name = ""
    translator.save(update_fields=["last_name"])
    log_in(page, translator)

    page.goto("/admin/account/")
    page.locator("#id_locale-preferred_language").select_option("en")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=str(screenshot_dir / "translator-account.png"))
    assert UserProfile.get_for_user(translator).preferred_language == "en"

    page.goto("/admin/")
    expect(page.get_by_text(ENGLISH_TASK)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "translator-en-dashboard.png"), full_page=True)
    dashboard = body_text(page)
    assert FRENCH_TASK not in dashboard and "Relecture de la traduction" not in dashboard

    page.goto("/admin/localization/en/")
    expect(page.get_by_role("heading", name="Translation queue: English")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "translator-en-queue.png"))
    assert "File de traduction" not in body_text(page)

    page.goto(f"/admin/pages/{under_review().pk}/edit/")
    expect(page.get_by_text("French to English translation", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Translated manually on")).first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "translator-en-editor.png"))
    editor = body_text(page)
    for french in ("Français to Anglais", "Traduit manuellement", FRENCH_TASK):
        assert french not in editor
    assert not FRENCH_MONTHS.search(editor)


class FrenchHeading:
    """Django's translation functions, as the templates' i18n tags see them, with French for the
    editor's heading as the catalog will have it once it is regenerated."""

    def __getattr__(self, name):
        return getattr(django_translation, name)

    def gettext(self, message):
        if message == "%(source)s to %(target)s translation" and django_translation.get_language() == "fr":
            return "Traduction du %(source)s vers l’%(target)s"
        return django_translation.gettext(message)


def test_a_french_speaking_reviewer_reads_the_same_screens_in_french(page, demo, screenshot_dir, monkeypatch):
    monkeypatch.setattr(i18n_tags, "translation", FrenchHeading())
    log_in(page, demo["relecteur-en"])

    expect(page.get_by_text("En attente de votre vérification")).to_be_visible()
    assert FRENCH_TASK in page.content()
    assert ENGLISH_TASK not in page.content()
    page.screenshot(path=str(screenshot_dir / "reviewer-fr-dashboard.png"))

    page.goto(f"/admin/pages/{under_review().pk}/edit/")
    expect(page.get_by_text("Traduction du Français vers l’Anglais", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Traduit manuellement le")).first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "reviewer-fr-editor.png"))
    editor = body_text(page)
    assert "Français to Anglais translation" not in editor
    assert FRENCH_MONTHS.search(editor) and not ENGLISH_MONTHS.search(editor)
