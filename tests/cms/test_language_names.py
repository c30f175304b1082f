"""A language's name inside a sentence is written as that sentence's language writes it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from book.languages import in_text, in_text_lazy, language_in_text


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("fr", "es", "espagnol"),
        ("fr", "zh-hans", "chinois simplifié"),
        ("en", "es", "Spanish"),
        ("en", "zh-hans", "Simplified Chinese"),
        ("ar", "es", "الإسبانية"),
        # A language the book is not translated into: Django's own name, by the same rule.
        ("fr", "ca", "catalan"),
        ("en", "ca", "Catalan"),
    ],
)
def test_a_language_name_inside_a_sentence(language, code, expected):
    with translation.override(language):
        assert language_in_text(code) == expected


def test_the_sentences_of_the_credits_in_french_and_english():
    template = Template(
        "{% load i18n language_names %}{% blocktranslate with language=name|in_text %}"
        "Written in {{ language }}.{% endblocktranslate %}"
    )
    said = {}
    for language in ("fr", "en", "ar"):
        with translation.override(language):
            said[language] = template.render(Context({"name": translation.gettext("Spanish")}))
    assert said == {"fr": "Écrit en espagnol.", "en": "Written in Spanish.", "ar": "كُتب باللغة الإسبانية."}


def test_a_name_kept_for_later_is_written_in_the_language_active_then():
    name = translation.gettext_lazy("English")
    later = in_text_lazy(name)
    with translation.override("fr"):
        assert str(later) == "anglais"
    with translation.override("en"):
        assert str(later) == "English"
    # Only the first letter changes: what follows a capital inside the name stays.
    with translation.override("fr"):
        assert in_text("Espagnol d’Argentine") == "espagnol d’Argentine"
