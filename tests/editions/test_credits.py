"""An edition's colophon, the API and the reading preview credit the same translators."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

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
    assert "Écrit en Espagnol." in html
    assert "Écrit en Espagnol." in reading_preview(seville)
    # Every other demo chapter was written in French.
    others = ChapterPage.objects.descendant_of(demo_book).exclude(pk=seville.pk)
    assert set(others.values_list("original_language", flat=True)) == {"fr"}
