"""The API says of every item how complete its translation is, and marks text left in the source language."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage
from tests.api.conftest import api
from tests.api.test_queries import count_queries
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def part(db):
    book = BookPageFactory(title="Le livre")
    book.save_revision().publish()
    part = PartPageFactory(parent=book, title="La partie")
    part.save_revision().publish()
    return part


def published_translation(instance, locale, leave=()):
    """Translate ``instance`` with wagtail-localize, but for the segments whose text is in ``leave``, and publish it."""
    TranslationCreator(None, [locale]).create_translations(instance, include_related_objects=False)
    source = TranslationSource.objects.get(object_id=instance.translation_key, locale_id=instance.locale_id)
    segments = (
        StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
    )
    for segment in segments.exclude(string__data__in=leave):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            data=f"EN {segment.string.data}",
        )
    translation = source.translations.get(target_locale=locale)
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    target.get_latest_revision().publish()
    return type(target).objects.get(pk=target.pk), segments.count()


def chapter(part, number):
    page = ChapterPageFactory(
        parent=part,
        title=f"Chapitre {number}",
        summary=f"Résumé {number}",
        body=[
            ("heading", {"level": "h2", "text": f"Titre {number}"}),
            ("paragraph", f"<p>Premier paragraphe {number}.</p>"),
        ],
    )
    page.save_revision().publish()
    return page


def test_a_partly_translated_chapter_says_so_and_marks_its_untranslated_blocks(client, part, english):
    source = chapter(part, 1)
    # The paragraph left in French.
    _target, total = published_translation(source, english, leave=["Premier paragraphe 1."])

    data = client.get(api("chapter-detail", ref=source.translation_key), {"locale": "en"}).json()

    assert data["locale"] == "en"
    translation = data["translation"]
    assert translation["complete"] is False
    assert translation["progress"] == ((total - 1) * 100 // total) / 100
    assert translation["source_locale"] == "fr"
    assert translation["untranslated"] == ["body"]
    heading, paragraph = data["body"]
    assert "lang" not in heading
    assert paragraph["lang"] == "fr" and "Premier paragraphe 1." in paragraph["value"]


def test_a_complete_translation_and_the_source_are_complete(client, part, english):
    source = chapter(part, 1)
    published_translation(source, english)

    for locale in ("en", "fr"):
        data = client.get(api("chapter-detail", ref=source.translation_key), {"locale": locale}).json()
        assert data["translation"] == {
            "complete": True,
            "progress": 1.0,
            "source_locale": None,
            "untranslated": [],
            "original_locale": "fr",
            "translators": [],
            "reviewed_by": None,
            "reviewed_at": None,
            "machine_assisted": False,
            "outdated": False,
            "source_revision": None
            if locale == "fr"
            else ChapterPage.objects.get(pk=source.pk).live_revision_id,
        }
        assert all("lang" not in block for block in data["body"])


def test_a_city_says_how_complete_it_is(client, english):
    city = CityFactory(name="Cannes", country="France")
    published_translation(city, english, leave=["France"])

    [listed] = client.get(api("city-list"), {"locale": "en"}).json()["results"]

    assert listed["translation"]["complete"] is False
    assert 0 < listed["translation"]["progress"] < 1


def test_lists_read_the_translation_states_in_one_query_whatever_their_length(client, part, english):
    published_translation(chapter(part, 0), english, leave=["Résumé 0"])
    few = count_queries(client, api("chapter-list"), {"locale": "en"})
    for number in range(1, 6):
        published_translation(
            chapter(part, number), english, leave=[f"Résumé {number}"] if number % 2 else []
        )

    results = client.get(api("chapter-list"), {"locale": "en"}).json()["results"]
    many = count_queries(client, api("chapter-list"), {"locale": "en"})

    assert len(results) == 6
    assert {item["translation"]["complete"] for item in results} == {True, False}
    assert few == many


def test_a_translation_of_a_source_that_had_no_revision_is_outdated_once_the_source_is_published(
    client, english
):
    """A snippet made without a revision (imported, or made before it was revisioned) is translated
    from no known revision: once an editor publishes the source, the translation no longer follows it."""
    city = CityFactory(name="Cannes", country="France")
    assert city.live_revision_id is None
    published_translation(city, english)

    def state():
        [listed] = client.get(api("city-list"), {"locale": "en"}).json()["results"]
        detail = client.get(api("city-detail", ref=city.translation_key), {"locale": "en"}).json()
        assert detail["translation"] == listed["translation"]
        return listed["translation"]["source_revision"], listed["translation"]["outdated"]

    assert state() == (None, False)

    city.country = "République française"
    city.save_revision().publish()

    assert state() == (None, True)
