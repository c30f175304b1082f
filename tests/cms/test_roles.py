"""The teams of each language: their groups, their books, their review workflow, and the way to publication.

A translator translates in wagtail-localize's editor and submits for review;
a reviewer of that language approves, which publishes; a reviewer of another
language cannot.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail_localize.operations import TranslationCreator

from book.models import City
from cms.permissions import (
    LocaleConfinedPermissionPolicy,
    locale_direction,
    translatable_locales,
    translators_of,
)
from cms.roles import language_review_workflow
from tests.cms.test_permissions_matrix import World, build_world, make_user, translate_segment
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db

TARGETS = ["en", "es", "ar", "zh-hans", "ru"]


@pytest.fixture(autouse=True)
def book_languages(settings):
    settings.BOOK_TARGET_LANGUAGES = TARGETS


def setup_roles():
    out, err = StringIO(), StringIO()
    with django_translation.override("en"):
        call_command("setup_roles", stdout=out, stderr=err)
    return out.getvalue()


def counts():
    return {
        "groups": Group.objects.count(),
        "group permissions": sum(group.permissions.count() for group in Group.objects.all()),
        "page permissions": GroupPagePermission.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
        "workflow pages": WorkflowPage.objects.count(),
    }


def test_setup_roles_creates_a_translators_and_a_reviewers_group_per_target_language():
    output = setup_roles()

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Reviewers", "Authors"} <= names
    for code in TARGETS:
        assert {f"Translators ({code})", f"Reviewers ({code})"} <= names
        assert f"Created group 'Translators ({code})'" in output
        assert language_review_workflow(code) is not None
    assert "Translators (fr)" not in names


def test_setup_roles_is_idempotent_and_says_what_it_found(django_assert_max_num_queries):
    BookPageFactory(locale=Locale.objects.create(language_code="en"))
    setup_roles()
    after_first = counts()

    # A constant cost per role and per language, whatever the book holds.
    with django_assert_max_num_queries(150):
        second_output = setup_roles()

    assert counts() == after_first
    assert "Created" not in second_output
    assert "granted" not in second_output
    assert "Found group 'Translators (en)'" in second_output
    # Names are stored in English and shown in the language the command speaks (English here).
    assert "Found workflow 'Translation review (en)'" in second_output
    assert "already assigned to" in second_output


def test_each_target_book_gets_its_own_translation_review_approved_by_its_reviewers_and_the_editors():
    french_book = BookPageFactory()
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))
    spanish_book = BookPageFactory(locale=Locale.objects.create(language_code="es"))

    setup_roles()

    english_review = language_review_workflow("en")
    assert english_book.get_workflow() == english_review
    assert spanish_book.get_workflow() == language_review_workflow("es")
    assert french_book.get_workflow() == language_review_workflow(None)
    [task] = english_review.tasks.specific()
    assert set(task.groups.values_list("name", flat=True)) == {"Reviewers (en)", "Editors"}


def test_translators_hold_change_only_on_their_language_books():
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))
    BookPageFactory(locale=Locale.objects.create(language_code="es"))
    setup_roles()

    grants = GroupPagePermission.objects.filter(group__name="Translators (en)")

    assert {(grant.page_id, grant.permission.codename) for grant in grants} == {
        (english_book.pk, "change_page")
    }


def test_a_book_created_later_gets_its_language_roles_and_review_at_once(django_user_model):
    setup_roles()
    translator = make_user(django_user_model, "translator-en")

    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))

    assert english_book.get_workflow() == language_review_workflow("en")
    chapter = ChapterPageFactory(parent=PartPageFactory(parent=english_book), live=False)
    assert chapter.permissions_for_user(translator).can_edit()
    assert not chapter.permissions_for_user(translator).can_publish()


def test_a_book_created_before_any_setup_creates_no_group():
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))

    assert not Group.objects.filter(name__contains="(en)").exists()
    assert not WorkflowPage.objects.filter(page=english_book).exists()


def test_a_book_translated_by_wagtail_localize_is_open_to_its_translators(django_user_model):
    french_book = BookPageFactory()
    setup_roles()
    translator = make_user(django_user_model, "translator-en")
    english = Locale.objects.create(language_code="en")

    TranslationCreator(translator, [english]).create_translations(french_book)

    english_book = french_book.get_translation(english)
    assert english_book.permissions_for_user(translator).can_edit()
    assert english_book.get_workflow() == language_review_workflow("en")


def test_a_new_translation_starts_as_a_draft(django_user_model):
    """Until reviewed, a translation must not reach readers: the project's settings must say so."""
    french_book = BookPageFactory()
    starter = django_user_model.objects.create_superuser("starter", "starter@example.org", "not used")
    english = Locale.objects.create(language_code="en")

    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(starter, [english]).create_translations(french_book)

    assert not french_book.get_translation(english).live


# The way to publication, through the admin.


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    return build_world()


def submit_url(world, locale="en", kind="chapter"):
    return reverse("cms_submit_translation_for_review", args=(world.translations[kind, locale],))


def approve(client, chapter, action="approve", comment=""):
    task_state = chapter.current_workflow_task_state
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, action, task_state.pk)),
            {"comment": comment},
        )


def approve_city(client, city):
    task_state = city.current_workflow_task_state
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("wagtailsnippets_book_city:workflow_action", args=(city.pk, "approve", task_state.pk)),
            {"comment": ""},
        )


def test_a_translator_translates_submits_and_the_reviewer_publishes(world: World, client, django_user_model):
    translator = make_user(django_user_model, "translator-en")
    reviewer = make_user(django_user_model, "reviewer-en")
    client.force_login(translator)
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=(world.chapters["en"],)))
    assert submit_url(world) in editor_page.content.decode()

    assert translate_segment(client, world, "chapter", "en", "Le chapitre", "The chapter")
    assert translate_segment(client, world, "chapter", "en", "Un paragraphe à traduire.", "A paragraph.")
    response = client.post(submit_url(world))

    assert response.status_code == 302
    chapter = world.chapter("en")
    assert not chapter.live
    state = chapter.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == language_review_workflow("en")
    assert state.requested_by == translator

    client.force_login(reviewer)
    assert approve(client, chapter).status_code == 302

    chapter = world.chapter("en")
    assert chapter.live
    assert chapter.title == "The chapter"
    assert "A paragraph." in str(chapter.body)
    assert TaskState.objects.get(workflow_state=state).finished_by == reviewer


def test_a_live_translation_under_review_keeps_serving_its_published_text(world, client, django_user_model):
    published = world.chapter("en")
    published.save_revision().publish()
    published_title = world.chapter("en").title
    api_url = reverse("api:chapter-detail", args=(published.translation_key,)) + "?locale=en"
    translator = make_user(django_user_model, "translator-en")
    client.force_login(translator)
    assert translate_segment(client, world, "chapter", "en", "Le chapitre", "The reviewed chapter")

    client.post(submit_url(world))

    chapter = world.chapter("en")
    assert chapter.live and chapter.has_unpublished_changes
    assert chapter.title == published_title
    assert chapter.get_latest_revision_as_object().title == "The reviewed chapter"
    assert chapter.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(api_url).json()["title"] == published_title

    client.force_login(make_user(django_user_model, "reviewer-en"))
    approve(client, chapter)
    assert world.chapter("en").title == "The reviewed chapter"
    assert client.get(api_url).json()["title"] == "The reviewed chapter"


def test_a_reviewer_of_another_language_cannot_approve_english_work(world, client, django_user_model):
    client.force_login(make_user(django_user_model, "translator-en"))
    client.post(submit_url(world))

    client.force_login(make_user(django_user_model, "reviewer-es"))
    response = approve(client, world.chapter("en"))

    assert response.url == reverse("wagtailadmin_home")
    chapter = world.chapter("en")
    assert not chapter.live
    assert chapter.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_rejected_translation_goes_back_to_its_translator_and_can_be_submitted_again(
    world, client, django_user_model
):
    translator = make_user(django_user_model, "translator-en")
    client.force_login(translator)
    client.post(submit_url(world))
    client.force_login(make_user(django_user_model, "reviewer-en"))
    approve(client, world.chapter("en"), "reject", "Please translate the title.")
    state = world.chapter("en").current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Please translate the title."

    client.force_login(translator)
    translate_segment(client, world, "chapter", "en", "Le chapitre", "The chapter")
    client.post(submit_url(world))

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert world.chapter("en").get_latest_revision_as_object().title == "The chapter"


def test_the_translation_editor_offers_the_submit_button_for_chapters_and_cities(
    world, client, django_user_model
):
    client.force_login(make_user(django_user_model, "reviewer-en"))
    assert (
        submit_url(world, "en")
        in client.get(reverse("wagtailadmin_pages:edit", args=(world.chapters["en"],))).content.decode()
    )

    client.force_login(make_user(django_user_model, "translator-en"))
    city_editor = client.get(reverse("wagtailsnippets_book_city:edit", args=(world.cities["en"],)))
    assert city_editor.status_code == 200
    assert "js-translation-editor" in city_editor.content.decode()
    assert submit_url(world, "en", "city") in city_editor.content.decode()


def test_a_city_translated_in_the_translation_editor_is_submitted_and_approved(
    world, client, django_user_model
):
    translator = make_user(django_user_model, "translator-en")
    client.force_login(translator)
    assert translate_segment(client, world, "city", "en", "France", "France (in English)")

    response = client.post(submit_url(world, "en", "city"))

    assert response.status_code == 302
    city = world.city("en")
    assert not city.live
    state = city.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == translator
    assert city.get_latest_revision_as_object().country == "France (in English)"

    client.force_login(make_user(django_user_model, "reviewer-en"))
    approve_city(client, city)
    city = world.city("en")
    assert city.live
    assert city.country == "France (in English)"


def test_a_live_city_under_review_keeps_serving_its_published_text(world, client, django_user_model):
    world.city("en").save_revision().publish()
    api_url = reverse("api:city-list") + "?locale=en"
    assert [city["country"] for city in client.get(api_url).json()["results"]] == ["France"]
    client.force_login(make_user(django_user_model, "translator-en"))
    assert translate_segment(client, world, "city", "en", "France", "France (reviewed)")

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(submit_url(world, "en", "city"))

    city = world.city("en")
    assert city.live and city.has_unpublished_changes
    assert city.country == "France"
    assert city.get_latest_revision_as_object().country == "France (reviewed)"
    assert city.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [city["country"] for city in client.get(api_url).json()["results"]] == ["France"]

    client.force_login(make_user(django_user_model, "reviewer-en"))
    approve_city(client, city)
    assert world.city("en").country == "France (reviewed)"
    assert [city["country"] for city in client.get(api_url).json()["results"]] == ["France (reviewed)"]


# The helpers the queue and the tools rely on.


def test_translatable_locales_are_the_existing_targets_in_settings_order():
    for code in ("ru", "en", "ar"):
        Locale.objects.create(language_code=code)

    assert [locale.language_code for locale in translatable_locales()] == ["en", "ar", "ru"]


def test_translators_of_a_language_are_its_active_translators_only(django_user_model):
    setup_roles()
    translator = make_user(django_user_model, "translator-en")
    away = django_user_model.objects.create_user("away", "away@example.org", "not used", is_active=False)
    away.groups.add(Group.objects.get(name="Translators (en)"))
    make_user(django_user_model, "translator-es")
    make_user(django_user_model, "reviewer-en")

    assert list(translators_of("en")) == [translator]


@pytest.mark.parametrize(
    ("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("zh-hans", "ltr"), ("xx", "ltr")]
)
def test_locale_direction(code, direction):
    assert locale_direction(code) == direction


def test_a_translator_sees_only_their_language_cities_as_editable(django_user_model):
    setup_roles()
    french = CityFactory()
    english = CityFactory(
        locale=Locale.objects.create(language_code="en"), translation_key=french.translation_key
    )
    translator = make_user(django_user_model, "translator-en")
    policy = LocaleConfinedPermissionPolicy(City)

    assert list(policy.instances_user_has_permission_for(translator, "change")) == [english]
    assert policy.user_has_permission_for_instance(translator, "change", english)
    assert not policy.user_has_permission_for_instance(translator, "change", french)
    assert not policy.user_has_permission_for_instance(translator, "publish", english)
