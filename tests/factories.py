"""Factories that build book page trees for tests."""

import factory
import wagtail_factories
from wagtail.models import Locale, Page

from book.models import (
    BookPage,
    ChapterPage,
    City,
    ContributorIndexPage,
    ContributorPage,
    CreativeField,
    PartPage,
    Sector,
    ThemeIndexPage,
    ThemePage,
)


def source_locale():
    return Locale.get_default()


class CityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ville {n}")
    slug = factory.Sequence(lambda n: f"ville-{n}")
    country = "France"
    creative_field = CreativeField.FILM
    locale = factory.LazyFunction(source_locale)
    live = True

    class Meta:
        model = City


class SectorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")
    locale = factory.LazyFunction(source_locale)
    live = True

    class Meta:
        model = Sector


class BookPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Livre {n}")
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = BookPage


class PartPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Partie {n}")
    parent = factory.SubFactory(BookPageFactory)

    class Meta:
        model = PartPage


class ChapterPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chapitre {n}")
    parent = factory.SubFactory(PartPageFactory)

    class Meta:
        model = ChapterPage


class ContributorIndexPageFactory(wagtail_factories.PageFactory):
    title = "Contributeurs"
    parent = factory.SubFactory(BookPageFactory)

    class Meta:
        model = ContributorIndexPage


class ContributorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Personne Exemple{n}")
    parent = factory.SubFactory(ContributorIndexPageFactory)

    class Meta:
        model = ContributorPage


class ThemeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Thèmes"
    parent = factory.SubFactory(BookPageFactory)

    class Meta:
        model = ThemeIndexPage


class ThemePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Thème {n}")
    parent = factory.SubFactory(ThemeIndexPageFactory)

    class Meta:
        model = ThemePage
