"""Assigning work to translators, and the emails they receive."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cms.localization.models import Assignment
from cms.localization.state import item_states
from tests.cms.localization_support import (
    editor,
    make_book,
    make_locales,
    publish,
    reviewer,
    start,
    translate,
    translator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


@pytest.fixture
def book(locales):
    return make_book(chapters=2)


def ref(page):
    return f"page:{page.translation_key}"


def assign(client, items, assignee, code="en", due_date=""):
    return client.post(
        reverse("localization:action", args=[code]),
        {"action": "assign", "items": items, "assignee": assignee.pk, "due_date": due_date},
        follow=True,
    )


def state_of(instance, locale):
    states = item_states([locale])[locale.pk]
    return next(state for state in states if state.item.key == instance.translation_key)


def test_reviewer_assigns_items_to_a_translator_with_a_due_date(client, book, locales):
    alice = translator("en", username="alice")
    client.force_login(reviewer("en"))
    due = date.today() + timedelta(days=14)

    response = assign(client, [ref(book.chapters[0]), ref(book.chapters[1])], alice, due_date=due.isoformat())

    assert "2 items assigned to Alice" in response.content.decode()
    for chapter in book.chapters:
        state = state_of(chapter, locales["en"])
        assert state.assignee == alice
        assert state.due_date == due
    html = response.content.decode()
    assert "Alice" in html


def test_assignee_is_emailed_in_their_language(client, book, locales):
    alice = translator("en", username="alice", language="fr")
    client.force_login(reviewer("en"))

    assign(client, [ref(book.chapters[0])], alice, due_date="2030-01-15")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert book.chapters[0].title in message.subject
    assert "/admin/localization/en/" in message.body
    assert "2030" in message.body
    # Alice reads the admin in French: so does her email, when the French catalog has it.
    assert message.subject.startswith(("Traduction", "Translation"))


def test_only_translators_of_the_language_can_be_assigned(client, book, locales):
    spanish = translator("es", username="pablo")
    client.force_login(reviewer("en"))

    assign(client, [ref(book.chapters[0])], spanish)

    assert not Assignment.objects.exists()
    assert not mail.outbox


def test_reassigning_to_someone_else_emails_the_new_assignee_only(client, book, locales):
    alice = translator("en", username="alice")
    bob = translator("en", username="bob")
    client.force_login(reviewer("en"))
    assign(client, [ref(book.chapters[0])], alice)

    assign(client, [ref(book.chapters[0])], bob)
    assign(client, [ref(book.chapters[0])], bob, due_date="2030-02-01")

    assert [message.to for message in mail.outbox] == [["alice@example.org"], ["bob@example.org"]]
    assignment = Assignment.objects.get()
    assert assignment.assignee == bob
    assert assignment.due_date == date(2030, 2, 1)


def test_unassign_removes_the_assignment(client, book, locales):
    alice = translator("en", username="alice")
    client.force_login(editor())
    assign(client, [ref(book.chapters[0])], alice)

    client.post(
        reverse("localization:action", args=["en"]), {"action": "unassign", "items": ref(book.chapters[0])}
    )

    assert state_of(book.chapters[0], locales["en"]).assignee is None


def test_a_translator_cannot_assign(client, book, locales):
    alice = translator("en", username="alice")
    client.force_login(alice)

    assign(client, [ref(book.chapters[0])], alice)

    assert not Assignment.objects.exists()


def test_city_and_sector_can_be_assigned_before_they_are_started(client, book, locales):
    alice = translator("en", username="alice")
    client.force_login(reviewer("en"))

    assign(client, [f"city:{book.city.translation_key}", f"sector:{book.sector.translation_key}"], alice)

    assert Assignment.objects.filter(assignee=alice, locale=locales["en"]).count() == 2


def _assigned_and_translated(client, book, locales):
    alice = translator("en", username="alice")
    chapter = book.chapters[0]
    start(chapter, locales["en"])
    translate(chapter, locales["en"], publish=True)
    client.force_login(reviewer("en"))
    assign(client, [ref(chapter)], alice)
    mail.outbox.clear()
    return chapter


def test_assignee_is_emailed_when_the_source_changes(client, book, locales):
    chapter = _assigned_and_translated(client, book, locales)

    chapter.title = "Chapitre 1, revu"
    publish(chapter)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "Chapitre 1, revu" in mail.outbox[0].subject


def test_republishing_the_same_text_sends_no_email(client, book, locales):
    chapter = _assigned_and_translated(client, book, locales)

    publish(chapter)

    assert not mail.outbox


def test_assignee_hears_of_a_change_once_until_they_sync(client, book, locales):
    from cms.localization.sync import sync_locale

    chapter = _assigned_and_translated(client, book, locales)
    chapter.title = "Chapitre 1, revu"
    publish(chapter)
    chapter.title = "Chapitre 1, revu encore"
    publish(chapter)
    assert len(mail.outbox) == 1

    sync_locale(locales["en"], items=[chapter])
    chapter.title = "Chapitre 1, après la synchronisation"
    publish(chapter)

    assert len(mail.outbox) == 2


def test_changes_to_a_translation_email_nobody(client, book, locales):
    chapter = _assigned_and_translated(client, book, locales)

    translated = chapter.get_translation(locales["en"])
    translated.title = "Chapter 1, edited"
    publish(translated)

    assert not mail.outbox


def test_assignee_of_a_city_hears_when_the_city_changes(client, book, locales):
    alice = translator("en", username="alice")
    start(book.city, locales["en"])
    client.force_login(reviewer("en"))
    assign(client, [f"city:{book.city.translation_key}"], alice)
    mail.outbox.clear()

    book.city.name = "Cannes (Alpes-Maritimes)"
    publish(book.city)

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
