"""Privacy follows translations: a section made private in French is private in every language.

Set, changed and removed through the admin's privacy dialog as an editor; seen
through the public API in English and Spanish, and in the change feed.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction
from wagtail_localize.models import TranslationSource

from api.webhooks.models import ChangeEvent
from cms.models import MirroredViewRestriction
from cms.roles import EDITORS, REVIEWERS, apply_role, editors, group_name, reviewers
from tests.api.conftest import api, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(book):
    locale = Locale.objects.get_or_create(language_code="es")[0]
    return SimpleNamespace(
        locale=locale,
        book=translate(book.book, locale, title="IA y creación", slug="ia-y-creacion"),
        part_one=translate(book.part_one, locale, title="Prácticas", slug="practicas"),
        first=translate(book.first, locale, title="Escribir con la máquina", slug="escribir-con-la-maquina"),
    )


@pytest.fixture
def editor_admin(django_user_model):
    """The admin, signed in as a member of Editors (not a superuser)."""
    apply_role(editors())
    user = django_user_model.objects.create_user("editrice", "editrice@example.org", "not used")
    user.groups.add(Group.objects.get(name=EDITORS))
    admin = Client()
    admin.force_login(user)
    return admin


def set_privacy(admin, page, restriction_type, **fields):
    """The admin's "Privacy" dialog on ``page``, submitted."""
    response = admin.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
        {"restriction_type": restriction_type, **fields},
    )
    assert response.status_code == 200, response.content
    assert response.json()["step"] == "set_privacy_done", response.content
    return response


def restriction_of(page):
    """(kind, password, group names) of the restriction set on ``page`` itself, or None."""
    restriction = PageViewRestriction.objects.filter(page=page).first()
    if restriction is None:
        return None
    return (
        restriction.restriction_type,
        restriction.password,
        sorted(restriction.groups.values_list("name", flat=True)),
    )


def visible(client, book, code, chapter, part):
    """Where a reader of ``code`` sees the chapter and its part: detail, list, table of contents, search."""
    detail = client.get(api("chapter-detail", ref=chapter.translation_key), {"locale": code})
    by_slug = client.get(api("chapter-detail", ref=chapter.slug), {"locale": code})
    listed = client.get(api("chapter-list"), {"locale": code, "page_size": 100}).json()["results"]
    toc = client.get(api("book-detail", ref=book.book.translation_key), {"locale": code}).json()["toc"]
    found = client.get(api("search"), {"q": chapter.title.split()[0], "locale": code}).json()["results"]
    return {
        # The language served by key (another one is a fallback), or None when none is public.
        "detail": detail.json()["locale"] if detail.status_code == 200 else detail.status_code,
        "by_slug": by_slug.status_code,
        "listed": chapter.slug in [item["slug"] for item in listed],
        "toc": part.slug in [item["slug"] for item in toc],
        "search": chapter.slug in [item["slug"] for item in found],
    }


def hidden(fallback=404):
    return {"detail": fallback, "by_slug": 404, "listed": False, "toc": False, "search": False}


def shown(code):
    return {"detail": code, "by_slug": 200, "listed": True, "toc": True, "search": True}


def feed(client, code):
    response = client.get(api("changes"), {"locale": code})
    assert response.status_code == 200, response.content
    return [(item["event"], item["type"], item["key"]) for item in response.json()["results"]]


def test_a_french_section_made_private_in_the_admin_is_private_in_english_and_spanish(
    client, book, spanish, editor_admin
):
    languages = {"en": (book.en_first, book.en_part_one), "es": (spanish.first, spanish.part_one)}
    for code, (chapter, part) in languages.items():
        assert visible(client, book, code, chapter, part) == shown(code), code
    ChangeEvent.objects.all().delete()

    set_privacy(editor_admin, book.part_one, "password", password="secret")

    for page in (book.part_one, book.en_part_one, spanish.part_one):
        assert restriction_of(page) == ("password", "secret", []), page.locale
    for code, (chapter, part) in languages.items():
        assert visible(client, book, code, chapter, part) == hidden(), code
        assert feed(client, code) == [
            ("unpublished", "part", str(part.translation_key)),
            ("unpublished", "chapter", str(chapter.translation_key)),
        ], code
    assert client.get(api("chapter-detail", ref=book.first.slug)).status_code == 404


def test_a_change_to_the_source_s_privacy_is_made_to_its_translations(client, book, spanish, editor_admin):
    reviewers = Group.objects.create(name="Relecture")
    set_privacy(editor_admin, book.part_one, "password", password="secret")
    ChangeEvent.objects.all().delete()

    set_privacy(editor_admin, book.part_one, "groups", groups=[reviewers.pk])

    for page in (book.en_part_one, spanish.part_one):
        assert restriction_of(page) == ("groups", "", ["Relecture"]), page.locale
    # Private all the same: nothing to tell the public.
    assert ChangeEvent.objects.count() == 0

    set_privacy(editor_admin, book.part_one, "login")

    for page in (book.en_part_one, spanish.part_one):
        assert restriction_of(page) == ("login", "", []), page.locale
    assert visible(client, book, "es", spanish.first, spanish.part_one) == hidden()


def test_a_restriction_removed_from_the_source_is_removed_from_its_translations(
    client, book, spanish, editor_admin
):
    set_privacy(editor_admin, book.part_one, "login")
    ChangeEvent.objects.all().delete()

    set_privacy(editor_admin, book.part_one, "none")

    assert PageViewRestriction.objects.count() == 0
    languages = {"en": (book.en_first, book.en_part_one), "es": (spanish.first, spanish.part_one)}
    for code, (chapter, part) in languages.items():
        assert visible(client, book, code, chapter, part) == shown(code), code
        assert feed(client, code) == [
            ("published", "part", str(part.translation_key)),
            ("published", "chapter", str(chapter.translation_key)),
        ], code


def test_a_translation_given_a_privacy_of_its_own_keeps_it(client, book, spanish, editor_admin):
    set_privacy(editor_admin, book.part_one, "login")
    set_privacy(editor_admin, spanish.part_one, "password", password="solo-es")

    set_privacy(editor_admin, book.part_one, "password", password="secret")
    assert restriction_of(spanish.part_one) == ("password", "solo-es", [])
    assert restriction_of(book.en_part_one) == ("password", "secret", [])

    set_privacy(editor_admin, book.part_one, "none")

    assert restriction_of(spanish.part_one) == ("password", "solo-es", [])
    assert restriction_of(book.en_part_one) is None
    # Spanish readers are served the French chapter, now public, never the Spanish one.
    assert visible(client, book, "es", spanish.first, spanish.part_one) == hidden(fallback="fr")
    assert visible(client, book, "en", book.en_first, book.en_part_one) == shown("en")

    # Made private in French again: Spanish still keeps its own.
    set_privacy(editor_admin, book.part_one, "login")
    assert restriction_of(spanish.part_one) == ("password", "solo-es", [])
    assert restriction_of(book.en_part_one) == ("login", "", [])


def test_a_translation_private_on_its_own_while_its_source_is_public_stays_private(
    client, book, spanish, editor_admin
):
    set_privacy(editor_admin, spanish.part_one, "login")

    set_privacy(editor_admin, book.part_one, "password", password="secret")
    set_privacy(editor_admin, book.part_one, "none")

    assert restriction_of(spanish.part_one) == ("login", "", [])
    assert restriction_of(book.en_part_one) is None


def test_a_translation_set_back_to_its_source_s_privacy_follows_it_again(book, spanish, editor_admin):
    set_privacy(editor_admin, book.part_one, "login")
    set_privacy(editor_admin, spanish.part_one, "password", password="solo-es")
    set_privacy(editor_admin, spanish.part_one, "login")

    set_privacy(editor_admin, book.part_one, "none")

    assert restriction_of(spanish.part_one) is None


def test_a_translation_made_later_starts_with_its_source_s_privacy(book, editor_admin):
    set_privacy(editor_admin, book.part_two, "password", password="secret")

    en_part_two = translate(book.part_two, book.english, title="Distribution", slug="distribution")

    assert restriction_of(en_part_two) == ("password", "secret", [])
    set_privacy(editor_admin, book.part_two, "none")
    assert restriction_of(en_part_two) is None


def test_wagtail_localize_s_sync_leaves_a_translation_s_own_privacy_alone(book, spanish, editor_admin):
    source = TranslationSource.get_or_create_from_instance(book.part_one)[0]
    set_privacy(editor_admin, spanish.part_one, "password", password="solo-es")

    # What wagtail-localize does to each translation it saves or updates.
    source.update_target_view_restrictions(spanish.locale)
    assert restriction_of(spanish.part_one) == ("password", "solo-es", [])

    set_privacy(editor_admin, book.part_one, "login")
    source.update_target_view_restrictions(spanish.locale)
    source.update_target_view_restrictions(book.english)
    assert restriction_of(spanish.part_one) == ("password", "solo-es", [])
    assert restriction_of(book.en_part_one) == ("login", "", [])


def test_a_restriction_wagtail_localize_copies_onto_a_translation_follows_its_source(book, editor_admin):
    set_privacy(editor_admin, book.part_one, "login")
    PageViewRestriction.objects.filter(page=book.en_part_one).delete()
    source = TranslationSource.get_or_create_from_instance(book.part_one)[0]

    source.update_target_view_restrictions(book.english)
    assert restriction_of(book.en_part_one) == ("login", "", [])

    set_privacy(editor_admin, book.part_one, "none")
    assert restriction_of(book.en_part_one) is None


def test_the_source_and_its_translations_change_together_or_not_at_all(
    client, book, spanish, editor_admin, monkeypatch
):
    from cms import privacy

    mirror = privacy.mirror

    def fails_for_spanish(source_page, translation):
        if translation.locale_id == spanish.locale.pk:
            raise RuntimeError("the database went away")
        return mirror(source_page, translation)

    monkeypatch.setattr(privacy, "mirror", fails_for_spanish)
    with pytest.raises(RuntimeError):
        set_privacy(editor_admin, book.part_one, "login")

    assert PageViewRestriction.objects.count() == 0
    assert MirroredViewRestriction.objects.count() == 0
    assert ChangeEvent.objects.filter(event="unpublished").count() == 0
    assert visible(client, book, "fr", book.first, book.part_one) == shown("fr")


def test_the_cdn_is_purged_of_the_translations_a_french_section_hides(
    book, spanish, editor_admin, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from api import cdn

    purged = []
    monkeypatch.setattr(cdn, "purge_urls_from_cache", purged.extend)
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "api.cdn.HTTPPurgeBackend", "LOCATION": "http://x"}
    }

    client = Client()
    for chapter, code in ((book.en_first, "en"), (spanish.first, "es")):
        for ref in (chapter.translation_key, chapter.slug):
            assert client.get(f"/api/v1/chapters/{ref}/", {"locale": code}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        set_privacy(editor_admin, book.part_one, "login")

    for chapter, code in ((book.en_first, "en"), (spanish.first, "es")):
        assert f"https://api.example.org/api/v1/chapters/{chapter.translation_key}/?locale={code}" in purged
        assert f"https://api.example.org/api/v1/chapters/{chapter.slug}/?locale={code}" in purged


def test_a_private_chapter_translated_inside_a_private_part_stays_private_when_the_part_opens(
    client, book, editor_admin
):
    from tests.factories import ChapterPageFactory

    chapter = ChapterPageFactory(parent=book.part_one, title="Inédit", slug="inedit")
    set_privacy(editor_admin, chapter, "password", password="embargo")
    set_privacy(editor_admin, book.part_one, "login")
    en_chapter = translate(chapter, book.english, title="Unreleased", slug="unreleased")

    set_privacy(editor_admin, book.part_one, "none")

    assert restriction_of(en_chapter) == ("password", "embargo", [])
    assert client.get(api("chapter-detail", ref="unreleased"), {"locale": "en"}).status_code == 404


def test_only_editors_make_a_translation_s_privacy_differ_from_its_source_s(
    book, editor_admin, django_user_model
):
    # A language's reviewers publish its pages, which Wagtail takes as the right to set their privacy:
    # they could otherwise open, in their language, a section the editors made private.
    apply_role(reviewers("en"))
    user = django_user_model.objects.create_user("relecteur", "relecteur@example.org", "not used")
    user.groups.add(Group.objects.get(name=group_name(REVIEWERS, "en")))
    reviewer = Client()
    reviewer.force_login(user)
    set_privacy(editor_admin, book.part_one, "password", password="secret")

    response = reviewer.post(
        reverse("wagtailadmin_pages:set_privacy", args=[book.en_part_one.pk]), {"restriction_type": "none"}
    )

    assert response.status_code in (302, 403)
    assert restriction_of(book.en_part_one) == ("password", "secret", [])
    # Their publishing rights are otherwise untouched.
    assert book.en_part_one.permissions_for_user(user).can_publish()
