"""An interface language lacking a string shows it in English, the language of the messages."""

import pytest
from django.utils import translation

# One of the project's strings, translated in French and Arabic only.
PROJECT_STRING = "Editorial workflow"


@pytest.mark.parametrize("language", ["es", "ru", "zh-hans"])
def test_a_language_without_a_translation_shows_the_string_in_english_not_french(language):
    with translation.override(language):
        assert translation.gettext(PROJECT_STRING) == PROJECT_STRING
        # Wagtail's own catalog of that language is still used where it has the string.
        assert translation.gettext("Translations") != "Traductions"


def test_french_arabic_and_english_keep_their_catalogs():
    with translation.override("fr"):
        assert translation.gettext(PROJECT_STRING) == "Workflow éditorial"
    with translation.override("ar"):
        assert translation.gettext(PROJECT_STRING) == "سير العمل التحريري"
    with translation.override("en"):
        assert translation.gettext(PROJECT_STRING) == PROJECT_STRING
