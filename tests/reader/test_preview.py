"""The reader's preview: the draft a token names, marked as a draft, never indexed and never kept."""

import re
from contextlib import contextmanager

import pytest
from wagtail.models import Page

from book.preview import make_token

from .test_pages import api


@pytest.fixture
def direct_reader(cms, start_reader):
    """The reader on the API itself: the relay passes only the headers the public pages need."""
    return start_reader(f"{cms.url}/api/v1/")


@contextmanager
def drafted(key, locale, **changes):
    """A saved, unpublished draft of the page with ``key`` in ``locale``; the page as it was afterwards."""
    page = Page.objects.get(translation_key=key, locale__language_code=locale).specific
    before = (page.latest_revision_id, page.has_unpublished_changes)
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    try:
        yield page, revision
    finally:
        Page.objects.filter(pk=page.pk).update(
            latest_revision_id=before[0], has_unpublished_changes=before[1]
        )
        revision.delete()


def test_a_chapter_draft_shows_in_the_preview_and_not_on_its_public_page(cms, direct_reader):
    chapter = api(cms, "chapters/", locale="fr")["results"][0]
    with drafted(chapter["key"], "fr", title="Un titre encore en brouillon") as (page, revision):
        response = direct_reader.get("/preview/", params={"token": make_token(page, revision.pk)})
        public = direct_reader.get(f"/fr/chapters/{chapter['key']}/")

    assert response.status_code == 200
    assert "<h1>Un titre encore en brouillon</h1>" in response.text
    assert 'class="preview-banner"' in response.text and "Aperçu du brouillon" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Content-Security-Policy"] == f"frame-ancestors 'self' {cms.url}"
    assert "X-Frame-Options" not in response.headers
    assert re.search(r'<html lang="fr" dir="ltr">', response.text)
    assert public.status_code == 200
    assert "Un titre encore en brouillon" not in public.text
    assert f"<h1>{chapter['title']}</h1>" in public.text
    assert public.headers.get("X-Frame-Options") == "DENY"


def test_a_translation_draft_shows_in_its_language(cms, direct_reader):
    chapter = api(cms, "chapters/", locale="en")["results"][0]
    with drafted(chapter["key"], "en", title="A title still in draft") as (page, revision):
        response = direct_reader.get("/preview/", params={"token": make_token(page, revision.pk)})
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.text
    assert "<h1>A title still in draft</h1>" in response.text
    assert "Draft preview" in response.text


@pytest.mark.parametrize("token", ["", "forged"])
def test_no_draft_without_a_valid_token(cms, direct_reader, token):
    response = direct_reader.get("/preview/", params={"token": token})
    assert response.status_code == 403
    assert "preview" in response.text.lower()
    assert "Traceback" not in response.text
    assert response.headers["Cache-Control"] == "private, no-store"
