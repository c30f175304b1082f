"""What is not live in the source language is not work for translators yet."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from cms import scheduling
from cms.localization.state import book_items
from tests.cms.localization_support import editor, make_book, make_locales, publish, translator
from tests.factories import ChapterPageFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def ref(page):
    return f"page:{page.translation_key}"


def queue_rows(client, code="en"):
    html = client.get(reverse("localization:queue", args=[code])).content.decode()
    return re.findall(r'<tr class="localization-queue__row[^"]*" data-item="([^"]+)"', html)


def scheduled_chapter(part, days=3):
    chapter = ChapterPageFactory(parent=part, title="Chapitre à paraître", live=False)
    chapter.go_live_at = timezone.now() + timedelta(days=days)
    chapter.save_revision().publish()
    chapter.refresh_from_db()
    return chapter


def test_a_chapter_scheduled_but_not_yet_live_is_in_no_queue_nor_grid(client, locales):
    book = make_book(chapters=1)
    chapter = scheduled_chapter(book.part)
    assert not chapter.live and chapter.get_latest_revision().approved_go_live_at is not None
    client.force_login(editor())

    assert ref(chapter) not in queue_rows(client)
    grid = client.get(reverse("localization:grid")).content.decode()
    assert f'data-item="{ref(chapter)}"' not in grid
    assert ref(book.chapters[0]) in queue_rows(client)


def test_a_scheduled_chapter_joins_the_queues_when_it_goes_live(client, locales, monkeypatch):
    book = make_book(chapters=1)
    chapter = scheduled_chapter(book.part)
    client.force_login(translator("en"))
    assert ref(chapter) not in queue_rows(client)

    # The worker's tick after the chapter's time.
    later = timezone.now() + timedelta(days=3, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    scheduling.publish_scheduled()
    chapter.refresh_from_db()
    assert chapter.live

    assert ref(chapter) in queue_rows(client)


def test_a_draft_never_published_is_not_translated_before_its_source_is_live(client, locales):
    book = make_book(chapters=1)
    draft = ChapterPageFactory(parent=book.part, title="Brouillon", live=False)
    draft_sector = SectorFactory(name="Danse", live=False)
    client.force_login(editor())

    refs = {item.ref for item in book_items()}
    assert ref(draft) not in refs
    assert f"sector:{draft_sector.translation_key}" not in refs
    assert ref(draft) not in queue_rows(client)

    response = client.post(
        reverse("localization:action", args=["en"]),
        {"row_action": f"start|{ref(draft)}"},
        follow=True,
    )
    assert "Select at least one item first" in response.content.decode()
    assert not Page.objects.filter(translation_key=draft.translation_key, locale=locales["en"]).exists()

    publish(draft)
    assert ref(draft) in queue_rows(client)


def test_an_unpublished_chapter_leaves_the_queues(client, locales):
    book = make_book(chapters=2)
    client.force_login(translator("en"))
    assert ref(book.chapters[1]) in queue_rows(client)

    book.chapters[1].unpublish()

    assert ref(book.chapters[1]) not in queue_rows(client)
