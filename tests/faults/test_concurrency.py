"""Two people at work on the same text at once: neither loses what the other saved.

Two editors on one chapter: Wagtail remembers which revision each edit form was
loaded from (``loaded_revision_id``, ``loaded_revision_created_at``); a save from a
form loaded before someone else's save is refused, and the editor's ping tells
the late editor who saved a newer version. A translator and a bulk sync on one
chapter: what the translator saved stays, and only the source text that changed
reopens.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import rich_text
from wagtail_localize.models import StringTranslation, Translation

from book.models import ChapterPage
from cms.localization.sync import out_of_date_sources, sync_locale
from cms.roles import EDITORS, TRANSLATORS, apply_role, editors, group_name, translators
from tests.cms.test_admin_editing import chapter_form_data, edit_url
from tests.cms.test_sync import (
    FIRST,
    SECOND,
    SECOND_REVISED,
    publish,
    revise,
    segment,
    source_of,
    translated_book,
)
from tests.factories import ChapterPageFactory, PartPageFactory

pytestmark = pytest.mark.django_db


def editor_client(django_user_model, username):
    """A logged-in member of Editors, as a browser of its own."""
    apply_role(editors())
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    user.groups.add(Group.objects.get(name=EDITORS))
    browser = Client()
    browser.force_login(user)
    return browser


class EditForm:
    """An edit form as one editor's browser loaded it, with the revision it was made from."""

    def __init__(self, browser, chapter):
        self.browser = browser
        self.chapter = chapter
        response = browser.get(edit_url(chapter))
        assert response.status_code == 200
        self.html = response.content.decode()
        self.loaded = {
            name: re.search(rf'name="{name}" value="([^"]*)"', self.html).group(1)
            for name in ("loaded_revision_id", "loaded_revision_created_at")
        }

    def save(self, title, text, **headers):
        data = chapter_form_data(
            title, self.chapter.slug, body=[("paragraph", rich_text(f"<p>{text}</p>"))], **self.loaded
        )
        return self.browser.post(edit_url(self.chapter), data, **headers)

    def autosave(self, title, text):
        """The editor page's own save while the editor types: the same form, answered in JSON."""
        return self.save(title, text, HTTP_ACCEPT="application/json")

    def ping(self):
        """What the editor page asks the server every few seconds while it is open."""
        url = re.search(r'data-w-swap-src-value="([^"]+)"', self.html).group(1)
        return self.browser.post(
            url,
            {
                "revision_id": self.loaded["loaded_revision_id"],
                "revision_created_at": self.loaded["loaded_revision_created_at"],
                "is_editing": "1",
            },
        )


@pytest.fixture
def chapter():
    part = PartPageFactory()
    return publish(
        ChapterPageFactory(parent=part, title="Version publiée", body=[("paragraph", "<p>Publié.</p>")])
    )


@pytest.fixture
def two_editors(chapter, django_user_model):
    """Alice and Bruno open the chapter's edit form one after the other; Alice saves first."""
    alice = EditForm(editor_client(django_user_model, "alice"), chapter)
    bruno = EditForm(editor_client(django_user_model, "bruno"), chapter)
    assert alice.loaded == bruno.loaded
    assert alice.save("Titre d'Alice", "Le texte d'Alice.").status_code == 302
    return alice, bruno


def latest(chapter):
    return ChapterPage.objects.get(pk=chapter.pk).get_latest_revision_as_object()


def test_the_edit_form_saves_as_the_editor_types(two_editors):
    """The conflict check below guards the editor page's saves: autosave must stay on."""
    alice, _bruno = two_editors
    assert re.search(r'<form[^>]*data-controller="[^"]*\bw-autosave\b', alice.html)


def test_a_save_from_a_stale_form_is_refused_and_the_first_save_kept(chapter, two_editors):
    _alice, bruno = two_editors

    response = bruno.autosave("Titre de Bruno", "Le texte de Bruno.")

    assert response.status_code == 400
    answer = response.json()
    assert (answer["success"], answer["error_code"]) == (False, "invalid_revision")
    # In the editor's interface language: "Saving will overwrite a newer version."
    assert answer["error_message"] == "Enregistrer écrira une nouvelle version."
    kept = latest(chapter)
    assert kept.title == "Titre d'Alice"
    assert "Le texte d'Alice." in kept.body[0].value.source
    assert chapter.revisions.count() == 2


def test_the_late_editor_is_told_who_saved_a_newer_version(chapter, two_editors):
    _alice, bruno = two_editors

    response = bruno.ping()

    assert response.status_code == 200
    [other] = response.json()["other_sessions"]
    assert other["user"] == "alice"
    assert other["revision_id"] == ChapterPage.objects.get(pk=chapter.pk).latest_revision_id


def test_a_save_the_late_editor_insists_on_keeps_the_first_in_the_history(chapter, two_editors):
    """Wagtail lets a late editor who was warned save anyway; the first save stays a revision to go back to."""
    _alice, bruno = two_editors

    assert bruno.save("Titre de Bruno", "Le texte de Bruno.").status_code == 302

    assert latest(chapter).title == "Titre de Bruno"
    titles = [revision.as_object().title for revision in chapter.revisions.order_by("created_at", "pk")]
    assert titles == ["Version publiée", "Titre d'Alice", "Titre de Bruno"]


def translator_client(django_user_model, locale):
    apply_role(translators(locale.language_code))
    user = django_user_model.objects.create_user("traductrice", "traductrice@example.org", "not used")
    user.groups.add(Group.objects.get(name=group_name(TRANSLATORS, locale.language_code)))
    browser = Client()
    browser.force_login(user)
    return browser


def save_segment(browser, translation, segment_id, value):
    """What the translation editor sends when the translator saves one segment."""
    url = reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment_id))
    return browser.put(url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded")


def test_a_translator_at_work_during_a_sync_keeps_her_segments_and_the_changed_one_reopens(
    django_user_model,
):
    chapter, _city = translated_book()
    english = Locale.objects.get(language_code="en")
    source = source_of(chapter)
    translation = Translation.objects.get(source=source, target_locale=english)
    browser = translator_client(django_user_model, english)
    # The translator's editor was loaded before the sync: these are the segments it shows.
    first = segment(source, strip(FIRST))
    second = segment(source, strip(SECOND))

    assert save_segment(browser, translation, first.pk, "The first sentence stays.").status_code == 201
    revise(chapter)
    report = sync_locale(english)
    assert [item.source for item in report.synced] == [source]
    # A save from the editor loaded before the sync, on a segment whose text changed since.
    late = save_segment(browser, translation, second.pk, "The second sentence will change.")

    # The sync replaced the segments that editor shows: its save is refused, the translator reloads.
    assert late.status_code == 404, late.content
    kept = StringTranslation.objects.get(translation_of=first.string, context=first.context, locale=english)
    assert kept.data == "The first sentence stays."
    assert kept.translation_type == "manual"
    reopened = segment(source, strip(SECOND_REVISED))
    assert not StringTranslation.objects.filter(
        translation_of=reopened.string, context=reopened.context, locale=english
    ).exists()
    total, translated = translation.get_progress()
    assert (total, translated) == (4, 1)
    assert out_of_date_sources(english).count() == 0


def strip(paragraph):
    return paragraph.removeprefix("<p>").removesuffix("</p>")
