"""The parts several documents share, each declared once as a shape (``api.shapes``): the
references and credits of items, the table of contents, translations and their state, links,
supporters and editions. ``api.prepare`` builds them through these declarations, and the item
serializers (``api.serializers``) describe them with the serializers generated from them.
Images are declared with the code that builds them (``api.images``)."""

import uuid

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from book import kinds
from book.models import ContributorRole
from book.models import Edition as EditionModel

from .shapes import part, shape, value

RICH_TEXT_HELP = _(
    "Clean HTML: links point at public URLs, note references at their notes. A link to an item of "
    "the book names it in data-kind (book, part, chapter, contributor, theme; contributors or themes "
    "for a whole list), data-key, data-locale (the language served) and data-slug, for a site to map "
    "it to its own route. Images are only the book's own, with their alt text."
)
KEY_HELP = _("The key shared by every language version of the item.")
PART_URL_HELP = _("The list of the part's chapters.")
TOC_LOCALE_HELP = _(
    "The language this entry is in: the book's, or the source language's when it is not yet translated."
)
TOC_FALLBACK_HELP = _("True when this entry is not in the requested language.")


@shape
class Translation:
    """Another published language of the item."""

    locale: str = value(serializers.CharField())
    url: str = value(serializers.URLField())


@shape
class Reference:
    """The short form of an item another item points at."""

    id: int = value(serializers.IntegerField())
    key: uuid.UUID = value(serializers.UUIDField(help_text=KEY_HELP))
    locale: str = value(serializers.CharField())
    slug: str = value(serializers.CharField())
    title: str = value(serializers.CharField())
    url: str = value(serializers.URLField())


@shape
class PartReference(Reference):
    url: str = value(serializers.URLField(help_text=PART_URL_HELP))


@shape
class ContributorCredit(Reference):
    role: str = value(serializers.ChoiceField(choices=ContributorRole.choices))


@shape
class ChapterReference(Reference):
    subtitle: str = value(serializers.CharField())
    word_count: int = value(serializers.IntegerField())
    reading_time: int = value(serializers.IntegerField(help_text=_("Minutes.")))


@shape
class ChapterCredit(ChapterReference):
    role: str = value(serializers.ChoiceField(choices=ContributorRole.choices))


@shape
class TocChapter(ChapterReference):
    locale: str = value(serializers.CharField(help_text=TOC_LOCALE_HELP))
    fallback: bool = value(serializers.BooleanField(help_text=TOC_FALLBACK_HELP))


@shape
class TocPart:
    """A part in the table of contents, with its chapters.

    Not an extension of ``PartReference``: its subtitle comes before its address.
    """

    id: int = value(serializers.IntegerField())
    key: uuid.UUID = value(serializers.UUIDField(help_text=KEY_HELP))
    locale: str = value(serializers.CharField(help_text=TOC_LOCALE_HELP))
    slug: str = value(serializers.CharField())
    title: str = value(serializers.CharField())
    subtitle: str = value(serializers.CharField())
    url: str = value(serializers.URLField(help_text=PART_URL_HELP))
    fallback: bool = value(serializers.BooleanField(help_text=TOC_FALLBACK_HELP))
    chapters: list = part(TocChapter, many=True)


@shape
class SearchResult(Reference):
    type: str = value(serializers.ChoiceField(choices=[kind.name for kind in kinds.searchable()]))
    summary: str = value(serializers.CharField())


@shape
class Link:
    label: str = value(serializers.CharField())
    url: str = value(serializers.CharField())


@shape
class Supporter:
    name: str = value(serializers.CharField())
    url: str = value(serializers.CharField())


@shape
class Edition:
    """A downloadable file of the book in this language."""

    format: str = value(serializers.ChoiceField(choices=EditionModel.Format.choices))
    url: str = value(serializers.URLField(help_text=_("Where to download the file.")))
    media_type: str = value(serializers.CharField())
    bytes: int = value(serializers.IntegerField())
    sha256: str = value(serializers.CharField())
    # Written as the serializer field writes it, once, when the part is built.
    built_at: str = value(serializers.DateTimeField())
    complete: bool = value(
        serializers.BooleanField(
            help_text=_("False when chapters of the source language are not yet published in this one.")
        )
    )


@shape
class TranslationState:
    """How complete the item's translation is, as published, and where its words come from."""

    complete: bool = value(
        serializers.BooleanField(
            help_text=_(
                "True when every segment of the item was translated into its language when it was "
                "published; always true in the source language and for items written by hand."
            )
        )
    )
    progress: float = value(
        serializers.FloatField(
            min_value=0,
            max_value=1,
            help_text=_("The share of the item's segments translated, from 0 to 1 (1 when complete)."),
        )
    )
    source_locale: str | None = value(
        serializers.CharField(
            allow_null=True,
            help_text=_(
                "The language of the text not yet translated (the source language), null when complete."
            ),
        )
    )
    untranslated: list = value(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_(
                "The fields of the item whose text is, in whole or in part, still in source_locale; "
                "the body's blocks concerned carry lang as well."
            ),
        )
    )
    original_locale: str = value(
        serializers.CharField(
            help_text=_(
                "The language the item was first written in: for a chapter, the language its contributor "
                "wrote it in (a contribution written in English and translated into French says en); "
                "otherwise the book's source language."
            )
        )
    )
    translators: list = value(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_(
                "The names of the people who translated this version, as the editors credit them (by "
                "default, the people who wrote its segments in the translation tools, the most segments "
                "first); empty in the source language and for items written by hand."
            ),
        )
    )
    reviewed_by: str | None = value(
        serializers.CharField(
            allow_null=True,
            help_text=_(
                "The name of the reviewer who approved the publication of this version; null when none did."
            ),
        )
    )
    reviewed_at: object = value(
        serializers.DateTimeField(
            allow_null=True,
            help_text=_(
                "When the reviewer approved the publication of this version; null when no review approved it."
            ),
        )
    )
    machine_assisted: bool = value(
        serializers.BooleanField(
            help_text=_(
                "True when some of this version's text is as a machine translated it, unedited by a person "
                "since."
            )
        )
    )
    outdated: bool = value(
        serializers.BooleanField(
            help_text=_(
                "True when the source changed after this translation was published: the source's live "
                "revision is no longer source_revision. Always false in the source language."
            )
        )
    )
    source_revision: int | None = value(
        serializers.IntegerField(
            allow_null=True,
            help_text=_(
                "The id of the revision of the source this version translates; null in the source "
                "language and when unknown."
            ),
        )
    )
