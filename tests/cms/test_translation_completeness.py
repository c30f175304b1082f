"""An incomplete translation is not published unless its language allows it, whatever the way to publication.

Submitting for review, an editor's Publish in the translation editor and the
reviewers' approval all refuse a translation with untranslated segments, with
their count; where the editors allow partial publication in a language, the
reviewers are shown the count before approving, and the API says what is not
translated.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Revision, WorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from book.models import TranslationCoverage
from tests.cms.test_permissions_matrix import build_world, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    return build_world()


def user(django_user_model, role):
    """A member of ``role`` who reads the admin in English."""
    member = make_user(django_user_model, role)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    return member


def untranslate(world, kind, code, source_text):
    """Remove the translation of one segment; returns the number of segments of the item."""
    translation = Translation.objects.get(pk=world.translations[kind, code])
    segment = StringSegment.objects.get(source=translation.source, string__data=source_text)
    StringTranslation.objects.filter(
        translation_of=segment.string, context=segment.context, locale=translation.target_locale
    ).delete()
    return StringSegment.objects.filter(source=translation.source).count()


def submit_url(world, kind="chapter", code="en"):
    return reverse("cms_submit_translation_for_review", args=(world.translations[kind, code],))


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def said(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def revisions_of(instance):
    return Revision.objects.for_instance(instance).count()


def approve_url(instance, action="approve"):
    task_state = instance.current_workflow_task_state
    name = "wagtailadmin_pages:workflow_action" if hasattr(instance, "path") else None
    name = name or "wagtailsnippets_book_city:workflow_action"
    return reverse(name, args=(instance.pk, action, task_state.pk))


def test_submitting_an_incomplete_translation_is_refused_with_the_count(world, client, django_user_model):
    total = untranslate(world, "chapter", "en", "Un paragraphe à traduire.")
    chapter = world.chapter("en")
    before = revisions_of(chapter)
    client.force_login(user(django_user_model, "translator-en"))

    response = post(client, submit_url(world))

    assert response.status_code == 302
    assert f"1 of its {total} segments is still untranslated" in said(response)
    chapter = world.chapter("en")
    assert chapter.current_workflow_state is None
    # Nothing was written: no draft revision of the half-translated text.
    assert revisions_of(chapter) == before


def test_a_complete_translation_is_submitted(world, client, django_user_model):
    client.force_login(user(django_user_model, "translator-en"))

    post(client, submit_url(world))

    assert world.chapter("en").current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_the_translation_editor_shows_how_many_segments_are_untranslated(world, client, django_user_model):
    total = untranslate(world, "chapter", "en", "Un paragraphe à traduire.")
    client.force_login(user(django_user_model, "translator-en"))

    page = client.get(reverse("wagtailadmin_pages:edit", args=(world.chapters["en"],))).content.decode()

    assert 'data-untranslated-segments="1"' in page
    assert f"1 of {total} segments is untranslated" in page


def test_an_editor_cannot_publish_an_incomplete_translation_from_the_translation_editor(
    world, client, django_user_model
):
    untranslate(world, "chapter", "en", "Un paragraphe à traduire.")
    client.force_login(user(django_user_model, "editor"))

    response = post(
        client, reverse("wagtailadmin_pages:edit", args=(world.chapters["en"],)), {"action": "publish"}
    )

    assert response.status_code == 302
    assert "1 of its" in said(response)
    assert not world.chapter("en").live


def test_an_editor_cannot_publish_an_incomplete_city_from_the_translation_editor(
    world, client, django_user_model
):
    untranslate(world, "city", "en", "France")
    client.force_login(user(django_user_model, "editor"))

    response = post(
        client, reverse("wagtailsnippets_book_city:edit", args=(world.cities["en"],)), {"action": "publish"}
    )

    assert "1 of its" in said(response)
    assert not world.city("en").live


@pytest.mark.parametrize("kind", ["chapter", "city"])
def test_an_incomplete_revision_under_review_is_not_approved_where_partial_publication_is_not_allowed(
    kind, world, client, django_user_model, settings
):
    # Submitted while the language allowed partial publication; the editors withdrew it since.
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = ["en"]
    total = untranslate(world, kind, "en", "Un paragraphe à traduire." if kind == "chapter" else "France")
    client.force_login(user(django_user_model, "translator-en"))
    post(client, submit_url(world, kind))
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    instance = world.chapter("en") if kind == "chapter" else world.city("en")
    state = instance.current_workflow_state
    client.force_login(user(django_user_model, "reviewer-en"))

    response = post(client, approve_url(instance), {"comment": ""})

    assert f"1 of its {total} segments is still untranslated" in said(response)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    instance.refresh_from_db()
    assert not instance.live


def test_where_partial_publication_is_allowed_the_reviewer_sees_the_count_and_readers_are_told(
    world, client, django_user_model, settings
):
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = ["en"]
    total = untranslate(world, "chapter", "en", "Un paragraphe à traduire.")
    client.force_login(user(django_user_model, "translator-en"))
    post(client, submit_url(world))
    chapter = world.chapter("en")
    assert chapter.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    coverage = TranslationCoverage.objects.get(revision=chapter.current_workflow_task_state.revision)
    assert (coverage.total_segments, coverage.translated_segments) == (total, total - 1)

    reviewer = user(django_user_model, "reviewer-en")
    reviewer.first_name, reviewer.last_name = "Grace", "Hopper"
    reviewer.save()
    client.force_login(reviewer)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(chapter.pk,))).content.decode()
    assert 'data-untranslated-segments="1"' in editor
    assert f"leaves 1 of its {total} segments untranslated" in editor
    post(client, approve_url(chapter), {"comment": ""})
    chapter = world.chapter("en")
    assert chapter.live

    client.logout()
    data = client.get(reverse("api:chapter-detail", args=(chapter.translation_key,)), {"locale": "en"}).json()
    assert data["locale"] == "en" and data["fallback"] is False
    state = data["translation"]
    assert {field: state[field] for field in ("complete", "progress", "source_locale", "untranslated")} == {
        "complete": False,
        "progress": ((total - 1) * 100 // total) / 100,
        "source_locale": "fr",
        "untranslated": ["body"],
    }
    # Approved in review: the reviewer is credited, by the name on their account.
    assert state["reviewed_by"] == "Grace Hopper" and state["reviewed_at"] is not None
    [paragraph] = data["body"]
    assert paragraph["lang"] == "fr"
    assert "Un paragraphe à traduire." in paragraph["value"]
    listed = client.get(reverse("api:chapter-list"), {"locale": "en"}).json()["results"]
    assert [item["translation"]["complete"] for item in listed] == [False]
