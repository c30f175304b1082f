"""Drafts through the preview endpoint: only with a valid token for that page, revision and language; never cached."""

import time
from unittest import mock

import pytest
from django.core import signing

from book.preview import SALT, make_token, read_token
from tests.api.conftest import api


def draft(page, **changes):
    """Save a draft revision of ``page`` with ``changes``, leaving the live version as it was."""
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision()


def preview(client, token, **params):
    return client.get(api("preview"), {"token": token, **params})


def test_a_token_shows_the_draft_while_the_public_api_keeps_the_live_version(client, book):
    revision = draft(book.first, title="Titre du brouillon")
    response = preview(client, make_token(book.first, revision.pk))
    assert response.status_code == 200
    document = response.json()
    assert document["title"] == "Titre du brouillon"
    assert document["key"] == str(book.first.translation_key)
    assert [block["type"] for block in document["body"]] == ["heading", "paragraph"]
    assert response["Preview-Kind"] == "chapter"
    public = client.get(api("chapter-detail", ref=book.first.translation_key))
    assert public.json()["title"] == "Écrire avec la machine"
    # The detail's own fields, nothing less.
    assert set(public.json()) == set(document)


def test_a_draft_shows_its_own_contributors_themes_and_sectors(client, book):
    from book.models import ChapterContributor, ChapterSector

    chapter = book.second.specific_class.objects.get(pk=book.second.pk)
    chapter.contributor_links.add(ChapterContributor(contributor=book.andrea, role="co-author", sort_order=1))
    chapter.sector_links.add(ChapterSector(sector=book.music, sort_order=0))
    revision = chapter.save_revision()

    document = preview(client, make_token(book.second, revision.pk)).json()

    assert [(item["title"], item["role"]) for item in document["contributors"]] == [
        ("Jean-Michel Jarre", "author"),
        ("Jean-Baptiste Andrea", "co-author"),
    ]
    assert [item["title"] for item in document["sectors"]] == ["Musique"]
    public = client.get(api("chapter-detail", ref=book.second.translation_key)).json()
    assert [item["title"] for item in public["contributors"]] == ["Jean-Michel Jarre"]
    assert public["sectors"] == []


def test_a_draft_without_a_contributor_the_live_page_credits_shows_none(client, book):
    chapter = book.third.specific_class.objects.get(pk=book.third.pk)
    chapter.contributor_links = []
    revision = chapter.save_revision()

    document = preview(client, make_token(book.third, revision.pk)).json()

    assert document["contributors"] == []
    public = client.get(api("chapter-detail", ref=book.third.translation_key)).json()
    assert [item["title"] for item in public["contributors"]] == ["Jean-Baptiste Andrea"]


def test_a_preview_is_never_cached(client, book):
    revision = draft(book.first, title="Premier brouillon")
    token = make_token(book.first, revision.pk)
    first = preview(client, token)
    assert first["Cache-Control"] == "private, no-store"
    assert "ETag" not in first
    assert "Last-Modified" not in first
    # A second draft under a new token shows at once; the first token still names its own revision.
    newer = draft(book.first, title="Second brouillon")
    assert preview(client, make_token(book.first, newer.pk)).json()["title"] == "Second brouillon"
    assert preview(client, token).json()["title"] == "Premier brouillon"
    # Nor does the public API serve either draft, before or after.
    listed = client.get(api("chapter-list")).json()["results"]
    assert "Second brouillon" not in {item["title"] for item in listed}
    assert "Premier brouillon" not in client.get(api("search"), {"q": "brouillon"}).content.decode()


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [
        ("", 400, "token_missing"),
        ("not-a-token", 403, "token_invalid"),
    ],
)
def test_no_draft_without_a_valid_token(client, book, token, status, code):
    draft(book.first, title="Secret")
    response = preview(client, token)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["parameter"] == "token"
    assert "Secret" not in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_no_draft_with_a_tampered_or_foreign_token(client, book):
    revision = draft(book.first, title="Secret")
    payload = {"p": book.first.pk, "r": revision.pk, "l": "fr", "k": "chapter"}
    # Signed with another salt (any other signed value of the project) or another key.
    for forged in (
        signing.dumps(payload, salt="other"),
        signing.dumps(payload, salt=SALT, key="another secret key"),
        make_token(book.first, revision.pk)[:-2] + "xx",
    ):
        response = preview(client, forged)
        assert response.status_code == 403, forged
        assert "Secret" not in response.content.decode()


def test_no_draft_with_an_expired_token(client, book, settings):
    revision = draft(book.first, title="Secret")
    settings.BOOK_PREVIEW_TOKEN_SECONDS = 60
    assert preview(client, make_token(book.first, revision.pk)).status_code == 200
    # A token signed 61 seconds ago: its minute is over, however slowly the tests run.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 61):
        token = make_token(book.first, revision.pk)
    response = preview(client, token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_expired"
    assert "Secret" not in response.content.decode()


def test_a_token_serves_only_its_page_and_language(client, book):
    revision = draft(book.first, title="Secret")
    token = make_token(book.first, revision.pk)
    for params in ({"ref": str(book.second.translation_key)}, {"ref": "composer"}, {"locale": "en"}):
        response = preview(client, token, **params)
        assert response.status_code == 403, params
        assert response.json()["error"]["code"] == "token_mismatch"
        assert "Secret" not in response.content.decode()
    assert preview(client, token, ref=str(book.first.translation_key), locale="fr").status_code == 200
    # A token naming a revision of another page serves nothing.
    other = draft(book.second, title="Autre")
    payload = {"p": book.first.pk, "r": other.pk, "l": "fr", "k": "chapter"}
    response = preview(client, signing.dumps(payload, salt=SALT, compress=True))
    assert response.status_code == 404
    assert "Autre" not in response.content.decode()
    # Nor one naming a language the page is not in.
    payload = {"p": book.first.pk, "r": revision.pk, "l": "en", "k": "chapter"}
    assert preview(client, signing.dumps(payload, salt=SALT, compress=True)).status_code == 403


def test_a_translation_draft_is_served_in_its_language(client, book):
    revision = draft(book.en_first, title="Draft title")
    response = preview(client, make_token(book.en_first, revision.pk))
    assert response.status_code == 200
    assert response.json()["locale"] == "en"
    assert response.json()["title"] == "Draft title"
    assert preview(client, make_token(book.en_first, revision.pk), locale="fr").status_code == 403


@pytest.mark.parametrize(
    ("page", "kind", "change"),
    [
        ("book", "book", {"title": "Livre brouillon"}),
        ("part_one", "part", {"title": "Partie brouillon"}),
        ("andrea", "contributor", {"title": "Auteur brouillon"}),
        ("practices", "theme", {"title": "Thème brouillon"}),
    ],
)
def test_every_kind_previews(client, book, page, kind, change):
    page = getattr(book, page)
    revision = draft(page, **change)
    response = preview(client, make_token(page.specific, revision.pk))
    assert response.status_code == 200, response.content
    assert response["Preview-Kind"] == kind
    assert response.json()["title"] == change["title"]
    if kind == "part":
        assert [chapter["title"] for chapter in response.json()["chapters"]] == [
            "Écrire avec la machine",
            "Composer",
        ]


def test_a_never_published_page_previews(client, book):
    from tests.factories import ChapterPageFactory

    new = ChapterPageFactory(parent=book.part_two, title="Inédit", slug="inedit", live=False)
    revision = new.save_revision()
    assert preview(client, make_token(new, revision.pk)).json()["title"] == "Inédit"
    assert client.get(api("chapter-detail", ref="inedit")).status_code == 404


def test_a_deleted_page_previews_nothing(client, book):
    revision = draft(book.third, title="Supprimé")
    token = make_token(book.third, revision.pk)
    book.third.delete()
    response = preview(client, token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "gone"


def test_token_round_trip_names_page_revision_language_and_kind(book):
    revision = draft(book.en_first, title="x")
    claim = read_token(make_token(book.en_first, revision.pk))
    assert (claim.page_id, claim.revision_id, claim.locale, claim.kind) == (
        book.en_first.pk,
        revision.pk,
        "en",
        "chapter",
    )
