"""Each change the public can see is recorded with the change itself, and a delivery per active subscriber."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.actions.unpublish import UnpublishAction
from wagtail.models import Locale, PageViewRestriction

from api.webhooks.models import ChangeEvent, Delivery
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    CityFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
    SectorFactory,
    ThemePageFactory,
)
from tests.webhooks.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def events():
    return list(ChangeEvent.objects.order_by("timestamp", "pk").values_list("event", "type", "locale", "key"))


def test_publishing_a_chapter_records_a_published_event_with_its_api_url(django_capture_on_commit_callbacks):
    chapter = ChapterPageFactory(live=False)

    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()

    change = ChangeEvent.objects.get()
    assert (change.event, change.type, change.locale, change.key) == (
        "published",
        "chapter",
        "fr",
        chapter.translation_key,
    )
    assert change.url == f"https://api.example.org/api/v1/chapters/{chapter.translation_key}/?locale=fr"


def test_every_kind_of_item_is_recorded_under_the_api_s_name_for_it(django_capture_on_commit_callbacks):
    book = BookPageFactory()
    part = PartPageFactory(parent=book)
    items = {
        "book": book,
        "part": part,
        "chapter": ChapterPageFactory(parent=part),
        "contributor": ContributorPageFactory(parent=ContributorIndexPageFactory(parent=book)),
        "theme": ThemePageFactory(parent__parent=book),
    }
    for item in items.values():
        item.save_revision().publish()
    for snippet in (CityFactory(live=False), SectorFactory(live=False)):
        snippet.save_revision().publish()

    recorded = {change.type: change for change in ChangeEvent.objects.all()}
    assert set(recorded) == {"book", "part", "chapter", "contributor", "theme", "city", "sector"}
    for kind, item in items.items():
        assert recorded[kind].key == item.translation_key
    # A part has no page of its own in the API: its address is the list of its chapters.
    assert recorded["part"].url == (
        f"https://api.example.org/api/v1/chapters/?locale=fr&part={part.translation_key}"
    )
    assert recorded["city"].url.startswith("https://api.example.org/api/v1/cities/")


def test_index_pages_have_no_address_in_the_api_and_are_not_recorded():
    ContributorIndexPageFactory().save_revision().publish()

    assert events() == []


def test_unpublishing_and_deleting_are_recorded():
    chapter = ChapterPageFactory()
    key = chapter.translation_key
    chapter.save_revision().publish()
    chapter.unpublish()
    chapter.save_revision().publish()
    chapter.delete()

    assert [event for event, *_rest in events()] == ["published", "unpublished", "published", "deleted"]
    assert {row[3] for row in events()} == {key}
    deleted = ChangeEvent.objects.get(event="deleted")
    assert deleted.url == f"https://api.example.org/api/v1/chapters/{key}/?locale=fr"


def test_deleting_a_part_records_the_deletion_of_each_of_its_chapters():
    part = PartPageFactory()
    chapters = [ChapterPageFactory(parent=part) for _ in range(2)]

    part.delete()

    assert {(event, kind, key) for event, kind, _locale, key in events()} == {
        ("deleted", "part", part.translation_key),
        *(("deleted", "chapter", chapter.translation_key) for chapter in chapters),
    }
    assert len(events()) == 3


def test_a_draft_never_published_leaves_nothing_when_deleted():
    ChapterPageFactory(live=False).delete()

    assert events() == []


def test_a_translation_published_in_its_language_is_recorded_in_that_language():
    english = Locale.objects.create(language_code="en")
    chapter = ChapterPageFactory()
    # Its parents must exist in English first.
    for ancestor in (chapter.get_parent().get_parent(), chapter.get_parent()):
        ancestor.specific.copy_for_translation(english)
    translation = chapter.copy_for_translation(english)

    translation.save_revision().publish()

    assert events() == [("published", "chapter", "en", chapter.translation_key)]
    assert ChangeEvent.objects.get().url.endswith("?locale=en")


def test_city_publish_and_unpublish_are_recorded():
    city = CityFactory(live=False)

    city.save_revision().publish()
    city.refresh_from_db()
    UnpublishAction(city).execute()

    assert [row[:2] for row in events()] == [("published", "city"), ("unpublished", "city")]


def test_a_city_or_sector_scheduled_to_go_live_later_is_not_recorded_yet():
    for snippet in (CityFactory(live=False), SectorFactory(live=False)):
        snippet.go_live_at = timezone.now() + timedelta(hours=1)
        snippet.save_revision().publish()
        snippet.refresh_from_db()
        assert not snippet.live

    assert events() == []


def test_a_deleted_city_that_was_live_is_recorded():
    city = CityFactory(live=True)
    key = city.translation_key

    city.delete()

    assert events() == [("deleted", "city", "fr", key)]


def test_pages_in_a_private_section_are_never_recorded():
    part = PartPageFactory()
    PageViewRestriction.objects.create(page=part, restriction_type="login")
    ChangeEvent.objects.all().delete()
    chapter = ChapterPageFactory(parent=part, live=False)

    chapter.save_revision().publish()
    chapter.delete()

    assert events() == []


def test_a_section_made_private_unpublishes_what_it_hides_and_made_public_again_publishes_it():
    part = PartPageFactory()
    shown = ChapterPageFactory(parent=part)
    ChapterPageFactory(parent=part, live=False)
    hidden_already = ChapterPageFactory(parent=part)
    PageViewRestriction.objects.create(page=hidden_already, restriction_type="login")
    ChangeEvent.objects.all().delete()

    restriction = PageViewRestriction.objects.create(page=part, restriction_type="password", password="x")

    expected = [("part", part.translation_key), ("chapter", shown.translation_key)]
    assert [(event, kind, key) for event, kind, _locale, key in events()] == [
        ("unpublished", kind, key) for kind, key in expected
    ]

    ChangeEvent.objects.all().delete()
    restriction.restriction_type = "login"
    restriction.save()
    assert events() == []

    restriction.delete()

    assert [(event, kind, key) for event, kind, _locale, key in events()] == [
        ("published", kind, key) for kind, key in expected
    ]


def test_deleting_a_private_section_records_nothing():
    part = PartPageFactory()
    ChapterPageFactory(parent=part)
    PageViewRestriction.objects.create(page=part, restriction_type="login")
    ChangeEvent.objects.all().delete()

    part.delete()

    assert events() == []


def test_each_active_subscriber_gets_a_delivery_queued_in_the_transaction_of_the_change():
    """The tasks commit with the deliveries: a process that dies after the commit strands none."""
    wants_all = SubscriberFactory()
    wants_deletions = SubscriberFactory(events=["deleted"])
    SubscriberFactory(active=False)
    chapter = ChapterPageFactory(live=False)

    with transaction.atomic():
        chapter.save_revision().publish()
        delivery = Delivery.objects.get()
        queued = DBTaskResult.objects.get()

    assert (delivery.subscriber, delivery.status, delivery.attempts) == (wants_all, "pending", 0)
    assert not wants_deletions.deliveries.exists()
    assert (queued.backend_name, queued.task_path) == ("webhooks", "api.webhooks.tasks.deliver")
    assert queued.args_kwargs["args"] == [delivery.pk]


def test_a_task_backend_outside_the_database_is_asked_once_the_change_commits(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks import task_backends

    settings.TASKS = {**settings.TASKS, "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    SubscriberFactory()
    chapter = ChapterPageFactory(live=False)
    backend = task_backends["webhooks"]

    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()
        assert backend.results == []

    # The same backend also gets the rebuild of the language's editions.
    deliveries = [
        result for result in backend.results if result.task.module_path == "api.webhooks.tasks.deliver"
    ]
    assert [result.args for result in deliveries] == [[Delivery.objects.get().pk]]


def test_a_change_rolled_back_leaves_no_event_and_no_delivery(django_capture_on_commit_callbacks):
    SubscriberFactory()
    chapter = ChapterPageFactory(live=False)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        chapter.save_revision().publish()
        assert ChangeEvent.objects.count() == 1
        raise RuntimeError("the publication fails")

    assert ChangeEvent.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
