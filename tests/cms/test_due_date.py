"""The queue's due date: Wagtail's picker in the interface language, the dates people type, clear errors."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from cms.localization.forms import AssignForm
from cms.localization.models import Assignment
from cms.roles import EDITORS
from tests.cms.localization_support import editor, make_book, make_locales, make_user, translator

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def clean_due_date(value, language):
    alice = User.objects.filter(username="alice").first() or translator("en", "alice")
    with translation.override(language):
        form = AssignForm({"assignee": alice.pk, "due_date": value}, language_code="en")
        valid = form.is_valid()
        return (form.cleaned_data["due_date"] if valid else None), form.errors.get("due_date", [])


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "20/12/2026"),
        ("fr", "20/12/26"),
        ("fr", "2026-12-20"),
        ("en", "2026-12-20"),
        ("en", "12/20/2026"),
        # Typed day first in English, as much of the world writes it: only one reading.
        ("en", "20/12/2026"),
    ],
)
def test_due_date_accepts_the_dates_people_type_in_their_language(locales, language, typed):
    assert clean_due_date(typed, language) == (date(2026, 12, 20), [])


def test_a_date_that_reads_two_ways_is_refused_rather_than_guessed(locales):
    due, errors = clean_due_date("05/06/2026", "en")

    assert due is None
    assert "two different dates" in errors[0]
    assert f"{date.today().year}-12-31" in errors[0]


def test_a_wrong_date_says_the_expected_format(locales):
    _due, english = clean_due_date("31/02/2026", "en")
    _due, french = clean_due_date("le 20 décembre", "fr")

    assert english == [f"Enter a valid date in the format year-month-day, e.g. {date.today().year}-12-31."]
    assert french == [
        f"Saisissez une date valide au format jour/mois/année, par exemple 31/12/{date.today().year}."
    ]


def test_picker_writes_the_interface_language_format_and_loads_its_script(client, locales):
    make_book(chapters=1)
    translator("en", "alice")
    client.force_login(make_user("editrice", EDITORS, language="fr"))

    french = client.get(reverse("localization:queue", args=["en"])).content.decode()

    # The widget's script defines the function its field calls; without it the picker never opens.
    assert "wagtailadmin/js/date-time-chooser.js" in french
    assert 'initDateChooser("id_assign_due_date", {"dayOfWeekStart": 1, "format": "d/m/Y"})' in french
    assert "Format : jour/mois/année, par exemple 31/12/" in french


def test_wrong_due_date_is_an_error_naming_the_field_and_assigns_nothing(client, locales):
    book = make_book(chapters=1)
    alice = translator("en", "alice")
    client.force_login(editor())

    response = client.post(
        reverse("localization:action", args=["en"]),
        {
            "action": "assign",
            "items": [f"page:{book.chapters[0].translation_key}"],
            "assignee": alice.pk,
            "due_date": "2026-13-45",
        },
    )

    assert response.status_code == 302
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"Due date: Enter a valid date in the format year-month-day, e.g. {date.today().year}-12-31."
    ]
    assert not Assignment.objects.exists()


def test_start_and_sync_buttons_are_not_held_back_by_the_assign_fields(client, locales):
    make_book(chapters=1)
    translator("en", "alice")
    client.force_login(editor())

    html = client.get(reverse("localization:queue", args=["en"])).content.decode()

    assert 'name="assignee" required' not in html
    assert '<select name="assignee" id="id_assign_assignee">' in html
