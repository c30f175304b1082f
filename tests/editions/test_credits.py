"""An edition's colophon, the API and the reading preview credit the same translators."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from book.models import ChapterPage, TranslationCoverage, TranslationCredit
from editions.content import collect
from editions.html import edition_html

pytestmark = pytest.mark.django_db


def reading_preview(page):
    request = RequestFactory().get("/")
    request.is_preview = True
    return page.serve_preview(request, "").rendered_content


def test_the_colophon_the_api_and_the_preview_credit_the_same_translators(arabic_book, client):
    first, second = ChapterPage.objects.descendant_of(arabic_book).live().order_by("path")
    # Recorded by the translation tools for the first chapter; named by an editor for the second.
    TranslationCoverage.objects.filter(revision_id=first.live_revision_id).update(
        translators=["Layla Haddad"]
    )
    TranslationCoverage.objects.filter(revision_id=second.live_revision_id).update(translators=["Omar"])
    TranslationCredit.objects.create(
        translation_key=second.translation_key, locale=second.locale, translators=["Nour Salem", "Karim Aziz"]
    )

    assert collect(arabic_book).translators == ["Karim Aziz", "Layla Haddad", "Nour Salem"]
    colophon = edition_html(arabic_book).html
    assert "Karim Aziz, Layla Haddad, Nour Salem" in colophon
    assert "Omar" not in colophon
    for chapter, names in ((first, ["Layla Haddad"]), (second, ["Nour Salem", "Karim Aziz"])):
        data = client.get(
            reverse("api:chapter-detail", args=(chapter.translation_key,)), {"locale": "ar"}
        ).json()
        assert data["translation"]["translators"] == names
        assert ", ".join(names) in reading_preview(chapter)


def test_the_source_edition_credits_no_translator(demo_book):
    assert collect(demo_book).translators == []


def test_the_demo_contribution_written_in_spanish_says_so_in_the_api_the_edition_and_the_preview(
    demo_book, client
):
    seville = ChapterPage.objects.get(slug="ecoute-partagee", locale=demo_book.locale)
    assert seville.original_language == "es"
    data = client.get(reverse("api:chapter-detail", args=(seville.translation_key,)), {"locale": "fr"}).json()
    assert data["translation"]["original_locale"] == "es"
    html = edition_html(demo_book).html
    assert html.count('class="written-in"') == 1
    # French writes a language's name in lower case inside a sentence; English with a capital.
    assert "Écrit en espagnol." in html and "Espagnol" not in html
    assert "Écrit en espagnol." in reading_preview(seville)
    # An edition's chapter header says it in the edition's language: in English with a capital.
    for language, sentence in (("en", "Written in Spanish."), ("ar", "كُتب باللغة الإسبانية.")):
        with translation.override(language):
            header = render_to_string(
                "editions/chapter_header.html",
                {"chapter": {"title": "t", "written_in": seville.original_language_in_text}},
            )
        assert f'<p class="written-in">{sentence}</p>' in header
    # Every other demo chapter was written in French.
    others = ChapterPage.objects.descendant_of(demo_book).exclude(pk=seville.pk)
    assert set(others.values_list("original_language", flat=True)) == {"fr"}
