"""Role x language x action: every cell of the permission matrix, allowed or refused.

Two tables, each checked cell by cell:

- RIGHTS, the rights of :mod:`cms.permissions` (``can``/``user_locales``) that
  the localization queue and the offline tools ask before acting;
- ADMIN_RIGHTS, what the admin itself lets each role do, through its real
  URLs: the page editor (for the French source) or wagtail-localize's
  translation editor (for a translation), its segment API, publishing,
  submitting to the language's review workflow and approving there, deleting
  a page (alone or as a bulk action), and the same for a city, whose snippet permissions know nothing of languages.

To cover a new admin action, write a probe (``probe_<action>(client, world,
locale) -> bool``, true when the action took effect, asserting the refusal
a client sees otherwise), register it in PROBES, and add the action to the
cells of ADMIN_RIGHTS where it is allowed; every other cell is then proved
refused.
"""

import json
from dataclasses import dataclass
from functools import partial
from io import StringIO
from itertools import product

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.models import Locale, Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage, City
from cms.permissions import ACTIONS, can, user_locales
from cms.review import submit_translation_for_review
from tests.cms.localization_support import translate_everything
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db

LOCALES = ("fr", "en", "es")
TRANSLATOR = {"view_queue", "edit", "start", "submit", "po_download", "po_upload", "sync"}
EVERYTHING = set(ACTIONS)

# role -> language -> the actions allowed there; every cell not listed is refused.
RIGHTS = {
    "editor": {"fr": EVERYTHING, "en": EVERYTHING, "es": EVERYTHING},
    "reviewer-en": {"en": EVERYTHING},
    "translator-en": {"en": TRANSLATOR},
    "reviewer-es": {"es": EVERYTHING},
    "translator-es": {"es": TRANSLATOR},
    "reviewer-fr": {},
    "author-fr": {},
    "no role": {},
}

GROUPS = {
    "editor": "Editors",
    "reviewer-en": "Reviewers (en)",
    "translator-en": "Translators (en)",
    "reviewer-es": "Reviewers (es)",
    "translator-es": "Translators (es)",
    "reviewer-fr": "Reviewers",
    "author-fr": "Authors",
    "no role": None,
}

ADMIN_ACTIONS = (
    "open_page",
    "save_page",
    "submit_page",
    "publish_page",
    "approve_page",
    "delete_page",
    "bulk_delete_page",
    "open_city",
    "save_city",
    "submit_city",
    "approve_city",
    "publish_city",
    "unpublish_city",
)
ALL_ADMIN = set(ADMIN_ACTIONS)
# Translators write drafts; they never delete pages, alone or in bulk, not even their language's drafts.
ADMIN_TRANSLATOR = {"open_page", "save_page", "submit_page", "open_city", "save_city", "submit_city"}

ADMIN_RIGHTS = {
    "editor": {"fr": ALL_ADMIN, "en": ALL_ADMIN, "es": ALL_ADMIN},
    "reviewer-en": {"en": ALL_ADMIN},
    "translator-en": {"en": ADMIN_TRANSLATOR},
    "reviewer-es": {"es": ALL_ADMIN},
    "translator-es": {"es": ADMIN_TRANSLATOR},
}


def setup_roles():
    with django_translation.override("en"):
        call_command("setup_roles", stdout=StringIO(), stderr=StringIO())


def make_user(django_user_model, role):
    username = role.replace(" ", "-")
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    if GROUPS[role]:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user


@pytest.mark.parametrize(
    ("role", "locale", "action"),
    list(product(RIGHTS, LOCALES, ACTIONS)),
)
def test_rights_matrix(role, locale, action, world, django_user_model):
    user = make_user(django_user_model, role)

    assert can(user, action, locale) is (action in RIGHTS[role].get(locale, set()))


@pytest.mark.parametrize("role", list(RIGHTS))
def test_user_locales_lists_the_languages_of_each_right(role, world, django_user_model, settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    user = make_user(django_user_model, role)

    for action in ACTIONS:
        expected = {code for code in LOCALES if action in RIGHTS[role].get(code, set())}
        assert user_locales(user, action) == expected


def test_superusers_may_do_everything_and_inactive_users_nothing(world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "not used")
    inactive = make_user(django_user_model, "reviewer-en")
    inactive.is_active = False

    assert all(can(superuser, action, code) for action in ACTIONS for code in LOCALES)
    assert not any(can(inactive, action, code) for action in ACTIONS for code in LOCALES)


def test_an_unknown_action_is_a_programming_error(django_user_model):
    with pytest.raises(ValueError, match="Unknown action"):
        can(make_user(django_user_model, "no role"), "delete_everything", "en")


# The admin, through its real URLs.


@dataclass
class World:
    """A French book with a chapter and a city, translated into English and Spanish as drafts.

    Every segment has a translation (its French text, kept as it is), so that each
    translation is complete enough to be submitted and published.
    """

    chapters: dict
    cities: dict
    translations: dict
    submitter: object

    def chapter(self, locale):
        return ChapterPage.objects.get(pk=self.chapters[locale])

    def city(self, locale):
        return City.objects.get(pk=self.cities[locale])


def build_world():
    english, spanish = (Locale.objects.create(language_code=code) for code in ("en", "es"))
    book = BookPageFactory(title="Le livre")
    chapter = ChapterPageFactory(
        parent=PartPageFactory(parent=book, title="Première partie"),
        title="Le chapitre",
        body=[("paragraph", "<p>Un paragraphe à traduire.</p>")],
    )
    city = CityFactory(name="Cannes", country="France")
    setup_roles()
    starter = get_user_model().objects.create_superuser("starter", "starter@example.org", "not used")
    with TestCase.captureOnCommitCallbacks(execute=True):
        creator = TranslationCreator(starter, [english, spanish])
        for instance in (book, chapter.get_parent(), chapter, city):
            creator.create_translations(instance)

    chapters, cities, translations = {"fr": chapter.pk}, {"fr": city.pk}, {}
    for code, locale in (("en", english), ("es", spanish)):
        chapters[code] = chapter.get_translation(locale).pk
        cities[code] = city.get_translation(locale).pk
        for kind, instance in (("chapter", chapter), ("city", city)):
            source = TranslationSource.objects.get_for_instance(instance)
            translations[kind, code] = Translation.objects.get(source=source, target_locale=locale).pk
            translate_everything(source, locale)
    return World(chapters=chapters, cities=cities, translations=translations, submitter=starter)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after its last test.

    Each test runs in a savepoint of that transaction (pytest-django's usual
    per-test rollback), so every cell starts from the same world.
    """
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def post_and_commit(client, url, data=None):
    """Post as a browser would, then run what the view left for after the commit (wagtail-localize publishes then)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def is_refused_by_the_admin(response):
    """The admin refuses a page or snippet view with a redirect to its home, an API call with 403."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def chapter_form(title, **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": "le-chapitre",
            "contributor_links": inline_formset([]),
            "theme_links": inline_formset([]),
            "sector_links": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Un paragraphe revu.</p>"))]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def city_form(name, **fields):
    return {"name": name, "slug": "cannes", "country": "France", "creative_field": "film", **fields}


def translate_segment(client, world, kind, locale, source_text, value):
    translation = Translation.objects.get(pk=world.translations[kind, locale])
    segment = StringSegment.objects.get(source=translation.source, string__data=source_text)
    url = reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment.pk))
    # As the translation editor sends it: a form, by PUT.
    response = client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)
    done = StringTranslation.objects.filter(
        translation_of=segment.string, locale=translation.target_locale, data=value
    ).exists()
    assert done is (response.status_code in (200, 201)), response.status_code
    assert done or is_refused_by_the_admin(response)
    return done


def page_edit(world, locale):
    return reverse("wagtailadmin_pages:edit", args=(world.chapters[locale],))


def city_edit(world, locale):
    return reverse("wagtailsnippets_book_city:edit", args=(world.cities[locale],))


def probe_open_page(client, world, locale):
    response = client.get(page_edit(world, locale))
    if response.status_code == 200:
        # A translation opens in wagtail-localize's translation editor, the source in the page editor.
        assert ("js-translation-editor" in response.content.decode()) is (locale != "fr")
        return True
    assert is_refused_by_the_admin(response)
    return False


def probe_save_page(client, world, locale):
    if locale != "fr":
        return translate_segment(client, world, "chapter", locale, "Le chapitre", f"Chapter ({locale})")
    response = post_and_commit(client, page_edit(world, locale), chapter_form("Le chapitre revu"))
    saved = world.chapter(locale).get_latest_revision_as_object().title == "Le chapitre revu"
    assert saved or is_refused_by_the_admin(response)
    return saved


# How the submit and approve probes reach each kind: the translated object, its source
# editor and its source form, and the name of its workflow-action view.
REVIEWED = {
    "chapter": (World.chapter, page_edit, chapter_form, "Le chapitre", "wagtailadmin_pages:workflow_action"),
    "city": (World.city, city_edit, city_form, "Cannes", "wagtailsnippets_book_city:workflow_action"),
}


def probe_submit(kind, client, world, locale):
    get, edit, form, name, _action = REVIEWED[kind]
    if locale != "fr":
        url = reverse("cms_submit_translation_for_review", args=(world.translations[kind, locale],))
        response = post_and_commit(client, url)
    else:
        response = post_and_commit(client, edit(world, locale), form(name, **{"action-submit": "1"}))
    state = get(world, locale).current_workflow_state
    submitted = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert submitted or is_refused_by_the_admin(response)
    return submitted


def probe_approve(kind, client, world, locale):
    get, _edit, _form, _name, action = REVIEWED[kind]
    instance = get(world, locale)
    if locale != "fr":
        translation = Translation.objects.get(pk=world.translations[kind, locale])
        submit_translation_for_review(translation, world.submitter)
    else:
        instance.save_revision(user=world.submitter)
        instance.get_workflow().start(instance, world.submitter)
    task_state = get(world, locale).current_workflow_task_state
    response = post_and_commit(
        client, reverse(action, args=(instance.pk, "approve", task_state.pk)), {"comment": ""}
    )
    state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    approved = state.status == WorkflowState.STATUS_APPROVED and get(world, locale).live
    assert approved or (
        is_refused_by_the_admin(response) and state.status == WorkflowState.STATUS_IN_PROGRESS
    )
    return approved


def probe_publish_page(client, world, locale):
    if locale != "fr":
        response = post_and_commit(client, page_edit(world, locale), {"action": "publish"})
        expected_title = "Le chapitre"
    else:
        expected_title = "Le chapitre publié"
        response = post_and_commit(
            client, page_edit(world, locale), chapter_form(expected_title, **{"action-publish": "1"})
        )
    chapter = world.chapter(locale)
    published = (
        chapter.live
        and chapter.live_revision is not None
        and chapter.live_revision.as_object().title == expected_title
    )
    assert published or is_refused_by_the_admin(response)
    return published


def probe_delete_page(client, world, locale):
    # Translations are drafts (a translator's "change" used to be enough to delete them); the source is live.
    url = reverse("wagtailadmin_pages:delete", args=(world.chapters[locale],))
    confirmation = client.get(url)
    response = post_and_commit(client, url)
    deleted = not Page.objects.filter(pk=world.chapters[locale]).exists()
    # The confirmation page is refused exactly where deleting is.
    assert (confirmation.status_code == 200) is deleted
    assert deleted or is_refused_by_the_admin(response)
    return deleted


def probe_bulk_delete_page(client, world, locale):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    url = f"{url}?id={world.chapters[locale]}"
    confirmation = client.get(url)
    response = post_and_commit(client, url)
    deleted = not Page.objects.filter(pk=world.chapters[locale]).exists()
    if not deleted:
        # The bulk action lists the pages it may not delete, offers none of them, and deletes none.
        assert response.status_code in (200, 302)
        assert not confirmation.context["items"]
        assert [item["item"].pk for item in confirmation.context["items_with_no_access"]] == [
            world.chapters[locale]
        ]
    return deleted


def probe_open_city(client, world, locale):
    response = client.get(city_edit(world, locale))
    if response.status_code == 200:
        assert ("js-translation-editor" in response.content.decode()) is (locale != "fr")
        return True
    assert is_refused_by_the_admin(response)
    return False


def probe_save_city(client, world, locale):
    if locale != "fr":
        return translate_segment(client, world, "city", locale, "France", f"France ({locale})")
    response = post_and_commit(client, city_edit(world, locale), city_form("Cannes la ville"))
    saved = world.city(locale).get_latest_revision_as_object().name == "Cannes la ville"
    assert saved or is_refused_by_the_admin(response)
    return saved


def probe_publish_city(client, world, locale):
    if locale != "fr":
        response = post_and_commit(client, city_edit(world, locale), {"action": "publish"})
        expected_name = "Cannes"
    else:
        expected_name = "Cannes publiée"
        response = post_and_commit(
            client, city_edit(world, locale), city_form(expected_name, **{"action-publish": "1"})
        )
    city = world.city(locale)
    published = (
        city.live and city.live_revision is not None and city.live_revision.as_object().name == expected_name
    )
    assert published or is_refused_by_the_admin(response)
    return published


def probe_unpublish_city(client, world, locale):
    City.objects.filter(pk=world.cities[locale]).update(live=True)
    url = reverse("wagtailsnippets_book_city:unpublish", args=[world.cities[locale]])
    confirmation = client.get(url)
    response = post_and_commit(client, url, {})
    unpublished = not world.city(locale).live
    # The confirmation page is refused exactly where unpublishing is.
    assert (confirmation.status_code == 200) is unpublished
    assert unpublished or is_refused_by_the_admin(response)
    return unpublished


PROBES = {
    "open_page": probe_open_page,
    "save_page": probe_save_page,
    "submit_page": partial(probe_submit, "chapter"),
    "publish_page": probe_publish_page,
    "approve_page": partial(probe_approve, "chapter"),
    "delete_page": probe_delete_page,
    "bulk_delete_page": probe_bulk_delete_page,
    "open_city": probe_open_city,
    "save_city": probe_save_city,
    "submit_city": partial(probe_submit, "city"),
    "approve_city": partial(probe_approve, "city"),
    "publish_city": probe_publish_city,
    "unpublish_city": probe_unpublish_city,
}


@pytest.mark.parametrize(("role", "locale", "action"), list(product(ADMIN_RIGHTS, LOCALES, ADMIN_ACTIONS)))
def test_admin_matrix(role, locale, action, world, client, django_user_model):
    client.force_login(make_user(django_user_model, role))

    took_effect = PROBES[action](client, world, locale)

    assert took_effect is (action in ADMIN_RIGHTS[role].get(locale, set()))


@pytest.mark.parametrize(
    ("role", "offered"), [("translator-es", False), ("reviewer-es", True), ("editor", True)]
)
def test_the_page_listing_offers_delete_and_move_only_to_those_who_may(
    role, offered, world, client, django_user_model
):
    client.force_login(make_user(django_user_model, role))
    chapter = world.chapter("es")
    delete_url = reverse("wagtailadmin_pages:delete", args=(chapter.pk,))
    move_url = reverse("wagtailadmin_pages:move", args=(chapter.pk,))

    listing = client.get(reverse("wagtailadmin_explore", args=(chapter.get_parent().pk,)))
    editor = client.get(page_edit(world, "es"))

    assert listing.status_code == 200
    assert editor.status_code == 200
    html = listing.content.decode()
    assert (delete_url in html) is offered
    assert (move_url in html) is offered
    # wagtail-localize's translation editor offers "Delete" when its props say so.
    props = json.loads(editor.context["props"])
    assert props["perms"]["canDelete"] is offered
    assert (client.get(move_url).status_code == 200) is offered


def test_authors_still_delete_their_own_drafts_and_only_those(world, client, django_user_model):
    author = make_user(django_user_model, "author-fr")
    parent = world.chapter("fr").get_parent()
    own = ChapterPageFactory(parent=parent, title="Mon brouillon", live=False, owner=author)
    others = ChapterPageFactory(parent=parent, title="Le brouillon d'un autre", live=False)
    client.force_login(author)

    post_and_commit(client, reverse("wagtailadmin_pages:delete", args=(others.pk,)))
    post_and_commit(client, reverse("wagtailadmin_pages:delete", args=(own.pk,)))

    assert Page.objects.filter(pk=others.pk).exists()
    assert not Page.objects.filter(pk=own.pk).exists()
