"""A small book in French with an English translation, built with the factories."""

from types import SimpleNamespace

import pytest
import wagtail_factories
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.models import Locale

from book.models import ChapterContributor, ChapterSector, ChapterTheme
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    CityFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
    SectorFactory,
    ThemeIndexPageFactory,
    ThemePageFactory,
)


@pytest.fixture
def client():
    return APIClient()


def api(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs or None)


def translate(page, locale, **changes):
    """A published copy of ``page`` in ``locale``, with ``changes`` applied."""
    page = page.specific_class.objects.get(pk=page.pk)
    copy = page.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy.specific_class.objects.get(pk=copy.pk)


def translate_snippet(item, locale, **changes):
    copy = item.copy_for_translation(locale)
    copy.live = True
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def credit(chapter, contributors=(), themes=(), sectors=()):
    for position, (contributor, role) in enumerate(contributors):
        ChapterContributor.objects.create(
            chapter=chapter, contributor=contributor, role=role, sort_order=position
        )
    for position, theme in enumerate(themes):
        ChapterTheme.objects.create(chapter=chapter, theme=theme, sort_order=position)
    for position, sector in enumerate(sectors):
        ChapterSector.objects.create(chapter=chapter, sector=sector, sort_order=position)


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def book(db, english):
    """The French book: two parts, three chapters, two contributors, two themes; partly in English."""
    french = Locale.get_default()
    cover = wagtail_factories.ImageFactory(title="Couverture")
    book = BookPageFactory(title="IA et création", slug="ia-et-creation", cover_image=cover)
    part_one = PartPageFactory(parent=book, title="Pratiques", slug="pratiques")
    part_two = PartPageFactory(parent=book, title="Diffusion", slug="diffusion")
    contributors_index = ContributorIndexPageFactory(parent=book)
    themes_index = ThemeIndexPageFactory(parent=book, slug="themes")
    cannes = CityFactory(name="Cannes", slug="cannes", country="France")
    cinema = SectorFactory(name="Cinéma", slug="cinema", sort_order=1)
    music = SectorFactory(name="Musique", slug="musique", sort_order=2)
    portrait = wagtail_factories.ImageFactory(title="Portrait")
    andrea = ContributorPageFactory(
        parent=contributors_index,
        title="Jean-Baptiste Andrea",
        slug="jean-baptiste-andrea",
        professions="écrivain, cinéaste",
        city=cannes,
        portrait=portrait,
        portrait_credit="Photo X",
        biography="<p>Romancier.</p>",
    )
    jarre = ContributorPageFactory(
        parent=contributors_index, title="Jean-Michel Jarre", slug="jean-michel-jarre", professions="musicien"
    )
    practices = ThemePageFactory(
        parent=themes_index,
        title="Pratiques créatives",
        slug="pratiques-creatives",
        description="<p>Créer.</p>",
    )
    audiences = ThemePageFactory(parent=themes_index, title="Publics", slug="publics")
    first = ChapterPageFactory(
        parent=part_one,
        title="Écrire avec la machine",
        slug="ecrire-avec-la-machine",
        subtitle="Un roman",
        city=cannes,
        body=[("heading", {"level": "h2", "text": "Début"}), ("paragraph", "<p>Un deux trois quatre.</p>")],
    )
    second = ChapterPageFactory(parent=part_one, title="Composer", slug="composer")
    third = ChapterPageFactory(parent=part_two, title="Partager", slug="partager")
    credit(
        first,
        contributors=[(jarre, "interviewee"), (andrea, "author")],
        themes=[practices, audiences],
        sectors=[cinema, music],
    )
    credit(second, contributors=[(jarre, "author")], themes=[practices])
    credit(third, contributors=[(andrea, "author")], themes=[audiences])

    en_book = translate(book, english, title="AI and creation", slug="ai-and-creation")
    en_part_one = translate(part_one, english, title="Practices", slug="practices")
    en_contributors = translate(contributors_index, english, title="Contributors", slug="contributors")
    en_andrea = translate(andrea, english, slug="jean-baptiste-andrea-en", professions="writer, film-maker")
    en_first = translate(first, english, title="Writing with the machine", slug="writing-with-the-machine")
    en_cannes = translate_snippet(cannes, english, name="Cannes (EN)", country="France (EN)")
    return SimpleNamespace(
        french=french,
        english=english,
        book=book,
        part_one=part_one,
        part_two=part_two,
        contributors_index=contributors_index,
        themes_index=themes_index,
        cannes=cannes,
        cinema=cinema,
        music=music,
        andrea=andrea,
        jarre=jarre,
        practices=practices,
        audiences=audiences,
        first=first,
        second=second,
        third=third,
        en_book=en_book,
        en_part_one=en_part_one,
        en_contributors=en_contributors,
        en_andrea=en_andrea,
        en_first=en_first,
        en_cannes=en_cannes,
        cover=cover,
        portrait=portrait,
    )
