"""A chapter tells its reader where its words come from, in the reader's language."""

import re
from datetime import UTC, datetime

from django.utils import formats, translation

from tests.reader.test_pages import api

REVIEWED_AT = "2026-03-05T10:00:00Z"


def demo_chapter(cms, slug):
    return next(
        chapter
        for chapter in api(cms, "chapters/", locale="fr", page_size=100)["results"]
        if chapter["slug"] == slug
    )


def provenance_section(page):
    found = re.search(r'<section class="provenance".*?</section>', page, re.S)
    return found.group(0) if found else ""


def in_language(code, function, *args):
    with translation.override(code):
        return str(function(*args))


# Django's own names of the language, as the reader (which has no catalog of its own for them) says
# them after its label: in lower case in French, as French text writes the names of languages.
SPANISH = {"fr": "espagnol", "en": "Spanish", "ar": "الإسبانيّة"}


def test_a_chapter_written_in_spanish_says_so_and_a_french_one_says_nothing(cms, reader):
    seville = demo_chapter(cms, "ecoute-partagee")
    french = demo_chapter(cms, "ecrire-a-lheure-des-modeles-de-langage")

    section = provenance_section(reader.get(f"/fr/chapters/{seville['key']}/").text)

    assert '<h2 id="provenance-title">À propos de ce texte</h2>' in section
    assert f"<dt>Langue originale</dt><dd>{SPANISH['fr']}</dd>" in section
    assert "Traduit par" not in section and 'class="notice"' not in section
    assert provenance_section(reader.get(f"/fr/chapters/{french['key']}/").text) == ""


def test_an_english_translation_names_its_translator_and_says_when_its_source_changed(cms, reader):
    """The demo's English chapters are translated by its demo translator; one's French source changed since."""
    translated = [
        api(cms, f"chapters/{chapter['key']}/", locale="en")
        for chapter in api(cms, "chapters/", locale="en", page_size=100)["results"]
    ]
    outdated = next(chapter for chapter in translated if chapter["translation"]["outdated"])
    current = next(chapter for chapter in translated if not chapter["translation"]["outdated"])

    for chapter, notice in ((outdated, True), (current, False)):
        section = provenance_section(reader.get(f"/en/chapters/{chapter['key']}/").text)
        [translator] = chapter["translation"]["translators"]
        assert f'<dt>Translated by</dt><dd><span class="name" dir="auto">{translator}</span></dd>' in section
        assert ("The original text has changed since this translation was published" in section) is notice
        assert "<dt>Original language</dt><dd>French</dd>" in section


def test_every_credit_and_notice_reads_in_french_and_right_to_left_in_arabic(cms, relay, reader):
    seville = demo_chapter(cms, "ecoute-partagee")

    def credited(path, document):
        if path == f"/api/v1/chapters/{seville['key']}/":
            return {
                **document,
                "translation": {
                    **document["translation"],
                    "translators": ["Layla Haddad", "Omar Aziz"],
                    "reviewed_by": "Nour Salem",
                    "reviewed_at": REVIEWED_AT,
                    "machine_assisted": True,
                    "outdated": True,
                },
            }
        return None

    relay.rewrite = credited
    reviewed = datetime(2026, 3, 5, 10, tzinfo=UTC)

    french = provenance_section(reader.get(f"/fr/chapters/{seville['key']}/").text)
    assert "<dt>Traduit par</dt>" in french
    assert (
        '<span class="name" dir="auto">Layla Haddad</span>, <span class="name" dir="auto">Omar Aziz</span>'
        in french
    )
    date = in_language("fr", formats.date_format, reviewed, "DATE_FORMAT")
    assert (
        f'<dt>Relu par</dt><dd><span class="name" dir="auto">Nour Salem</span>, <time datetime="2026-03-05T10:00:00+00:00">{date}</time></dd>'
        in french
    )
    assert french.count('<p class="notice" role="note">') == 2
    assert "telle qu’une machine l’a traduite" in french and "Le texte original a changé" in french

    # Nothing is published in Arabic: the French text is shown, and its credits are said in Arabic.
    arabic = provenance_section(reader.get(f"/ar/chapters/{seville['key']}/").text)
    assert arabic.startswith(
        '<section class="provenance" aria-labelledby="provenance-title" lang="ar" dir="rtl">'
    )
    assert f"<dt>اللغة الأصلية</dt><dd>{SPANISH['ar']}</dd>" in arabic
    assert (
        '<span class="name" dir="auto">Layla Haddad</span>، <span class="name" dir="auto">Omar Aziz</span>'
        in arabic
    )
    date = in_language("ar", formats.date_format, reviewed, "DATE_FORMAT")
    assert (
        f'<dt>مراجعة</dt><dd><span class="name" dir="auto">Nour Salem</span>، <time datetime="2026-03-05T10:00:00+00:00">{date}</time></dd>'
        in arabic
    )
    assert "ترجمته الآلة" in arabic and "تغيّر النص الأصلي" in arabic
