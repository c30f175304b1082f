"""Comparing two revisions of a chapter shows what changed, not its links rewritten with new ids."""

import re

import pytest
from django.urls import reverse

from book.models import ChapterContributor, ChapterPage, ChapterSector, ChapterTheme
from tests.cms.localization_support import editor, make_book, make_locales, publish, start, translate
from tests.factories import ContributorPageFactory

pytestmark = pytest.mark.django_db


def set_links(chapter, book, contributor=None):
    chapter.contributor_links = [
        ChapterContributor(contributor=contributor or book.contributor, role="author")
    ]
    chapter.theme_links = [ChapterTheme(theme=book.theme)]
    chapter.sector_links = [ChapterSector(sector=book.sector)]


def link_ids(page):
    return (
        list(page.contributor_links.values_list("id", flat=True))
        + list(page.theme_links.values_list("id", flat=True))
        + list(page.sector_links.values_list("id", flat=True))
    )


def reloaded(page):
    """The page as the editor opens it: its links read from the database."""
    return ChapterPage.objects.get(pk=page.pk)


def compare(client, page, revision_a, revision_b):
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, revision_a.pk, revision_b.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def child_changes(html):
    return re.findall(r'class="comparison__child-object (addition|deletion)"', html)


def test_links_rewritten_with_new_ids_are_unchanged_in_the_comparison(client):
    book = make_book(chapters=1)
    chapter = book.chapters[0]
    set_links(chapter, book)
    publish(chapter)
    chapter = reloaded(chapter)
    revision_a = chapter.save_revision()
    before = link_ids(chapter)

    # As loading the demo book again does: the same links, set anew.
    set_links(chapter, book)
    chapter.title = "Chapitre retitré"
    publish(chapter)
    chapter = reloaded(chapter)
    revision_b = chapter.save_revision()
    assert set(link_ids(chapter)).isdisjoint(before), "the rows were rewritten"
    client.force_login(editor())

    html = compare(client, chapter, revision_a, revision_b)

    assert child_changes(html) == []
    assert "Chapitre retitré" in html


def test_a_translations_links_copied_again_by_a_sync_are_unchanged(client):
    en = make_locales()["en"]
    book = make_book(chapters=1)
    chapter = book.chapters[0]
    set_links(chapter, book)
    publish(chapter)
    start(chapter, en)
    translate(chapter, en, count=1, publish=True)
    target = chapter.get_translation(en)
    revision_a = target.save_revision()
    before = link_ids(target)

    translate(chapter, en, publish=True)
    target.refresh_from_db()
    revision_b = target.save_revision()
    assert set(link_ids(target)).isdisjoint(before), "the sync copied the links anew"
    client.force_login(editor())

    html = compare(client, target, revision_a, revision_b)

    assert child_changes(html) == []


def test_a_contributor_replaced_is_still_shown_removed_and_added(client):
    book = make_book(chapters=1)
    chapter = book.chapters[0]
    set_links(chapter, book)
    publish(chapter)
    revision_a = reloaded(chapter).save_revision()

    other = publish(ContributorPageFactory(parent=book.contributor_index, title="Autre Personne"))
    set_links(chapter, book, contributor=other)
    publish(chapter)
    revision_b = reloaded(chapter).save_revision()
    client.force_login(editor())

    html = compare(client, chapter, revision_a, revision_b)

    assert sorted(child_changes(html)) == ["addition", "deletion"]
    assert "Autre Personne" in html
