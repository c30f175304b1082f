from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from book.demo import content
from book.demo.loader import demo_key
from book.models import ChapterPage
from cms.demo_translations import REVIEWER, TRANSLATOR, password_file
from cms.localization.models import Assignment
from cms.localization.state import (
    AWAITING_REVIEW,
    IN_PROGRESS,
    NOT_STARTED,
    PUBLISHED,
    SOURCE_CHANGED,
    item_states,
)
from cms.roles import REVIEWERS, TRANSLATORS, group_name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def project_root(settings, tmp_path):
    """The demo users' password files are written at the project root: a temporary one here."""
    settings.LOCAL_CREDENTIALS_DIR = tmp_path
    return tmp_path


def run(command):
    out = StringIO()
    with translation.override("en"):
        call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return run("load_demo_book")


def english_states():
    english = Locale.objects.get(language_code="en")
    return {state.item.key: state for state in item_states([english])[english.pk]}


def chapter(position):
    keys = [spec["key"] for part in content.PARTS for spec in part["chapters"]]
    return ChapterPage.objects.get(
        locale=Locale.get_default(), translation_key=demo_key("page", keys[position])
    )


def test_english_queue_shows_every_state(demo):
    states = english_states()
    found = {state.state for state in states.values()}
    assert found == {NOT_STARTED, IN_PROGRESS, SOURCE_CHANGED, AWAITING_REVIEW, PUBLISHED}
    assert states[chapter(0).translation_key].state == PUBLISHED
    assert states[chapter(2).translation_key].state == IN_PROGRESS
    assert states[chapter(3).translation_key].state == SOURCE_CHANGED
    assert states[chapter(4).translation_key].state == AWAITING_REVIEW


def test_one_item_is_assigned_to_the_demo_translator_with_a_due_date(demo):
    assigned = [state for state in english_states().values() if state.assignment is not None]
    assert len(assigned) == 1
    assert assigned[0].assignee.username == TRANSLATOR
    assert assigned[0].due_date > timezone.localdate()


def test_demo_translator_and_reviewer_belong_to_the_english_team(demo):
    users = get_user_model().objects
    assert users.get(username=TRANSLATOR).groups.filter(name=group_name(TRANSLATORS, "en")).exists()
    assert users.get(username=REVIEWER).groups.filter(name=group_name(REVIEWERS, "en")).exists()


def test_demo_passwords_are_stored_and_printed(demo, project_root):
    output = run("demo_logins")
    for username in (TRANSLATOR, REVIEWER):
        password = (project_root / f".demo_password_{username}").read_text().strip()
        assert get_user_model().objects.get(username=username).check_password(password)
        assert password in output


def test_second_load_changes_nothing(demo):
    before = (
        {key: (state.state, state.translated_segments) for key, state in english_states().items()},
        Translation.objects.count(),
        StringTranslation.objects.count(),
        list(Assignment.objects.values_list("pk", "due_date")),
        list(get_user_model().objects.values_list("username", "password")),
        chapter(3).latest_revision_id,
    )
    output = run("load_demo_book")
    after = (
        {key: (state.state, state.translated_segments) for key, state in english_states().items()},
        Translation.objects.count(),
        StringTranslation.objects.count(),
        list(Assignment.objects.values_list("pk", "due_date")),
        list(get_user_model().objects.values_list("username", "password")),
        chapter(3).latest_revision_id,
    )
    assert after == before
    assert "0 started, 0 assigned" in output


def test_what_the_demo_publishes_in_english_is_completely_translated(demo, client):
    for name in ("chapter-list", "book-list", "city-list", "sector-list"):
        results = client.get(reverse(f"api:{name}"), {"locale": "en"}).json()["results"]
        english = [item for item in results if item["locale"] == "en"]
        assert english, name
        assert all(item["translation"]["complete"] for item in english), name


def test_the_demo_credits_its_translator_by_her_name_never_her_login(demo, client):
    results = client.get(reverse("api:chapter-list"), {"locale": "en"}).json()["results"]
    credited = {
        name for item in results if item["locale"] == "en" for name in item["translation"]["translators"]
    }
    assert credited == {"Claire Moreau"}


def test_demo_accounts_named_after_their_login_by_an_earlier_demo_get_their_persons_name(demo, client):
    """A database made by an earlier demo named the translator after her login, and credited her so."""
    from book.models import TranslationCoverage

    get_user_model().objects.filter(username=TRANSLATOR).update(first_name=TRANSLATOR, last_name="")
    for coverage in TranslationCoverage.objects.exclude(translators=[]):
        coverage.translators = [TRANSLATOR]
        coverage.save(update_fields=["translators"])
    list_url = reverse("api:chapter-list")
    stale = client.get(list_url, {"locale": "en"}).json()["results"]
    assert {
        name for item in stale if item["locale"] == "en" for name in item["translation"]["translators"]
    } == {TRANSLATOR}

    run("load_demo_book")

    translator = get_user_model().objects.get(username=TRANSLATOR)
    assert (translator.first_name, translator.last_name) == ("Claire", "Moreau")
    results = client.get(list_url, {"locale": "en"}).json()["results"]
    assert {
        name for item in results if item["locale"] == "en" for name in item["translation"]["translators"]
    } == {"Claire Moreau"}


def test_the_suite_keeps_the_passwords_it_generates_out_of_the_checkout(settings):
    # `make test` once replaced the demo users' passwords that `make run` had printed.
    assert Path(settings.LOCAL_CREDENTIALS_DIR).resolve() != Path(settings.BASE_DIR).resolve()
    assert password_file(TRANSLATOR).parent == Path(settings.LOCAL_CREDENTIALS_DIR)
