"""The admin issues preview tokens for the reader to those who may edit the page, and only to them."""

from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from book.preview import read_token
from tests.api.conftest import translate
from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory

pytestmark = pytest.mark.django_db

READER = "https://reader.example.org/"


@pytest.fixture
def world(settings):
    settings.READER_URL = READER
    english = Locale.objects.create(language_code="en")
    Locale.objects.create(language_code="es")
    book = BookPageFactory(title="Le livre")
    part = PartPageFactory(parent=book, title="Partie")
    chapter = ChapterPageFactory(parent=part, title="Le chapitre")
    translate(book, english, slug="the-book")
    translate(part, english, slug="part")
    en_chapter = translate(chapter, english, title="The chapter", slug="the-chapter")
    with translation.override("en"):
        call_command("setup_roles", stdout=StringIO(), stderr=StringIO())
    return {"fr": chapter, "en": en_chapter}


def user(django_user_model, group):
    person = django_user_model.objects.create_user(group or "nobody", "x@example.org", "not used")
    if group:
        person.groups.add(Group.objects.get(name=group))
    return person


def issue(client, page):
    return client.get(reverse("book_reader_preview", args=[page.pk]))


@pytest.mark.parametrize(
    ("group", "allowed"),
    [
        ("Editors", {"fr", "en"}),
        ("Translators (en)", {"en"}),
        ("Reviewers (en)", {"en"}),
        ("Translators (es)", set()),
        ("Reviewers (es)", set()),
    ],
)
def test_a_token_only_for_those_who_may_edit_the_page(client, world, django_user_model, group, allowed):
    client.force_login(user(django_user_model, group))
    for code, page in world.items():
        response = issue(client, page)
        if code in allowed:
            assert response.status_code == 302, (group, code)
            address = urlsplit(response["Location"])
            assert f"{address.scheme}://{address.netloc}{address.path}" == READER + "preview/"
            claim = read_token(parse_qs(address.query)["token"][0])
            page.refresh_from_db()
            assert (claim.page_id, claim.revision_id, claim.locale, claim.kind) == (
                page.pk,
                page.latest_revision_id,
                code,
                "chapter",
            )
            assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        else:
            assert response.status_code == 403, (group, code)
            assert "token" not in response.get("Location", "")


def test_no_token_for_anonymous_visitors(client, world):
    response = issue(client, world["fr"])
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("wagtailadmin_login")


def test_the_preview_panel_offers_the_reader_and_sends_it_there(world, django_user_model):
    chapter = world["en"]
    assert [mode for mode, _label in chapter.preview_modes] == ["", "reader"]
    request = RequestFactory().get("/")
    request.user = user(django_user_model, "Translators (en)")
    response = chapter.make_preview_request(request, "reader")
    assert response.status_code == 302
    assert response["Location"] == reverse("book_reader_preview", args=[chapter.pk])
    # The reading preview of the project's templates stays the default.
    assert chapter.make_preview_request(request, "").status_code == 200
