"""The words an edition writes itself have a catalog in every language the book is published in."""

from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from cms.i18n import catalog_path, catalog_problems, extract_edition_words
from editions.content import interface_language


def edition_languages():
    return [code for code, _name in settings.LANGUAGES if code not in {"fr", "en"}]


@pytest.mark.parametrize("language", edition_languages())
def test_every_published_language_has_a_complete_catalog_of_the_editions_words(language):
    path = catalog_path(settings.EDITIONS_LOCALE_PATH, language)
    assert path.exists(), f"Run manage.py update_catalog --editions --locale {language}, translate, compile."
    catalog = polib.pofile(str(path))
    wanted = {message.key for message in extract_edition_words(settings.BASE_DIR).messages}
    translated = {(entry.msgctxt, entry.msgid) for entry in catalog.translated_entries()}
    assert wanted - translated == set()
    assert catalog.fuzzy_entries() == [] and catalog_problems(catalog) == []
    assert interface_language(language) == language


def test_the_editions_catalogs_are_up_to_date_and_compiled():
    call_command("update_catalog", "--editions", "--check", stdout=StringIO(), stderr=StringIO())
    call_command("compile_catalog", "--editions", "--check", stdout=StringIO())


def test_the_editions_words_are_headings_labels_and_roles_not_the_admins():
    words = {message.msgid for message in extract_edition_words(settings.BASE_DIR).messages}
    assert {"Contents", "Colophon", "Notes", "Not yet translated", "Author", "Interviewee"} <= words
    assert "Back to the call of note %(number)s" in words
    # The admin's strings stay in the interface's catalogs.
    assert "Build now" not in words and "Chapter" not in words


def test_the_admin_still_falls_back_to_english_where_a_language_lacks_a_string():
    with translation.override("ar"):
        assert translation.gettext("Contents") == "المحتويات"
    with translation.override("es"):
        # An interface string that only the French and Arabic catalogs translate: English, never French.
        assert translation.gettext("Credits and classification") == "Credits and classification"
    with translation.override("zh-hans"):
        assert translation.gettext("Not yet translated") == "尚未翻译"
    with translation.override("fr"):
        assert translation.gettext("Credits and classification") == "Crédits et classement"


def test_update_catalog_starts_an_editions_catalog_for_a_new_language(settings, tmp_path):
    settings.EDITIONS_LOCALE_PATH = tmp_path
    call_command("update_catalog", "--editions", "--locale", "de", stdout=StringIO())
    catalog = polib.pofile(str(catalog_path(tmp_path, "de")))
    assert {entry.msgid for entry in catalog} == {
        message.msgid for message in extract_edition_words(settings.BASE_DIR).messages
    }
    assert not (tmp_path / "fr").exists()
