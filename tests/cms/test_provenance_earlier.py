"""Translations published before provenance was recorded tell readers where their words come from too.

The translations below are made, machine-filled, reviewed and published with
the recording of provenance switched off, as they were before it existed;
the migration that follows it, or ``record_provenance``, then finds what
wagtail-localize and Wagtail kept, and the API credits the same people as
for a translation recorded as it happened.
"""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_save
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail.signals import page_published, published
from wagtail_localize.models import StringSegment, Translation, TranslationLog, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage, City, TranslationCoverage
from cms.localization import coverage
from tests.cms.test_provenance import (
    deepl_stand_in,
    make_team,
    provenance_of,
    put_segment,
    submit_and_approve,
)
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

MIGRATION = ("book", "0007_provenance_of_earlier_translations")


def run_migration():
    """The data migration, on the models as they were when it was written."""
    apps = MigrationLoader(connection).project_state(MIGRATION, at_end=True).apps
    module = importlib.import_module(f"book.migrations.{MIGRATION[1]}")
    module.record_earlier_translations(apps, None)


def run_command():
    out = StringIO()
    with translation.override("en"):
        call_command("record_provenance", stdout=out)
    return out.getvalue()


@pytest.fixture
def team(settings, django_user_model):
    return make_team(settings, django_user_model)


@pytest.fixture
def deepl(settings):
    with deepl_stand_in(settings) as server:
        yield server


@pytest.fixture
def before_provenance():
    """Publishing records no provenance, as before it was recorded."""
    receivers = [
        (post_save, coverage._on_translation_written, TranslationLog, "localization_coverage"),
        (page_published, coverage._on_page_published, None, "localization_provenance_page"),
        (published, coverage._on_snippet_published, None, "localization_provenance_snippet"),
    ]
    for signal, _receiver, sender, uid in receivers:
        assert signal.disconnect(sender=sender, dispatch_uid=uid)
    yield
    for signal, receiver, sender, uid in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def translate_the_old_way(client, team):
    """The translator writes the title, the machine the paragraphs; a reviewer approves."""
    translation = team["translation"]
    client.force_login(team["translator"])
    put_segment(client, translation, "Le chapitre", "The chapter")
    assert (
        client.post(reverse("wagtail_localize:machine_translate", args=(translation.pk,))).status_code == 302
    )
    return submit_and_approve(client, team)


@pytest.mark.parametrize("recorded_before", [False, True], ids=["nothing-recorded", "counts-recorded"])
@pytest.mark.parametrize("fill", [run_migration, run_command], ids=["migration", "command"])
def test_a_translation_published_before_provenance_gets_it(
    client,
    team,
    deepl,
    before_provenance,
    fill,
    recorded_before,
):
    target = translate_the_old_way(client, team)
    if recorded_before:
        # Between completeness and provenance, a revision recorded how complete it was, and nothing more.
        TranslationCoverage.objects.create(
            revision_id=target.live_revision_id, source_language="fr", total_segments=4, translated_segments=4
        )
    assert TranslationCoverage.objects.filter(translators=[]).count() == TranslationCoverage.objects.count()

    fill()

    source = ChapterPage.objects.get(pk=team["chapter"].pk)
    state = provenance_of(client, source, "en")
    assert state["translators"] == ["Ada Lovelace"]
    assert state["reviewed_by"] == "Grace Hopper" and state["reviewed_at"] is not None
    assert state["machine_assisted"] is True
    assert state["source_revision"] == source.live_revision_id
    assert (state["outdated"], state["complete"], state["original_locale"]) == (False, True, "en")
    # Filled once: nothing is left to record, and a second run changes nothing.
    assert run_command() == "Every published translation already has its provenance.\n"
    assert provenance_of(client, source, "en") == state

    # The source changes afterwards: the earlier translation is outdated, as any other.
    source.title = "Le chapitre revu"
    source.save_revision().publish()
    assert provenance_of(client, source, "en")["outdated"] is True


def test_a_translation_published_before_its_source_changed_is_outdated(
    client,
    team,
    deepl,
    before_provenance,
):
    translate_the_old_way(client, team)
    source = ChapterPage.objects.get(pk=team["chapter"].pk)
    translated_from = source.live_revision_id
    source.title = "Le chapitre revu"
    source.save_revision().publish()

    # The chapter, its part and its book in English.
    assert "Recorded the provenance of 3 translations." in run_command()

    state = provenance_of(client, source, "en")
    assert (state["source_revision"], state["outdated"]) == (translated_from, True)


def test_an_earlier_city_translation_and_one_written_by_hand_get_their_provenance(
    client,
    team,
    before_provenance,
):
    english = Locale.objects.get(language_code="en")
    city = CityFactory(name="Cannes", slug="cannes", live=False)
    city.save_revision().publish()
    with TestCase.captureOnCommitCallbacks(execute=True):
        TranslationCreator(team["editor"], [english]).create_translations(city)
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(city), target_locale=english
    )
    client.force_login(team["translator"])
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        put_segment(client, translation, segment.string.data, f"EN {segment.string.data}")
    translation.save_target(user=team["translator"])
    City.objects.get(translation_key=city.translation_key, locale=english).save_revision().publish()
    # A city translated by hand, without the translation tools.
    cannes = City.objects.get(pk=city.pk)
    by_hand = CityFactory(name="Nice", slug="nice", live=False)
    by_hand.save_revision().publish()
    copy = by_hand.copy_for_translation(english)
    copy.name = "Nice (en)"
    copy.save()
    copy.save_revision().publish()
    english_cities = City.objects.filter(locale=english).values("live_revision_id")
    assert not TranslationCoverage.objects.filter(revision_id__in=english_cities).exists()

    def city_provenance(item):
        response = client.get(reverse("api:city-detail", args=(item.translation_key,)), {"locale": "en"})
        assert response.json()["locale"] == "en"
        return response.json()["translation"]

    # Read, and so stored, before: the documents of the cities recorded are built again.
    assert city_provenance(cannes)["translators"] == []
    run_command()

    state = city_provenance(cannes)
    assert (state["translators"], state["reviewed_by"], state["machine_assisted"]) == (
        ["Ada Lovelace"],
        None,
        False,
    )
    assert state["source_revision"] == cannes.live_revision_id
    state = city_provenance(by_hand)
    assert (state["translators"], state["source_revision"], state["outdated"]) == (
        [],
        City.objects.get(pk=by_hand.pk).live_revision_id,
        False,
    )
