"""The content model of a book: pages for everything translatable, snippets for the small collections."""

from .collections import City, CreativeField, Sector
from .editions import Edition
from .pages import (
    BookPage,
    ChapterContributor,
    ChapterPage,
    ChapterSector,
    ChapterTheme,
    ContributorIndexPage,
    ContributorPage,
    ContributorRole,
    PartPage,
    ThemeIndexPage,
    ThemePage,
)
from .translation import TranslationCoverage, TranslationCredit

__all__ = [
    "BookPage",
    "ChapterContributor",
    "ChapterPage",
    "ChapterSector",
    "ChapterTheme",
    "City",
    "ContributorIndexPage",
    "ContributorPage",
    "ContributorRole",
    "CreativeField",
    "Edition",
    "PartPage",
    "Sector",
    "ThemeIndexPage",
    "ThemePage",
    "TranslationCoverage",
    "TranslationCredit",
]
