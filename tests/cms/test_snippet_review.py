"""Cities and sectors go through a review too: a translator submits, a reviewer of that language approves.

One workflow, "Translation review (cities and sectors)", is attached to the
City and Sector models; its task lets only the reviewers of each object's
language (and the editors) approve or reject it.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.models import Locale, Task, TaskState, Workflow, WorkflowContentType, WorkflowState

from book.models import City, Sector
from cms.labels import COLLECTIONS_REVIEW_WORKFLOW
from cms.localization.models import LanguageReviewTask
from cms.roles import review_workflow
from tests.factories import CityFactory, SectorFactory

pytestmark = pytest.mark.django_db

GROUPS = {
    "editor": "Editors",
    "reviewer-fr": "Reviewers",
    "translator-en": "Translators (en)",
    "reviewer-en": "Reviewers (en)",
    "reviewer-es": "Reviewers (es)",
}


@pytest.fixture(autouse=True)
def book_languages(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]


def setup_roles():
    out, err = StringIO(), StringIO()
    with django_translation.override("en"):
        call_command("setup_roles", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def english(db):
    english = Locale.objects.create(language_code="en")
    Locale.objects.create(language_code="es")
    setup_roles()
    return english


@pytest.fixture
def users(english, django_user_model):
    made = {}
    for role, group in GROUPS.items():
        user = django_user_model.objects.create_user(role, f"{role}@example.org", "not used")
        user.groups.add(Group.objects.get(name=group))
        made[role] = user
    return made


@pytest.fixture
def english_city(english):
    return CityFactory(locale=english, name="Cannes", slug="cannes", live=False)


def edit_url(city):
    return reverse("wagtailsnippets_book_city:edit", args=(city.pk,))


def city_form(name, **fields):
    return {"name": name, "slug": "cannes", "country": "France", "creative_field": "film", **fields}


def post(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def submit(client, city, name="Cannes (English)"):
    return post(client, edit_url(city), city_form(name, **{"action-submit": "1"}))


def act(client, city, action="approve", comment=""):
    task_state = City.objects.get(pk=city.pk).current_workflow_task_state
    url = reverse("wagtailsnippets_book_city:workflow_action", args=(city.pk, action, task_state.pk))
    return post(client, url, {"comment": comment})


def refused(response):
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def collections_review():
    return review_workflow(COLLECTIONS_REVIEW_WORKFLOW)


def test_a_translator_submits_an_english_city_to_the_review_of_cities_and_sectors(
    client, users, english_city
):
    client.force_login(users["translator-en"])
    editor = client.get(edit_url(english_city)).content.decode()
    assert 'name="action-submit"' in editor
    assert 'name="action-publish"' not in editor

    response = submit(client, english_city)

    assert response.status_code == 302
    city = City.objects.get(pk=english_city.pk)
    state = city.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == collections_review()
    assert state.requested_by == users["translator-en"]
    assert not city.live
    assert city.get_latest_revision_as_object().name == "Cannes (English)"


def test_a_reviewer_of_another_language_cannot_approve_an_english_city(client, users, english_city):
    client.force_login(users["translator-en"])
    submit(client, english_city)
    task = City.objects.get(pk=english_city.pk).current_workflow_task

    client.force_login(users["reviewer-es"])
    response = act(client, english_city)

    assert refused(response)
    city = City.objects.get(pk=english_city.pk)
    assert not city.live
    assert city.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert city.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    # Nor is it offered to them: not on their dashboard, not in the editor, and the task refuses them.
    assert not TaskState.objects.reviewable_by(users["reviewer-es"]).exists()
    assert refused(client.get(edit_url(english_city)))
    assert task.get_actions(city, users["reviewer-es"]) == []
    assert task.locked_for_user(city, users["reviewer-es"])
    with pytest.raises(PermissionDenied):
        task.on_action(city.current_workflow_task_state, users["reviewer-es"], "approve")
    assert (
        City.objects.get(pk=english_city.pk).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    )


def test_the_reviewer_of_the_language_approves_and_the_city_goes_live(client, users, english_city):
    client.force_login(users["translator-en"])
    submit(client, english_city)
    reviewer = users["reviewer-en"]
    assert list(TaskState.objects.reviewable_by(reviewer).values_list("pk", flat=True)) == [
        City.objects.get(pk=english_city.pk).current_workflow_task_state.pk
    ]

    client.force_login(reviewer)
    response = act(client, english_city)

    assert response.status_code == 302
    city = City.objects.get(pk=english_city.pk)
    assert city.live
    assert city.name == "Cannes (English)"
    assert city.live_revision.as_object().name == "Cannes (English)"
    state = WorkflowState.objects.for_instance(city).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert TaskState.objects.get(workflow_state=state).finished_by == reviewer


def test_a_rejected_city_goes_back_to_draft_with_the_comment_and_can_be_submitted_again(
    client, users, english_city
):
    translator = users["translator-en"]
    client.force_login(translator)
    submit(client, english_city)

    client.force_login(users["reviewer-en"])
    act(client, english_city, "reject", "The country is in English too.")

    city = City.objects.get(pk=english_city.pk)
    state = city.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "The country is in English too."
    assert not city.live
    assert not city.workflow_in_progress

    client.force_login(translator)
    submit(client, english_city, "Cannes, France")

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # The reviewers are given the new version, not the one they sent back.
    assert City.objects.get(pk=english_city.pk).current_workflow_task_state.revision.as_object().name == (
        "Cannes, France"
    )
    client.force_login(users["reviewer-en"])
    act(client, english_city)
    assert City.objects.get(pk=english_city.pk).live_revision.as_object().name == "Cannes, France"


def test_a_translator_still_cannot_publish_a_city_directly(client, users, english_city):
    client.force_login(users["translator-en"])

    response = post(client, edit_url(english_city), city_form("Cannes (English)", **{"action-publish": "1"}))

    assert refused(response)
    city = City.objects.get(pk=english_city.pk)
    assert not city.live
    assert city.live_revision is None


def test_sectors_share_the_review_of_cities(users, english):
    sector = SectorFactory(locale=english, name="Cinema", live=False)
    sector.save_revision(user=users["translator-en"])
    workflow = Sector.get_default_workflow()
    assert workflow == collections_review()
    workflow.start(sector, users["translator-en"])
    task_state = Sector.objects.get(pk=sector.pk).current_workflow_task_state
    task = task_state.task.specific

    assert task.get_actions(sector, users["reviewer-es"]) == []
    assert [name for name, _label, _modal in task.get_actions(sector, users["reviewer-en"])] == [
        "reject",
        "approve",
        "approve",
    ]
    assert [state.pk for state in TaskState.objects.reviewable_by(users["editor"])] == [task_state.pk]

    task.on_action(task_state, users["reviewer-en"], "approve")

    assert Sector.objects.get(pk=sector.pk).live


def test_in_the_source_language_editors_approve_and_the_source_reviewers_do_not(client, users):
    city = CityFactory(name="Cannes", slug="cannes", live=False)
    client.force_login(users["editor"])
    submit(client, city, "Cannes la ville")
    assert City.objects.get(pk=city.pk).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # The source-language reviewers review pages; cities are the editors' to maintain there.
    client.force_login(users["reviewer-fr"])
    assert refused(act(client, city))
    assert not City.objects.get(pk=city.pk).live

    client.force_login(users["editor"])
    act(client, city)
    assert City.objects.get(pk=city.pk).name == "Cannes la ville"
    assert City.objects.get(pk=city.pk).live


def review_counts():
    return {
        "workflows": Workflow.objects.count(),
        "tasks": Task.objects.count(),
        "review tasks": LanguageReviewTask.objects.count(),
        "workflow content types": WorkflowContentType.objects.count(),
    }


def test_setup_roles_creates_the_review_once_and_assigns_it_to_cities_and_sectors(english):
    # The english fixture ran setup_roles once already.
    workflow = collections_review()
    assert workflow is not None and workflow.active
    assert City.get_default_workflow() == workflow
    assert Sector.get_default_workflow() == workflow
    assert [type(task) for task in workflow.tasks.specific()] == [LanguageReviewTask]
    before = review_counts()

    output, errors = setup_roles()

    assert review_counts() == before
    assert "Found workflow 'Translation review (cities and sectors)'" in output
    assert "already assigned to 'cities'" in output
    assert "already assigned to 'sectors'" in output
    assert errors == ""


def test_setup_roles_leaves_a_model_attached_to_another_workflow_by_hand(english):
    other = Workflow.objects.create(name="Chosen by hand")
    WorkflowContentType.objects.filter(workflow=collections_review()).delete()
    WorkflowContentType.objects.create(content_type=City.get_content_type(), workflow=other)

    output, errors = setup_roles()

    assert City.get_default_workflow() == other
    assert Sector.get_default_workflow() == collections_review()
    assert "assigned to 'sectors'" in output
    assert "'cities' keeps its workflow 'Chosen by hand'" in errors
