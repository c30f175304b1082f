"""While a translation awaits review, nothing changes it: what the reviewers approve is all of the work.

A segment saved in the translation editor, one item's PO file or a language's
zip uploaded to the queue would otherwise be left out of the revision under
review, sit unpublished after the approval and make the queue call the live
item unfinished. Each is refused with a message naming the review; once the
reviewers request changes, the work is open again.
"""

import io
import zipfile

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.localization.po import export_item, export_locale
from cms.roles import language_review_workflow
from tests.cms.test_permissions_matrix import build_world, make_user

pytestmark = pytest.mark.django_db

SOURCE_TEXT = "Un paragraphe à traduire."


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = []
    return build_world()


def user(django_user_model, role):
    member = make_user(django_user_model, role)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    return member


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def said(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def translation(world):
    return Translation.objects.get(pk=world.translations["chapter", "en"])


def segment(world):
    return StringSegment.objects.get(source=translation(world).source, string__data=SOURCE_TEXT)


def english_text(world):
    return StringTranslation.objects.get(
        translation_of=segment(world).string, locale=translation(world).target_locale
    ).data


@pytest.fixture
def under_review(world, client, django_user_model):
    """The English chapter, fully translated and submitted; the translator is signed in."""
    client.force_login(user(django_user_model, "translator-en"))
    post(client, reverse("cms_submit_translation_for_review", args=(world.translations["chapter", "en"],)))
    assert world.chapter("en").current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    return world


def save_segment(client, world, value):
    url = reverse("wagtail_localize:edit_string_translation", args=(translation(world).pk, segment(world).pk))
    return client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)


def review_name():
    return language_review_workflow("en").name


def test_a_segment_saved_in_the_translation_editor_during_review_is_refused(under_review, client):
    response = save_segment(client, under_review, "A paragraph.")

    assert response.status_code == 409
    assert review_name() in response.json()["error"]
    assert english_text(under_review) == SOURCE_TEXT


def with_paragraph_translated(content):
    """A PO file's content with the paragraph translated."""
    po = polib.pofile(content.decode("utf-8"))
    for entry in po:
        if entry.msgid == SOURCE_TEXT:
            entry.msgstr = "A paragraph."
    return str(po).encode("utf-8")


def changed_po(world):
    name, content = export_item(translation(world))
    return name, with_paragraph_translated(content)


def test_one_items_po_file_uploaded_during_review_is_refused(under_review, client):
    name, content = changed_po(under_review)

    response = post(
        client, reverse("localization:po_upload", args=["en"]), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 302
    assert review_name() in said(response)
    assert "awaiting review" in said(response)
    assert english_text(under_review) == SOURCE_TEXT


def test_a_language_zip_uploaded_during_review_is_refused(under_review, client):
    exported = io.BytesIO()
    export_locale(translation(under_review).target_locale, exported)
    changed = io.BytesIO()
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(changed, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".po") and SOURCE_TEXT.encode() in data:
                data = with_paragraph_translated(data)
            archive.writestr(info.filename, data)

    response = post(
        client,
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile("en.zip", changed.getvalue())},
    )

    assert review_name() in said(response)
    assert english_text(under_review) == SOURCE_TEXT


def test_after_the_approval_the_queue_says_what_is_live(world, client, django_user_model, settings):
    # As in a language publishing partial work: the paragraph is left for later and the
    # chapter submitted; the translator then uploads the paragraph while it is in review.
    settings.BOOK_PARTIAL_PUBLICATION_LANGUAGES = ["en"]
    StringTranslation.objects.filter(
        translation_of=segment(world).string, locale=translation(world).target_locale
    ).delete()
    total = StringSegment.objects.filter(source=translation(world).source).count()
    client.force_login(user(django_user_model, "translator-en"))
    post(client, reverse("cms_submit_translation_for_review", args=(translation(world).pk,)))
    name, content = changed_po(world)
    post(client, reverse("localization:po_upload", args=["en"]), {"file": SimpleUploadedFile(name, content)})

    chapter = world.chapter("en")
    client.force_login(user(django_user_model, "reviewer-en"))
    task_state = chapter.current_workflow_task_state
    post(
        client,
        reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    chapter = world.chapter("en")
    assert chapter.live and SOURCE_TEXT in str(chapter.body)

    queue = client.get(reverse("localization:queue", args=["en"]))
    [row] = [state for state in queue.context["states"] if state.target_pk == chapter.pk]
    # What is live lacks the paragraph, and so does the translation: nothing was lost on the way.
    assert (row.state, row.percent) == ("in_progress", (total - 1) * 100 // total)


def test_once_changes_are_requested_the_translation_is_open_again(under_review, client, django_user_model):
    chapter = under_review.chapter("en")
    translator = client.session["_auth_user_id"]
    client.force_login(user(django_user_model, "reviewer-en"))
    task_state = chapter.current_workflow_task_state
    post(
        client,
        reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, "reject", task_state.pk)),
        {"comment": "Translate the paragraph."},
    )
    client.force_login(django_user_model.objects.get(pk=translator))

    response = save_segment(client, under_review, "A paragraph.")

    assert response.status_code == 200
    assert english_text(under_review) == "A paragraph."
