"""The names of the book's groups, workflows and tasks are shown in each reader's language.

They are stored once (in English) by setup_roles; an English-speaking
translator and a French-speaking reviewer each see them in their own
interface language, on the dashboard, in the page listing, in the group
list and in the e-mails that tell reviewers of a submission.
"""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry, Task, Workflow, WorkflowState
from wagtail.users.models import UserProfile

from cms.labels import DisplayName
from cms.roles import language_review_workflow
from tests.cms.test_permissions_matrix import build_world, make_user

pytestmark = pytest.mark.django_db

ENGLISH_TASK = "Approval by the reviewers of the language (en)"
FRENCH_TASK = "Validation par les relecteurs de la langue (en)"
ENGLISH_WORKFLOW = "Translation review (en)"


@pytest.fixture
def world(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://book.example.org"
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    return build_world()


def speaking(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def under_review(world, client, django_user_model):
    """The English chapter, translated and submitted for review by an English-speaking translator."""
    translator = speaking(make_user(django_user_model, "translator-en"), "en")
    client.force_login(translator)
    url = reverse("cms_submit_translation_for_review", args=(world.translations["chapter", "en"],))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    client.logout()
    assert world.chapter("en").current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    return world


def test_names_are_stored_in_english_and_read_as_display_names(world):
    workflow = Workflow.objects.get(pk=language_review_workflow("en").pk)

    assert workflow.name == ENGLISH_WORKFLOW
    assert isinstance(workflow.name, DisplayName)
    assert Task.objects.filter(name=ENGLISH_TASK).exists()
    assert Group.objects.filter(name="Translators (en)").exists()


def test_a_french_speaking_reviewer_sees_the_task_in_french(under_review, client, django_user_model):
    reviewer = speaking(make_user(django_user_model, "reviewer-en"), "fr")
    client.force_login(reviewer)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert FRENCH_TASK in dashboard
    assert ENGLISH_TASK not in dashboard


def test_an_english_speaking_reviewer_sees_the_task_in_english(under_review, client, django_user_model):
    reviewer = speaking(make_user(django_user_model, "reviewer-en"), "en")
    client.force_login(reviewer)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert ENGLISH_TASK in dashboard
    assert FRENCH_TASK not in dashboard


def test_names_stored_in_french_by_earlier_versions_are_renamed_to_english(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cms.migrations.0002_english_workflow_names")
    workflow = language_review_workflow("en")
    Workflow.objects.filter(pk=workflow.pk).update(name="Relecture de la traduction (en)")
    task = Task.objects.get(name=ENGLISH_TASK)
    Task.objects.filter(pk=task.pk).update(name=FRENCH_TASK)
    other = Workflow.objects.create(name="Relecture juridique")

    migration.rename_to_english(apps, None)

    assert Workflow.objects.get(pk=workflow.pk).name == ENGLISH_WORKFLOW
    assert Task.objects.get(pk=task.pk).name == ENGLISH_TASK
    assert Workflow.objects.get(pk=other.pk).name == "Relecture juridique"


def test_a_name_still_stored_in_french_is_shown_in_english_and_found(world):
    from django.utils import translation

    from cms.labels import translate_name

    Workflow.objects.filter(pk=language_review_workflow("en").pk).update(
        name="Relecture de la traduction (en)"
    )

    with translation.override("en"):
        assert translate_name("Relecture de la traduction (en)") == ENGLISH_WORKFLOW
        assert str(Workflow.objects.get(name="Relecture de la traduction (en)").name) == ENGLISH_WORKFLOW
    assert language_review_workflow("en") is not None


def test_the_reviewers_email_names_the_task_in_the_reviewers_language(world, client, django_user_model):
    from django.core import mail

    reviewer = speaking(make_user(django_user_model, "reviewer-en"), "fr")
    client.force_login(speaking(make_user(django_user_model, "translator-en"), "en"))
    url = reverse("cms_submit_translation_for_review", args=(world.translations["chapter", "en"],))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)

    [to_reviewer] = [
        message
        for message in mail.outbox
        if message.to == [reviewer.email] and FRENCH_TASK in message.subject
    ]
    assert ENGLISH_TASK not in to_reviewer.body
    assert FRENCH_TASK in to_reviewer.body


def test_dumps_and_backups_keep_the_stored_names_whatever_the_language(world):
    # The names show themselves in the active language; what is written out must be what is stored.
    output = StringIO()
    with translation.override("fr"):
        call_command("dumpdata", "auth.group", "wagtailcore.workflow", "wagtailcore.task", stdout=output)
    names = {row["fields"]["name"] for row in json.loads(output.getvalue())}

    assert "Editors" in names
    assert not {"Éditeurs", "Relecteurs"} & names


@pytest.mark.parametrize(
    ("language", "workflow", "task"),
    [
        ("fr", "Relecture de la traduction (en)", FRENCH_TASK),
        ("ar", "مراجعة الترجمة (en)", "موافقة مراجعي اللغة (en)"),
    ],
)
def test_the_page_history_names_the_workflow_and_task_in_the_readers_language(
    under_review, client, django_user_model, language, workflow, task
):
    editor = speaking(make_user(django_user_model, "editor"), language)
    client.force_login(editor)
    chapter = under_review.chapter("en")

    history = client.get(reverse("wagtailadmin_pages:history", args=[chapter.pk])).content.decode()

    assert workflow in history and task in history
    assert ENGLISH_WORKFLOW not in history and ENGLISH_TASK not in history
    # What Wagtail stored in the history stays as it was written.
    [start] = PageLogEntry.objects.filter(page=chapter, action="wagtail.workflow.start")
    assert start.data["workflow"]["title"] == ENGLISH_WORKFLOW
    assert start.data["workflow"]["next"]["title"] == ENGLISH_TASK
