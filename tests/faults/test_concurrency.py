"""Two people at work on the same text at once: neither loses what the other saved.

Two editors on one chapter or city: Wagtail remembers which revision each edit
form was loaded from (``loaded_revision_id``, ``loaded_revision_created_at``); a
save from a form loaded before someone else's save is refused, autosave or plain
POST alike (save, publish, submit), with the form given back as typed, and the
editor's ping tells the late editor who saved a newer version. A translator and
a bulk sync on one chapter: what the translator saved stays, and only the source
text that changed reopens.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, WorkflowState
from wagtail.test.utils.form_data import rich_text
from wagtail.utils.timestamps import render_timestamp
from wagtail_localize.models import StringTranslation, Translation

from book.models import ChapterPage, City
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
from tests.factories import ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db


def editor_client(django_user_model, username):
    """A logged-in member of Editors, as a browser of its own."""
    apply_role(editors())
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    user.groups.add(Group.objects.get(name=EDITORS))
    browser = Client()
    browser.force_login(user)
    return browser


def loaded_revision(html):
    """The hidden fields by which an edit form says which revision it was made from."""
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


class EditForm:
    """A chapter's edit form as one editor's browser loaded it, with the revision it was made from."""

    def __init__(self, browser, instance):
        self.browser = browser
        self.instance = instance
        self.url = self.edit_url()
        response = browser.get(self.url)
        assert response.status_code == 200
        self.html = response.content.decode()
        self.loaded = loaded_revision(self.html)

    def edit_url(self):
        return edit_url(self.instance)

    def data(self, title, text):
        return chapter_form_data(title, self.instance.slug, body=[("paragraph", rich_text(f"<p>{text}</p>"))])

    def save(self, title, text, action=None, **headers):
        """The form sent with one of its buttons: "Save draft" by default, else action-publish, action-submit…"""
        data = {**self.data(title, text), **self.loaded}
        if action:
            data[f"action-{action}"] = f"action-{action}"
        return self.browser.post(self.url, data, **headers)

    def autosave(self, title, text):
        """The editor page's own save while the editor types: the same form, answered in JSON."""
        return self.save(title, text, HTTP_ACCEPT="application/json")

    def given_back(self, response):
        """The form the server gave back after refusing a save, as the editor's browser now shows it."""
        self.html = response.content.decode()
        self.loaded = loaded_revision(self.html)
        return self

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


def revision_titles(obj):
    return [revision.as_object().title for revision in obj.revisions.order_by("created_at", "pk")]


def refusal(response, obj):
    """Whether the page shows the editor an error naming who saved the newer version, and when (in their language)."""
    newer = type(obj).objects.get(pk=obj.pk).latest_revision
    with translation.override(response.headers["Content-Language"]):
        when = render_timestamp(newer.created_at)
    errors = re.findall(r'<li class="error">(.*?)</li>', response.content.decode(), re.S)
    return any("alice" in error and when in error for error in errors)


def test_a_plain_save_from_a_stale_form_is_refused_and_the_form_given_back_as_typed(chapter, two_editors):
    """JavaScript off, or autosave failed: the "Save draft" button must not overwrite Alice's save either."""
    _alice, bruno = two_editors
    live = ChapterPage.objects.get(pk=chapter.pk)

    response = bruno.save("Titre de Bruno", "Le texte de Bruno.")

    assert response.status_code == 200
    assert refusal(response, chapter)
    html = response.content.decode()
    assert 'value="Titre de Bruno"' in html
    assert "Le texte de Bruno." in html
    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice"]
    assert "Le texte d'Alice." in latest(chapter).body[0].value.source
    now = ChapterPage.objects.get(pk=chapter.pk)
    assert (now.title, now.live_revision_id, now.latest_revision_id) == (
        "Version publiée",
        live.live_revision_id,
        live.latest_revision_id,
    )


def test_a_publication_from_a_stale_form_is_refused(chapter, two_editors):
    _alice, bruno = two_editors
    live_revision = ChapterPage.objects.get(pk=chapter.pk).live_revision_id

    response = bruno.save("Titre de Bruno", "Le texte de Bruno.", action="publish")

    assert response.status_code == 200
    assert refusal(response, chapter)
    now = ChapterPage.objects.get(pk=chapter.pk)
    assert (now.title, now.live_revision_id) == ("Version publiée", live_revision)
    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice"]


def test_a_submission_for_review_from_a_stale_form_is_refused(chapter, two_editors):
    _alice, bruno = two_editors

    response = bruno.save("Titre de Bruno", "Le texte de Bruno.", action="submit")

    assert response.status_code == 200
    assert refusal(response, chapter)
    assert not WorkflowState.objects.filter(object_id=str(chapter.pk)).exists()
    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice"]


def test_the_form_given_back_stays_stale_until_the_late_editor_reloads(chapter, two_editors):
    """Saving the refused form again, or its autosave, is refused too; the form of a reload saves."""
    _alice, bruno = two_editors
    refused = bruno.given_back(bruno.save("Titre de Bruno", "Le texte de Bruno."))

    assert refusal(refused.save("Titre de Bruno", "Le texte de Bruno."), chapter)
    assert refused.autosave("Titre de Bruno", "Le texte de Bruno.").json()["error_code"] == "invalid_revision"
    [other] = refused.ping().json()["other_sessions"]
    assert (other["user"], other["revision_id"]) == ("alice", chapter.revisions.latest("created_at").pk)
    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice"]

    reloaded = EditForm(bruno.browser, chapter)
    assert reloaded.save("Titre de Bruno", "Le texte de Bruno.").status_code == 302

    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice", "Titre de Bruno"]


def test_an_editor_publishes_after_her_own_autosaves(chapter, django_user_model):
    """Autosave leaves the form's hidden fields as loaded: her own newer revisions do not stop her."""
    alice = EditForm(editor_client(django_user_model, "alice"), chapter)
    assert alice.autosave("Titre d'Alice", "Premier jet.").json()["success"]

    response = alice.save("Titre d'Alice", "Le texte d'Alice.", action="publish")

    assert response.status_code == 302
    now = ChapterPage.objects.get(pk=chapter.pk)
    assert (now.title, now.live_revision_id) == ("Titre d'Alice", now.latest_revision_id)


def test_a_form_that_does_not_say_when_it_was_loaded_saves_as_wagtail_does(chapter, two_editors):
    """Without loaded_revision_id there is nothing to compare with: Wagtail saves, JSON or not."""
    _alice, bruno = two_editors
    bruno.loaded = {}

    assert bruno.save("Titre de Bruno", "Le texte de Bruno.").status_code == 302

    assert latest(chapter).title == "Titre de Bruno"


def test_a_form_tampered_with_is_refused_rather_than_failing(chapter, two_editors):
    _alice, bruno = two_editors
    bruno.loaded = {"loaded_revision_id": "abc", "loaded_revision_created_at": "hier"}

    response = bruno.save("Titre de Bruno", "Le texte de Bruno.")

    assert response.status_code == 200
    assert refusal(response, chapter)
    assert revision_titles(chapter) == ["Version publiée", "Titre d'Alice"]


class RevertForm(EditForm):
    """The form to go back to the chapter's first revision, as the history's "Revert" opens it."""

    def edit_url(self):
        first = self.instance.revisions.order_by("created_at", "pk").first()
        return reverse("wagtailadmin_pages:revisions_revert", args=(self.instance.pk, first.pk))


def test_going_back_to_an_old_version_from_a_stale_form_is_refused(chapter, django_user_model):
    bruno = RevertForm(editor_client(django_user_model, "bruno"), chapter)
    alice = EditForm(editor_client(django_user_model, "alice"), chapter)
    assert alice.save("Titre d'Alice", "Le texte d'Alice.").status_code == 302

    response = bruno.save("Version publiée", "Publié.", action="publish")

    assert response.status_code == 200
    assert refusal(response, chapter)
    assert latest(chapter).title == "Titre d'Alice"


class CityEditForm(EditForm):
    """A city's edit form, the snippet editor's: its name stands for the title, its country for the text."""

    def edit_url(self):
        return reverse("wagtailsnippets_book_city:edit", args=(self.instance.pk,))

    def data(self, title, text):
        return {"name": title, "slug": self.instance.slug, "country": text, "creative_field": "film"}


@pytest.fixture
def city():
    return publish(CityFactory(name="Cannes", country="France"))


@pytest.fixture
def two_city_editors(city, django_user_model):
    alice = CityEditForm(editor_client(django_user_model, "alice"), city)
    bruno = CityEditForm(editor_client(django_user_model, "bruno"), city)
    assert alice.loaded == bruno.loaded
    assert alice.save("Cannes d'Alice", "France").status_code == 302
    return alice, bruno


def test_a_city_saved_from_a_stale_form_is_refused_and_given_back_as_typed(city, two_city_editors):
    _alice, bruno = two_city_editors

    response = bruno.save("Cannes de Bruno", "République française", action="publish")

    assert response.status_code == 200
    assert refusal(response, city)
    html = response.content.decode()
    assert 'value="Cannes de Bruno"' in html
    assert 'value="République française"' in html
    assert [revision.as_object().name for revision in city.revisions.order_by("created_at", "pk")] == [
        "Cannes",
        "Cannes d'Alice",
    ]
    assert City.objects.get(pk=city.pk).name == "Cannes"


def test_a_city_autosaved_from_a_stale_form_gets_wagtails_answer(city, two_city_editors):
    _alice, bruno = two_city_editors

    response = bruno.autosave("Cannes de Bruno", "France")

    assert response.status_code == 400
    assert (response.json()["success"], response.json()["error_code"]) == (False, "invalid_revision")
    assert city.revisions.count() == 2


def test_a_city_saved_from_a_fresh_form_is_saved(city, two_city_editors):
    _alice, bruno = two_city_editors

    reloaded = CityEditForm(bruno.browser, city)

    assert reloaded.save("Cannes de Bruno", "France", action="publish").status_code == 302
    assert City.objects.get(pk=city.pk).name == "Cannes de Bruno"


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
