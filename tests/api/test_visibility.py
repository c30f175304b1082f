"""Only public content, ever: drafts, private, expired and scheduled pages never show anywhere."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request
from wagtail.models import Page, PageViewRestriction

from api.reader import Reader
from book.models import ChapterPage
from tests.api.conftest import api, credit
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.django_db


def hide_draft(book):
    page = ChapterPageFactory(parent=book.part_one, title="Brouillon caché", slug="brouillon", live=False)
    return page


def hide_private(book):
    page = ChapterPageFactory(parent=book.part_two, title="Privé caché", slug="prive")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


def hide_expired(book):
    return ChapterPageFactory(
        parent=book.part_two,
        title="Expiré caché",
        slug="expire",
        expire_at=timezone.now() - datetime.timedelta(days=1),
    )


def hide_scheduled(book):
    page = ChapterPageFactory(parent=book.part_two, title="Programmé caché", slug="programme", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    return page


def hide_unpublished(book):
    page = ChapterPageFactory(parent=book.part_two, title="Retiré caché", slug="retire")
    page.unpublish()
    return page


HIDERS = [hide_draft, hide_private, hide_expired, hide_scheduled, hide_unpublished]


@pytest.fixture(params=HIDERS, ids=[hider.__name__ for hider in HIDERS])
def hidden(request, book):
    page = request.param(book)
    credit(page, contributors=[(book.jarre, "author")], themes=[book.audiences], sectors=[book.music])
    book.first.body = [("paragraph", f'<p>Voir <a linktype="page" id="{page.pk}">le caché</a>.</p>')]
    book.first.save_revision().publish()
    return page


def everything(client, book):
    """The text of every response a reader could see, in French."""
    paths = [
        (api("chapter-list"), {"page_size": 100}),
        (api("chapter-list"), {"theme": "publics"}),
        (api("book-detail", ref=book.book.slug), {}),
        (api("contributor-detail", ref="jean-michel-jarre"), {}),
        (api("theme-detail", ref="publics"), {}),
        (api("chapter-detail", ref="ecrire-avec-la-machine"), {}),
        (api("search"), {"q": "caché"}),
    ]
    return {path: client.get(path, params).content.decode() for path, params in paths}


def test_hidden_chapter_never_appears(client, book, hidden):
    for path, content in everything(client, book).items():
        assert "caché" not in content.replace("le caché", ""), path
        assert str(hidden.translation_key) not in content, path
    assert client.get(api("chapter-list")).json()["count"] == 3


def test_hidden_chapter_detail_is_404(client, book, hidden):
    for ref in (hidden.slug, str(hidden.translation_key)):
        response = client.get(api("chapter-detail", ref=ref))
        assert response.status_code == 404
        assert response.json()["error"]["parameter"] == "ref"


def test_link_to_hidden_page_becomes_plain_text(client, book, hidden):
    body = client.get(api("chapter-detail", ref="ecrire-avec-la-machine")).json()["body"]
    assert body[0]["value"] == "<p>Voir le caché.</p>"


def test_unpublished_translation_is_never_listed_as_a_translation(client, book):
    book.en_first.unpublish()
    data = client.get(api("chapter-detail", ref="ecrire-avec-la-machine")).json()
    assert data["translations"] == []
    assert client.get(api("chapter-list"), {"locale": "en"}).json()["count"] == 0
    fallback = client.get(api("chapter-detail", ref=book.first.translation_key), {"locale": "en"}).json()
    assert (fallback["locale"], fallback["fallback"]) == ("fr", True)


def test_private_section_hides_everything_below_it(client, book):
    PageViewRestriction.objects.create(page=book.part_one, restriction_type=PageViewRestriction.LOGIN)
    slugs = [item["slug"] for item in client.get(api("chapter-list")).json()["results"]]
    assert slugs == ["partager"]
    toc = client.get(api("book-detail", ref=book.book.slug)).json()["toc"]
    assert [part["slug"] for part in toc] == ["diffusion"]


def test_draft_city_and_sector_are_not_shown(client, book):
    book.cannes.live = False
    book.cannes.save()
    book.music.live = False
    book.music.save()
    assert client.get(api("city-list")).json()["count"] == 0
    assert client.get(api("city-detail", ref="cannes")).status_code == 404
    chapter = client.get(api("chapter-detail", ref="ecrire-avec-la-machine")).json()
    assert chapter["city"] is None
    assert [sector["slug"] for sector in chapter["sectors"]] == ["cinema"]


def test_draft_contributor_is_dropped_from_chapter_credits(client, book):
    book.jarre.unpublish()
    chapter = client.get(api("chapter-detail", ref="ecrire-avec-la-machine")).json()
    assert [c["slug"] for c in chapter["contributors"]] == ["jean-baptiste-andrea"]
    assert client.get(api("chapter-list"), {"contributor": "jean-michel-jarre"}).status_code == 400


def test_unpublished_chapters_are_not_counted(client, book):
    ChapterPage.objects.filter(pk=book.third.pk).update(live=False)
    assert client.get(api("chapter-list")).json()["count"] == 2


def test_the_readers_private_sections_are_wagtails(book):
    def private_pages(q):
        return set(Page.objects.filter(q).values_list("pk", flat=True))

    reader = Reader(Request(RequestFactory().get("/")))
    assert private_pages(reader.private_q) == private_pages(Page.objects.private_q()) == set()
    for page in (book.part_one, book.third):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    reader = Reader(Request(RequestFactory().get("/")))
    hidden = private_pages(reader.private_q)
    assert hidden == private_pages(Page.objects.private_q())
    assert {book.part_one.pk, book.first.pk, book.third.pk} <= hidden
    assert book.part_two.pk not in hidden
