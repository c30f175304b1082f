"""Every translated item tells readers where its words come from, through the whole translation flow.

A translator translates segments in wagtail-localize's editor, a machine
(a stand-in speaking DeepL's API on a local socket) fills the others, a
reviewer approves; the API then names the translator and the reviewer, says
the text is machine-assisted until a person edits the machine's segments, and
says the translation is outdated once the source changes.
"""

import importlib
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils.translation import gettext, override
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book import provenance
from book.models import ChapterPage, City, Sector, TranslationCoverage, TranslationCredit
from tests.cms.test_permissions_matrix import setup_roles
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory, SectorFactory

pytestmark = pytest.mark.django_db

KEY = "stand-in-key:fx"


class DeepLStandIn(BaseHTTPRequestHandler):
    """DeepL's ``POST /v2/translate``: a form of ``text`` values, a JSON list of their translations."""

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.server.received.append((self.path, self.headers.get("Authorization"), form))
        if self.path != "/v2/translate" or self.headers.get("Authorization") != f"DeepL-Auth-Key {KEY}":
            self.send_response(403)
            self.end_headers()
            return
        target = form["target_lang"][0]
        payload = json.dumps(
            {
                "translations": [
                    {"detected_source_language": form["source_lang"][0], "text": f"[{target}] {text}"}
                    for text in form["text"]
                ]
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@contextmanager
def deepl_stand_in(settings):
    """A DeepL stand-in on a local port, configured as the project configures DeepL from the environment."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), DeepLStandIn)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "cms.machine_translation.ConfigurableDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": KEY, "API_URL": f"http://127.0.0.1:{server.server_address[1]}"},
    }
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def deepl(settings):
    with deepl_stand_in(settings) as server:
        yield server


@pytest.fixture
def team(settings, django_user_model):
    return make_team(settings, django_user_model)


def make_team(settings, django_user_model):
    """A French chapter written in English, started in English, with an editor, a translator and a reviewer."""
    settings.BOOK_TARGET_LANGUAGES = ["en"]
    english = Locale.objects.create(language_code="en")
    book = BookPageFactory(title="Le livre")
    part = PartPageFactory(parent=book, title="La partie")
    chapter = ChapterPageFactory(
        parent=part,
        title="Le chapitre",
        original_language="en",
        body=[
            ("paragraph", "<p>Premier paragraphe.</p>"),
            ("paragraph", "<p>Second paragraphe.</p>"),
        ],
    )
    for page in (book, part, chapter):
        page.save_revision().publish()
    setup_roles()
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "not used")
    translator = django_user_model.objects.create_user(
        "translator", "translator@example.org", "not used", first_name="Ada", last_name="Lovelace"
    )
    translator.groups.add(Group.objects.get(name="Translators (en)"))
    reviewer = django_user_model.objects.create_user(
        "reviewer", "reviewer@example.org", "not used", first_name="Grace", last_name="Hopper"
    )
    reviewer.groups.add(Group.objects.get(name="Reviewers (en)"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(editor, [english]).create_translations(chapter)
    source = TranslationSource.objects.get_for_instance(chapter)
    translation = Translation.objects.get(source=source, target_locale=english)
    return {
        "chapter": chapter,
        "translation": translation,
        "editor": editor,
        "translator": translator,
        "reviewer": reviewer,
    }


def put_segment(client, translation, text, value):
    segment = StringSegment.objects.get(source=translation.source, string__data=text)
    url = reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment.pk))
    response = client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)
    assert response.status_code in (200, 201), response.content


def submit_and_approve(client, team):
    client.force_login(team["translator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("cms_submit_translation_for_review", args=(team["translation"].pk,)))
    assert response.status_code == 302
    target = ChapterPage.objects.get(
        translation_key=team["chapter"].translation_key, locale__language_code="en"
    )
    client.force_login(team["reviewer"])
    task_state = target.current_workflow_task_state
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=(target.pk, "approve", task_state.pk)),
            {"comment": ""},
        )
    assert response.status_code == 302
    target = ChapterPage.objects.get(pk=target.pk)
    assert target.live and not target.has_unpublished_changes
    return target


def provenance_of(client, chapter, locale):
    response = client.get(reverse("api:chapter-detail", args=(chapter.translation_key,)), {"locale": locale})
    assert response.status_code == 200
    data = response.json()
    assert data["locale"] == locale
    return data["translation"]


def test_the_api_credits_the_translator_the_machine_and_the_reviewer_and_notices_the_source_change(
    client, team, deepl
):
    translation = team["translation"]
    client.force_login(team["translator"])
    put_segment(client, translation, "Le chapitre", "The chapter")
    # The machine fills what is left, and leaves alone what a person wrote.
    response = client.post(reverse("wagtail_localize:machine_translate", args=(translation.pk,)))
    assert response.status_code == 302
    [(path, authorization, form)] = deepl.received
    assert (path, authorization) == ("/v2/translate", f"DeepL-Auth-Key {KEY}")
    assert (form["source_lang"], form["target_lang"]) == (["FR"], ["EN"])
    assert "Le chapitre" not in form["text"] and "Premier paragraphe." in form["text"]
    machine = StringTranslation.objects.filter(locale=translation.target_locale, translation_type="machine")
    assert set(machine.values_list("data", flat=True)) >= {
        "[EN] Premier paragraphe.",
        "[EN] Second paragraphe.",
    }

    target = submit_and_approve(client, team)
    source = ChapterPage.objects.get(pk=team["chapter"].pk)
    state = provenance_of(client, source, "en")
    assert state["complete"] is True
    assert state["original_locale"] == "en"
    assert state["translators"] == ["Ada Lovelace"]
    assert state["reviewed_by"] == "Grace Hopper"
    assert state["reviewed_at"] is not None
    assert state["machine_assisted"] is True
    assert state["outdated"] is False
    assert state["source_revision"] == source.live_revision_id
    assert "[EN] Premier paragraphe." in str(target.body)

    # A person edits what the machine wrote: the next publication is no longer machine-assisted.
    client.force_login(team["translator"])
    put_segment(client, translation, "Premier paragraphe.", "First paragraph.")
    assert machine.count() > 0
    put_segment(client, translation, "Second paragraphe.", "Second paragraph.")
    put_segment(client, translation, source.slug, "the-chapter")
    assert not machine.exists()
    submit_and_approve(client, team)
    assert provenance_of(client, source, "en")["machine_assisted"] is False

    # The source changes and is published: the translation no longer corresponds to it.
    source.title = "Le chapitre revu"
    source.save_revision().publish()
    state = provenance_of(client, source, "en")
    assert state["outdated"] is True
    assert state["source_revision"] != ChapterPage.objects.get(pk=source.pk).live_revision_id
    # The source itself is nobody's translation.
    french = provenance_of(client, source, "fr")
    assert french["original_locale"] == "en"
    assert (french["translators"], french["reviewed_by"], french["outdated"]) == ([], None, False)


def test_an_editor_credits_other_translators(client, team):
    translation = team["translation"]
    client.force_login(team["translator"])
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    target = submit_and_approve(client, team)
    source = team["chapter"]
    assert provenance_of(client, source, "en")["translators"] == ["Ada Lovelace"]

    TranslationCredit.objects.create(
        translation_key=target.translation_key, locale=target.locale, translators=["Ada L.", "Charles B."]
    )

    assert provenance_of(client, source, "en")["translators"] == ["Ada L.", "Charles B."]
    assert provenance.translators_of([target]) == {target.pk: ["Ada L.", "Charles B."]}


def test_the_machine_button_is_offered_only_with_a_configured_provider(client, team, settings):
    client.force_login(team["editor"])
    target = team["translation"].get_target_instance()
    url = reverse("wagtailadmin_pages:edit", args=(target.pk,))

    def machine_translator():
        props = client.get(url).context["props"]
        return json.loads(props)["machineTranslator"]

    assert machine_translator() is None
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "cms.machine_translation.ConfigurableDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": KEY, "API_URL": "http://127.0.0.1:9"},
    }
    assert machine_translator()["name"] == "DeepL"


def test_editors_credit_translators_from_the_page_editor(client, team):
    translation = team["translation"]
    client.force_login(team["translator"])
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    target = submit_and_approve(client, team)
    url = reverse("cms_translation_credits", args=(target.pk,))

    # Translators and reviewers do not decide the credits; the source has no translators to credit.
    client.force_login(team["translator"])
    refused = client.post(url, {"translators": "Me"})
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    assert not TranslationCredit.objects.exists()
    client.force_login(team["editor"])
    assert client.get(reverse("cms_translation_credits", args=(team["chapter"].pk,))).status_code == 404
    explorer = client.get(reverse("wagtailadmin_explore", args=(target.get_parent().pk,))).content.decode()
    assert url in explorer
    form = client.get(url)
    assert "Ada Lovelace" in form.content.decode()
    # The language inside the screen's sentence: lower case in French, capitalised in English.
    assert "» en anglais, par l’API" in form.content.decode()
    profile = UserProfile.get_for_user(team["editor"])
    profile.preferred_language = "en"
    profile.save()
    assert "in English, by the API" in client.get(url).content.decode()
    profile.preferred_language = "fr"
    profile.save()

    too_many = "\n".join(f"Name {number}" for number in range(60))
    refused = client.post(url, {"translators": too_many})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not TranslationCredit.objects.exists()

    response = client.post(url, {"translators": "  Ada   Lovelace \n\nCharles Babbage\nAda Lovelace\n"})
    assert response.status_code == 302
    assert provenance_of(client, team["chapter"], "en")["translators"] == ["Ada Lovelace", "Charles Babbage"]

    # Emptied: the recorded translators are credited again.
    client.post(url, {"translators": ""})
    assert not TranslationCredit.objects.exists()
    assert provenance_of(client, team["chapter"], "en")["translators"] == ["Ada Lovelace"]


def test_a_failing_machine_translation_is_reported_and_writes_nothing(client, team, deepl, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR["OPTIONS"]["AUTH_KEY"] = "a revoked key"
    translation = team["translation"]
    edit_url = reverse("wagtailadmin_pages:edit", args=(translation.get_target_instance().pk,))
    client.force_login(team["translator"])

    response = client.post(
        reverse("wagtail_localize:machine_translate", args=(translation.pk,)), {"next": edit_url}
    )

    assert (response.status_code, response.url) == (302, edit_url)
    assert len(deepl.received) == 1
    assert not StringTranslation.objects.filter(locale=translation.target_locale).exists()
    # Told in the interface's language, as an error.
    [message] = list(response.wsgi_request._messages)
    assert message.level == messages.ERROR
    said = "The machine translation service could not translate this item now; try again later."
    translations = set()
    for language in ("en", "fr"):
        with override(language):
            translations.add(gettext(said))
    assert str(message.message).strip() in translations


def test_deepl_is_reached_at_its_own_address_unless_another_is_given():
    from cms.machine_translation import ConfigurableDeepLTranslator

    assert ConfigurableDeepLTranslator({"AUTH_KEY": "k:fx"}).get_api_endpoint() == (
        "https://api-free.deepl.com/v2/translate"
    )
    assert (
        ConfigurableDeepLTranslator({"AUTH_KEY": "k"}).get_api_endpoint()
        == "https://api.deepl.com/v2/translate"
    )
    assert ConfigurableDeepLTranslator(
        {"AUTH_KEY": "k", "API_URL": "http://127.0.0.1:8/"}
    ).get_api_endpoint() == ("http://127.0.0.1:8/v2/translate")


def test_cities_are_credited_like_pages_in_the_admin_and_the_api(client, team):
    """A translated city names its translator and reviewer, and an editor credits others from its screen."""
    city = CityFactory(name="Cannes", slug="cannes", country="France", live=False)
    city.save_revision().publish()
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(team["editor"], [Locale.objects.get(language_code="en")]).create_translations(city)
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(city), target_locale__language_code="en"
    )
    client.force_login(team["translator"])
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("cms_submit_translation_for_review", args=(translation.pk,)))
    assert response.status_code == 302
    target = City.objects.get(translation_key=city.translation_key, locale__language_code="en")
    client.force_login(team["reviewer"])
    task_state = target.current_workflow_task_state
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_book_city:workflow_action", args=(target.pk, "approve", task_state.pk)),
            {"comment": ""},
        )
    assert response.status_code == 302
    target = City.objects.get(pk=target.pk)
    assert target.live and target.name == "EN Cannes"

    def city_provenance():
        response = client.get(reverse("api:city-detail", args=(city.translation_key,)), {"locale": "en"})
        assert response.status_code == 200 and response.json()["locale"] == "en"
        return response.json()["translation"]

    state = city_provenance()
    assert (state["translators"], state["reviewed_by"]) == (["Ada Lovelace"], "Grace Hopper")
    assert state["reviewed_at"] is not None
    assert state["source_revision"] == City.objects.get(pk=city.pk).live_revision_id

    url = reverse("cms_snippet_translation_credits", args=("city", target.pk))
    client.force_login(team["translator"])
    refused = client.post(url, {"translators": "Me"})
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    client.force_login(team["editor"])
    listing = client.get(reverse("wagtailsnippets_book_city:list")).content.decode()
    assert url in listing
    # The source has nobody to credit; a kind that is not a snippet, or unknown, is not found here.
    assert client.get(reverse("cms_snippet_translation_credits", args=("city", city.pk))).status_code == 404
    assert (
        client.get(reverse("cms_snippet_translation_credits", args=("chapter", target.pk))).status_code == 404
    )
    assert client.get(reverse("cms_snippet_translation_credits", args=("town", target.pk))).status_code == 404
    assert (
        client.get(reverse("cms_snippet_translation_credits", args=("sector", target.pk))).status_code == 404
    )
    form = client.get(url)
    assert form.status_code == 200 and "Ada Lovelace" in form.content.decode()

    response = client.post(url, {"translators": "Ada L.\nCharles B."})
    assert (response.status_code, response.url) == (
        302,
        reverse("wagtailsnippets_book_city:edit", args=(target.pk,)),
    )
    assert city_provenance()["translators"] == ["Ada L.", "Charles B."]
    listed = client.get(reverse("api:city-list"), {"locale": "en"}).json()["results"]
    assert [
        item["translation"]["translators"] for item in listed if item["key"] == str(city.translation_key)
    ] == [["Ada L.", "Charles B."]]


def snippet_translation(team, kind):
    """A city or a sector published in French, its English translation started as a draft."""
    if kind == "city":
        source = CityFactory(name="Cannes", slug="cannes", country="France", live=False)
    else:
        source = SectorFactory(name="Cinéma", slug="cinema", description="Le cinéma d'auteur.", live=False)
    source.save_revision().publish()
    source = type(source).objects.get(pk=source.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(team["editor"], [Locale.objects.get(language_code="en")]).create_translations(
            source
        )
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(source), target_locale__language_code="en"
    )
    return source, translation


@pytest.mark.parametrize("kind", ["city", "sector"])
def test_a_snippet_published_from_the_translation_editor_is_credited_like_a_page(client, team, deepl, kind):
    """An editor's Publish in wagtail-localize's editor makes and publishes a revision of the snippet,
    and its provenance is recorded against it: the translator, the machine, the source's revision."""
    model = {"city": City, "sector": Sector}[kind]
    source, translation = snippet_translation(team, kind)
    target = model.objects.get(translation_key=source.translation_key, locale__language_code="en")
    assert not target.live
    client.force_login(team["translator"])
    first = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    put_segment(client, translation, first.string.data, f"EN {first.string.data}")
    assert (
        client.post(reverse("wagtail_localize:machine_translate", args=(translation.pk,))).status_code == 302
    )

    client.force_login(team["editor"])
    edit_url = reverse(f"wagtailsnippets_book_{kind}:edit", args=(target.pk,))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(edit_url, {"action": "publish"})
    assert (response.status_code, response.url) == (302, edit_url)

    target = model.objects.get(pk=target.pk)
    assert target.live and target.live_revision_id is not None and target.name == f"EN {source.name}"
    assert target.live_revision.translation_coverage.source_revision_id == source.live_revision_id

    def snippet_provenance():
        response = client.get(reverse(f"api:{kind}-detail", args=(source.translation_key,)), {"locale": "en"})
        assert response.status_code == 200 and response.json()["locale"] == "en"
        return response.json()["translation"]

    state = snippet_provenance()
    assert state["translators"] == ["Ada Lovelace"]
    # Published by an editor without a review: nobody approved it.
    assert (state["reviewed_by"], state["reviewed_at"]) == (None, None)
    assert (state["machine_assisted"], state["outdated"], state["complete"]) == (True, False, True)
    assert state["source_revision"] == source.live_revision_id
    assert state["original_locale"] == "fr"

    source.name = f"{source.name} revu"
    source.save_revision().publish()
    assert model.objects.get(pk=source.pk).live_revision_id != state["source_revision"]
    assert snippet_provenance()["outdated"] is True


def nameless(user, login):
    """An account with a login name and no name."""
    user.username, user.first_name, user.last_name = login, "", ""
    user.save()
    return user


def test_a_person_without_a_name_on_their_account_is_not_credited_by_their_login_name(
    client, team, django_user_model
):
    translator = nameless(team["translator"], "ada-login")
    reviewer = nameless(team["reviewer"], "grace-login")
    colleague = django_user_model.objects.create_user(
        "colleague-login", "colleague@example.org", "not used", first_name="Mary", last_name="Somerville"
    )
    colleague.groups.add(Group.objects.get(name="Translators (en)"))
    translation = team["translation"]
    segments = list(StringSegment.objects.filter(source=translation.source).select_related("string"))
    client.force_login(colleague)
    put_segment(client, translation, segments[0].string.data, f"EN {segments[0].string.data}")
    client.force_login(translator)
    for segment in segments[1:]:
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    target = submit_and_approve(client, team)

    response = client.get(
        reverse("api:chapter-detail", args=(team["chapter"].translation_key,)), {"locale": "en"}
    )
    state = response.json()["translation"]
    # The named colleague is credited; the translator of most segments and the reviewer have no name.
    assert state["translators"] == ["Mary Somerville"]
    assert state["reviewed_by"] is None and state["reviewed_at"] is not None
    body = response.content.decode()
    assert "ada-login" not in body and "grace-login" not in body
    listed = client.get(reverse("api:chapter-list"), {"locale": "en"}).content.decode()
    assert "ada-login" not in listed and "grace-login" not in listed
    assert provenance.translators_of([target]) == {target.pk: ["Mary Somerville"]}

    # Editors are told whom the credits leave out, by their login names, on the credits screen.
    client.force_login(team["editor"])
    screen = client.get(reverse("cms_translation_credits", args=(target.pk,)))
    assert screen.status_code == 200
    assert screen.context["unnamed"] == ["ada-login", "grace-login"]
    assert "ada-login, grace-login" in screen.content.decode()
    # Once the accounts have names, the screen has nobody to point out.
    for user, first, last in ((translator, "Ada", "Lovelace"), (reviewer, "Grace", "Hopper")):
        user.first_name, user.last_name = first, last
        user.save()
    assert client.get(reverse("cms_translation_credits", args=(target.pk,))).context["unnamed"] == []


def test_login_names_recorded_earlier_give_way_to_the_names_on_the_accounts(client, team, django_user_model):
    """Records made when a login name was credited are rewritten by the migration, and the API's stored
    documents built from them dropped."""
    translation = team["translation"]
    client.force_login(team["translator"])
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    target = submit_and_approve(client, team)
    nameless(django_user_model.objects.create_user("charles-login", "c@example.org", "x"), "charles-login")
    # As recorded before: the translator's and the reviewer's login names, a colleague named by login.
    TranslationCoverage.objects.filter(revision_id=target.live_revision_id).update(
        translators=["translator", "charles-login", "Émilie du Châtelet"], reviewed_by="reviewer"
    )
    before = provenance_of(client, team["chapter"], "en")
    assert before["translators"] == ["translator", "charles-login", "Émilie du Châtelet"]

    migration = ("book", "0008_no_login_names_in_credits")
    apps = MigrationLoader(connection).project_state(migration, at_end=True).apps
    module = importlib.import_module(f"book.migrations.{migration[1]}")
    with TestCase.captureOnCommitCallbacks(execute=True):
        module.forget_login_names(apps, connection.schema_editor(atomic=False))

    after = provenance_of(client, team["chapter"], "en")
    assert after["translators"] == ["Ada Lovelace", "Émilie du Châtelet"]
    assert after["reviewed_by"] == "Grace Hopper"
    # Run again, it finds nothing to change.
    assert provenance.forget_login_names(django_apps) == 0
