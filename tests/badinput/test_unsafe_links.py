"""A translator plants a javascript: address in a translation: refused on the way in, never served.

wagtail-localize lets a translator override what is otherwise synchronised (an
embed's address, a link's URL, the address of a link in rich text) through
``PUT /admin/localize/translate/<id>/overrides/<n>/edit/``. Those overrides are
checked like the fields they override; a translation that still holds a bad one
(stored before these checks, or written by other means) cannot be submitted for
review or published from its editor; and whatever is stored, neither the
reviewer's draft view, the translation's preview, the reading pages nor the
API ever emits an address the allow-list refuses.
"""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import Locale, WorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import OverridableSegment, SegmentOverride, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage, ContributorPage
from cms.roles import REVIEWERS, TRANSLATORS, group_name
from tests.api.conftest import api
from tests.badinput.test_injection import Markup
from tests.cms.localization_support import translate_everything
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
)

pytestmark = pytest.mark.django_db

ATTACK = "javascript:alert(document.domain)//https://vimeo.com/1"
# The same scheme, hidden the ways a browser would still read it.
UNSAFE = [
    (ATTACK, "javascript"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("  javascript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("java\nscript:alert(1)", "javascript"),
    ("\x01javascript:alert(1)", "javascript"),
    ("&#106;avascript:alert(1)", "javascript"),
    ("&#x6A;avascript&colon;alert(1)", "javascript"),
    ("&amp;#106;avascript:alert(1)", "javascript"),
]
SOURCE_LINK = "https://example.org/source"
SOURCE_EMBED = "https://vimeo.com/76979871"
SOURCE_REFERENCE = "https://example.org/reference"
SOURCE_CONTRIBUTOR_LINK = "https://example.org/contributor"
SOURCE_BIOGRAPHY_LINK = "https://example.org/biography"


def user_in(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def world(settings, django_user_model):
    """A French chapter and contributor with every kind of address, translated into Spanish as drafts."""
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    english, spanish = (Locale.objects.create(language_code=code) for code in ("en", "es"))
    book = BookPageFactory(title="Le livre")
    chapter = ChapterPageFactory(
        parent=PartPageFactory(parent=book, title="Première partie"),
        title="Le chapitre",
        body=[
            ("paragraph", f'<p>Un <a href="{SOURCE_LINK}">lien</a> à traduire.</p>'),
            ("embed", {"url": SOURCE_EMBED, "title": "Un film", "caption": ""}),
            (
                "bibliography_entry",
                {
                    "author": "Autrice",
                    "title": "Un livre",
                    "publisher": "",
                    "year": None,
                    "url": SOURCE_REFERENCE,
                },
            ),
        ],
    )
    contributor = ContributorPageFactory(
        parent=ContributorIndexPageFactory(parent=book),
        title="Jeanne Exemple",
        biography=f'<p>Voir <a href="{SOURCE_BIOGRAPHY_LINK}">son site</a>.</p>',
        links=[("link", {"label": "Site", "url": SOURCE_CONTRIBUTOR_LINK})],
    )
    for page in (book, chapter.get_parent(), chapter, contributor.get_parent(), contributor):
        page.save_revision().publish()
    call_command("setup_roles", stdout=StringIO(), stderr=StringIO())
    starter = django_user_model.objects.create_superuser("starter", "starter@example.org", "not used")
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(starter, [english, spanish]).create_translations(chapter)
        TranslationCreator(starter, [spanish]).create_translations(contributor)
    return {
        "chapter": chapter,
        "contributor": contributor,
        "spanish": spanish,
        "translator": user_in(django_user_model, "translator-es", group_name(TRANSLATORS, "es")),
        "reviewer": user_in(django_user_model, "reviewer-es", group_name(REVIEWERS, "es")),
    }


def translation_into(world, page):
    source = TranslationSource.objects.get_for_instance(page)
    return Translation.objects.get(source=source, target_locale=world["spanish"])


def segment(translation, source_value):
    """The overridable segment of ``translation`` whose source value is ``source_value``."""
    return OverridableSegment.objects.get(source=translation.source, data_json=json.dumps(source_value))


OVERRIDES = {
    "embed": ("chapter", SOURCE_EMBED),
    "bibliography": ("chapter", SOURCE_REFERENCE),
    "rich text link": ("chapter", SOURCE_LINK),
    "contributor link": ("contributor", SOURCE_CONTRIBUTOR_LINK),
    "biography link": ("contributor", SOURCE_BIOGRAPHY_LINK),
}


def put_override(client, world, kind, value):
    page, source_value = OVERRIDES[kind]
    translation = translation_into(world, world[page])
    overridable = segment(translation, source_value)
    url = reverse("wagtail_localize:edit_override", args=(translation.pk, overridable.pk))
    # As the translation editor sends it: a form, by PUT.
    response = client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)
    return response, SegmentOverride.objects.filter(context=overridable.context, locale=world["spanish"])


def assert_refused(response, stored, scheme):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["parameter"] == "value"
    assert f"“{scheme}:”" in error["message"], error
    assert error["code"] == "unsafe_url_scheme"
    assert not stored.exists()


@pytest.mark.parametrize("kind", list(OVERRIDES))
def test_the_attack_is_refused_on_every_kind_of_override(client, world, kind):
    client.force_login(world["translator"])

    response, stored = put_override(client, world, kind, ATTACK)

    assert_refused(response, stored, "javascript")


@pytest.mark.parametrize(("value", "scheme"), UNSAFE)
@pytest.mark.parametrize("kind", ["embed", "rich text link"])
def test_a_translators_unsafe_override_is_refused_naming_the_problem(client, world, kind, value, scheme):
    client.force_login(world["translator"])

    response, stored = put_override(client, world, kind, value)

    assert_refused(response, stored, scheme)


@pytest.mark.parametrize(
    ("kind", "value", "problem"),
    [
        ("embed", "https://example.org/not-a-video", "No known embed provider serves this address."),
        ("embed", "mailto:someone@example.org", "“mailto:”"),
        ("contributor link", "ftp://files.example.org/cv.pdf", "“ftp:”"),
        ("bibliography", "/relative/address", "Give a full address"),
        ("contributor link", "https:///no-host", "no host name"),
        ("embed", "&#104;ttps://vimeo.com/1", "hides its beginning"),
    ],
)
def test_an_override_passes_the_checks_of_the_field_it_overrides(client, world, kind, value, problem):
    client.force_login(world["translator"])

    response, stored = put_override(client, world, kind, value)

    assert response.status_code == 400
    assert problem in response.json()["error"]["message"]
    assert not stored.exists()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("embed", "https://vimeo.com/1"),
        ("bibliography", "https://example.es/referencia"),
        ("rich text link", "https://example.es/enlace"),
        ("rich text link", "mailto:autora@example.es"),
        ("contributor link", "http://example.es/"),
        ("biography link", "https://example.es/biografia"),
    ],
)
def test_a_public_address_is_accepted_as_an_override(client, world, kind, value):
    client.force_login(world["translator"])

    response, stored = put_override(client, world, kind, value)

    assert response.status_code in (200, 201), response.content
    assert [override.data for override in stored] == [value]


def test_an_override_without_a_value_is_refused(client, world):
    client.force_login(world["translator"])
    translation = translation_into(world, world["chapter"])
    overridable = segment(translation, SOURCE_EMBED)
    url = reverse("wagtail_localize:edit_override", args=(translation.pk, overridable.pk))

    response = client.put(url, encode_multipart(BOUNDARY, {"other": "x"}), content_type=MULTIPART_CONTENT)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "value"


def store_override(world, page, source_value, value):
    """An override written to the database directly, as older data or another tool could have.

    Every text segment is translated, so that nothing but the override stands in the way.
    """
    translation = translation_into(world, world[page])
    translate_everything(translation.source, world["spanish"])
    overridable = segment(translation, source_value)
    SegmentOverride.objects.update_or_create(
        locale=world["spanish"], context=overridable.context, defaults={"data_json": json.dumps(value)}
    )
    return translation


def test_a_translation_holding_an_unsafe_override_is_not_submitted_for_review(client, world):
    translation = store_override(world, "chapter", SOURCE_EMBED, ATTACK)
    spanish_chapter = world["chapter"].get_translation(world["spanish"])
    revisions = spanish_chapter.revisions.count()
    client.force_login(world["translator"])

    response = client.post(reverse("cms_submit_translation_for_review", args=(translation.pk,)), follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any("could not be submitted" in m and "Embed" in m and "“javascript:”" in m for m in messages), (
        messages
    )
    spanish_chapter = ChapterPage.objects.get(pk=spanish_chapter.pk)
    assert spanish_chapter.revisions.count() == revisions
    assert spanish_chapter.current_workflow_state is None
    assert ATTACK not in json.dumps(spanish_chapter.get_latest_revision().content)


def test_a_clean_translation_is_still_submitted_for_review(client, world):
    translation = store_override(world, "chapter", SOURCE_EMBED, "https://vimeo.com/1")
    client.force_login(world["translator"])

    client.post(reverse("cms_submit_translation_for_review", args=(translation.pk,)))

    spanish_chapter = world["chapter"].get_translation(world["spanish"])
    assert spanish_chapter.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "https://vimeo.com/1" in json.dumps(spanish_chapter.get_latest_revision().content)


def test_a_translation_holding_an_unsafe_override_is_not_published_from_its_editor(client, world):
    store_override(world, "contributor", SOURCE_CONTRIBUTOR_LINK, "vbscript:msgbox(1)")
    spanish_contributor = world["contributor"].get_translation(world["spanish"])
    client.force_login(world["reviewer"])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(spanish_contributor.pk,)),
            {"action": "publish"},
            follow=True,
        )

    messages = [str(message) for message in response.context["messages"]]
    assert any("was not published" in m and "Links" in m and "“vbscript:”" in m for m in messages), messages
    assert not ContributorPage.objects.get(pk=spanish_contributor.pk).live


# Stored before the checks: neither the admin's views nor the API let it out.

STORED = {
    ("chapter", SOURCE_EMBED): ATTACK,
    ("chapter", SOURCE_REFERENCE): "data:text/html,<script>alert(1)</script>",
    ("chapter", SOURCE_LINK): "java\tscript:alert(1)",
    ("contributor", SOURCE_CONTRIBUTOR_LINK): " vbscript:msgbox(1)",
    ("contributor", SOURCE_BIOGRAPHY_LINK): "JAVASCRIPT:alert(1)",
}


@pytest.fixture
def planted(world):
    """Every address of the Spanish chapter and contributor overridden with a bad one, written as drafts."""
    for (page, source_value), value in STORED.items():
        translation = store_override(world, page, source_value, value)
    for page in ("chapter", "contributor"):
        translation = translation_into(world, world[page])
        # What wagtail-localize writes, unchecked, when a translation is saved.
        translation.save_target(publish=False)
    return world


def assert_no_unsafe_address(html):
    markup = Markup(html)
    addresses = [value or "" for name, value in markup.attributes if name in ("href", "src", "action")]
    for address in addresses:
        squeezed = "".join(address.split()).lower()
        assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), address
    for value in STORED.values():
        assert value not in addresses


@pytest.mark.parametrize("page", ["chapter", "contributor"])
def test_the_reviewers_draft_view_never_shows_a_stored_unsafe_address(client, planted, page):
    translated = planted[page].get_translation(planted["spanish"])
    client.force_login(planted["reviewer"])

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(translated.pk,)))

    assert response.status_code == 200
    html = response.content.decode()
    assert_no_unsafe_address(html)
    # The text around the addresses is still there.
    assert ("Jeanne Exemple" if page == "contributor" else "Un film") in html


@pytest.mark.parametrize("page", ["chapter", "contributor"])
def test_the_translation_preview_never_shows_a_stored_unsafe_address(client, planted, page):
    translation = translation_into(planted, planted[page])
    client.force_login(planted["translator"])

    response = client.get(reverse("wagtail_localize:preview_translation", args=(translation.pk,)))

    assert response.status_code == 200
    assert_no_unsafe_address(response.content.decode())


def test_the_api_never_serves_a_stored_unsafe_address(client, planted):
    spanish = planted["spanish"]
    for page in ("chapter", "contributor"):
        planted[page].get_translation(spanish).get_latest_revision().publish()

    chapter = client.get(
        api("chapter-detail", ref=planted["chapter"].translation_key), {"locale": "es"}
    ).json()
    contributor = client.get(
        api("contributor-detail", ref=planted["contributor"].translation_key), {"locale": "es"}
    ).json()

    assert (chapter["locale"], contributor["locale"]) == ("es", "es")
    blocks = {block["type"]: block["value"] for block in chapter["body"]}
    assert blocks["embed"]["url"] == ""
    assert blocks["embed"]["title"] == "Un film"
    assert blocks["bibliography_entry"]["url"] == ""
    assert_no_unsafe_address(blocks["paragraph"])
    assert "lien" in blocks["paragraph"]
    assert contributor["links"] == [{"label": "Site", "url": ""}]
    assert_no_unsafe_address(contributor["biography"])
    served = json.dumps([chapter, contributor]).lower()
    for value in STORED.values():
        assert json.dumps(value)[1:-1].lower() not in served
