"""The shapes of the API's responses.

An item's serializer serializes what ``api.prepare`` made of it, in a fixed
number of queries for a whole batch of items: a ``Prepared*`` object holding
the item (``item``) and what was loaded for it (the items it points at, already
in their final form, as plain dicts that ``PreparedSerializer``s describe). The
OpenAPI schema is generated from these same serializers.
"""

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from book import kinds
from book.models import ContributorRole, CreativeField, Edition

from .body import block_serializers
from .parts import RICH_TEXT_HELP, ImageSerializer, PreparedSerializer


class ErrorDetailSerializer(serializers.Serializer):
    parameter = serializers.CharField(
        allow_null=True, help_text=_("The request parameter at fault, when there is one.")
    )
    message = serializers.CharField(help_text=_("What went wrong, in the interface language."))
    code = serializers.CharField(help_text=_("A stable, machine-readable error code."))


class ErrorSerializer(serializers.Serializer):
    """Every 4xx response of the API has this body."""

    error = ErrorDetailSerializer()


class LocaleCountsSerializer(serializers.Serializer):
    """How many items of each kind are published in a language (their translations, not fallbacks)."""

    books = serializers.IntegerField()
    chapters = serializers.IntegerField()
    contributors = serializers.IntegerField()
    themes = serializers.IntegerField()
    cities = serializers.IntegerField()
    sectors = serializers.IntegerField()


class LocaleSerializer(serializers.Serializer):
    """A language of the book."""

    code = serializers.CharField(source="locale.language_code")
    name = serializers.SerializerMethodField()
    native_name = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    def _info(self, prepared):
        locale = prepared.locale
        try:
            return get_language_info(locale.language_code)
        except KeyError:
            return {"name": locale.language_code, "name_local": locale.language_code, "bidi": False}

    def get_name(self, prepared) -> str:
        code = prepared.locale.language_code
        return str(dict(settings.LANGUAGES).get(code) or self._info(prepared)["name"])

    def get_native_name(self, prepared) -> str:
        return self._info(prepared)["name_local"]

    @extend_schema_field(serializers.ChoiceField(choices=["ltr", "rtl"]))
    def get_direction(self, prepared):
        return "rtl" if self._info(prepared)["bidi"] else "ltr"

    def get_source(self, prepared) -> bool:
        return prepared.locale.language_code == settings.LANGUAGE_CODE

    published = serializers.BooleanField(
        help_text=_(
            "True when the book is published in this language: /books/?locale= lists it. Other "
            "languages are read through their fallback to the source language."
        ),
    )
    counts = LocaleCountsSerializer()
    progress = serializers.FloatField(
        min_value=0,
        max_value=1,
        help_text=_(
            "The share of the source language's published chapters that are published in this "
            "language, from 0 to 1."
        ),
    )


class TranslationSerializer(PreparedSerializer):
    locale = serializers.CharField()
    url = serializers.URLField()


class ReferenceSerializer(PreparedSerializer):
    """The short form of an item another item points at."""

    id = serializers.IntegerField()
    key = serializers.UUIDField(help_text=_("The key shared by every language version of the item."))
    locale = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class PartReferenceSerializer(ReferenceSerializer):
    url = serializers.URLField(help_text=_("The list of the part's chapters."))


class ContributorCreditSerializer(ReferenceSerializer):
    role = serializers.ChoiceField(choices=ContributorRole.choices)


class ChapterReferenceSerializer(ReferenceSerializer):
    subtitle = serializers.CharField()
    word_count = serializers.IntegerField()
    reading_time = serializers.IntegerField(help_text=_("Minutes."))


class ChapterCreditSerializer(ChapterReferenceSerializer):
    role = serializers.ChoiceField(choices=ContributorRole.choices)


TOC_LOCALE_HELP = _(
    "The language this entry is in: the book's, or the source language's when it is not yet translated."
)
TOC_FALLBACK_HELP = _("True when this entry is not in the requested language.")


class TocChapterSerializer(ChapterReferenceSerializer):
    locale = serializers.CharField(help_text=TOC_LOCALE_HELP)
    fallback = serializers.BooleanField(help_text=TOC_FALLBACK_HELP)


class TocPartSerializer(PartReferenceSerializer):
    locale = serializers.CharField(help_text=TOC_LOCALE_HELP)
    fallback = serializers.BooleanField(help_text=TOC_FALLBACK_HELP)
    subtitle = serializers.CharField()
    chapters = TocChapterSerializer(many=True)


class LinkSerializer(PreparedSerializer):
    label = serializers.CharField()
    url = serializers.CharField()


class SupporterSerializer(PreparedSerializer):
    name = serializers.CharField()
    url = serializers.CharField()


class EditionSerializer(PreparedSerializer):
    """A downloadable file of the book in this language."""

    format = serializers.ChoiceField(choices=Edition.Format.choices)
    url = serializers.URLField(help_text=_("Where to download the file."))
    media_type = serializers.CharField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    built_at = serializers.DateTimeField()
    complete = serializers.BooleanField(
        help_text=_("False when chapters of the source language are not yet published in this one.")
    )


class TranslationStateSerializer(PreparedSerializer):
    """How complete the item's translation is, as published, and where its words come from."""

    complete = serializers.BooleanField(
        help_text=_(
            "True when every segment of the item was translated into its language when it was "
            "published; always true in the source language and for items written by hand."
        )
    )
    progress = serializers.FloatField(
        min_value=0,
        max_value=1,
        help_text=_("The share of the item's segments translated, from 0 to 1 (1 when complete)."),
    )
    source_locale = serializers.CharField(
        allow_null=True,
        help_text=_("The language of the text not yet translated (the source language), null when complete."),
    )
    untranslated = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "The fields of the item whose text is, in whole or in part, still in source_locale; "
            "the body's blocks concerned carry lang as well."
        ),
    )
    original_locale = serializers.CharField(
        help_text=_(
            "The language the item was first written in: for a chapter, the language its contributor "
            "wrote it in (a contribution written in English and translated into French says en); "
            "otherwise the book's source language."
        )
    )
    translators = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "The names of the people who translated this version, as the editors credit them (by default, "
            "the people who wrote its segments in the translation tools, the most segments first); "
            "empty in the source language and for items written by hand."
        ),
    )
    reviewed_by = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The name of the reviewer who approved the publication of this version; null when none did."
        ),
    )
    reviewed_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "When the reviewer approved the publication of this version; null when no review approved it."
        ),
    )
    machine_assisted = serializers.BooleanField(
        help_text=_(
            "True when some of this version's text is as a machine translated it, unedited by a person since."
        )
    )
    outdated = serializers.BooleanField(
        help_text=_(
            "True when the source changed after this translation was published: the source's live "
            "revision is no longer source_revision. Always false in the source language."
        )
    )
    source_revision = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The id of the revision of the source this version translates; null in the source language "
            "and when unknown."
        ),
    )


class CSLNameSerializer(PreparedSerializer):
    """A person (family and given names) or an institution (literal)."""

    family = serializers.CharField(required=False)
    given = serializers.CharField(required=False)
    literal = serializers.CharField(required=False, help_text=_("An institution, or a name in one word."))


def csl_field_name(name):
    return name.replace("_", "-")


class CSLSerializer(PreparedSerializer):
    """A part of a CSL-JSON item, whose variables are hyphenated (container-title, date-parts)."""

    def get_fields(self):
        return {csl_field_name(name): field for name, field in super().get_fields().items()}


class CSLDateSerializer(CSLSerializer):
    date_parts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=3),
        help_text=_("[[year, month, day]]"),
    )


class CitationSerializer(CSLSerializer):
    """How to cite the chapter: a CSL-JSON item (Citation Style Language 1.0.2) of type chapter.

    The same citation in BibTeX, RIS or formatted text is at the chapter's cite/ address.
    """

    id = serializers.CharField(help_text=_("A citation key, as BibTeX uses it."))
    type = serializers.ChoiceField(choices=["chapter"])
    title = serializers.CharField()
    author = CSLNameSerializer(many=True, required=False)
    interviewer = CSLNameSerializer(many=True, required=False)
    translator = CSLNameSerializer(many=True, required=False)
    illustrator = CSLNameSerializer(many=True, required=False)
    container_title = serializers.CharField(required=False, help_text=_("The book, with its subtitle."))
    editor = CSLNameSerializer(many=True, required=False, help_text=_("The book's editorial direction."))
    publisher = serializers.CharField(required=False)
    issued = CSLDateSerializer(required=False, help_text=_("The book's publication date."))
    language = serializers.CharField()
    ISBN = serializers.CharField(required=False, help_text=_("The book's ISBN in this language."))
    DOI = serializers.CharField(required=False, help_text=_("The chapter's DOI, when it has one."))
    URL = serializers.URLField(required=False, help_text=_("The chapter's address, when it has no DOI."))


# Items -----------------------------------------------------------------------


class ItemSerializer(serializers.Serializer):
    """An item (``api.prepare.PreparedItem``): the fields of its own are read from ``item``, the
    others were loaded with its batch."""

    id = serializers.IntegerField(source="item.pk")
    key = serializers.UUIDField(
        source="item.translation_key", help_text=_("The key shared by every language version of the item.")
    )
    locale = serializers.CharField()
    slug = serializers.CharField(source="item.slug")
    title = serializers.CharField(source="item.title")
    url = serializers.URLField()
    translations = TranslationSerializer(many=True, help_text=_("The other published languages of the item."))
    translation = TranslationStateSerializer()


class DetailMixin(serializers.Serializer):
    fallback = serializers.BooleanField(
        help_text=_("True when the requested language has no published version and another is served."),
    )


class BookSerializer(ItemSerializer):
    fallback = serializers.BooleanField(
        help_text=_("True when the requested language has no published version and another is served."),
    )
    subtitle = serializers.CharField(source="item.subtitle")
    summary = serializers.CharField(source="item.summary")
    cover = ImageSerializer(allow_null=True)
    publication_date = serializers.DateField(source="item.publication_date", allow_null=True)
    licence = serializers.CharField(source="item.licence")
    isbn = serializers.CharField(source="item.isbn")
    doi = serializers.CharField(source="item.doi")


class BookDetailSerializer(DetailMixin, BookSerializer):
    editorial_direction = serializers.CharField(source="item.editorial_direction")
    supporters = SupporterSerializer(many=True)
    toc = TocPartSerializer(many=True, help_text=_("The parts in order, each with its chapters."))
    editions = EditionSerializer(
        many=True,
        help_text=_(
            "The book in this language as files to download (EPUB, PDF): the last complete build of each "
            "format, kept while a newer one is built."
        ),
    )


class ChapterSerializer(ItemSerializer):
    subtitle = serializers.CharField(source="item.subtitle")
    summary = serializers.CharField(source="item.summary")
    part = PartReferenceSerializer(allow_null=True)
    contributors = ContributorCreditSerializer(many=True)
    themes = ReferenceSerializer(many=True)
    sectors = ReferenceSerializer(many=True)
    city = ReferenceSerializer(allow_null=True)
    word_count = serializers.IntegerField(source="item.word_count")
    reading_time = serializers.IntegerField(source="item.reading_time", help_text=_("Minutes."))
    first_published_at = serializers.DateTimeField(source="item.first_published_at", allow_null=True)
    last_published_at = serializers.DateTimeField(source="item.last_published_at", allow_null=True)
    doi = serializers.CharField(
        source="item.doi", help_text=_("The chapter's DOI in this language; empty when it has none.")
    )
    citation = CitationSerializer()


# Body blocks -----------------------------------------------------------------


def _block_serializers():
    # Each type of block is declared once, in ``api.body``, which builds its blocks from that
    # declaration and describes them with the shared serializers of ``api.parts``.
    return block_serializers()


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="BodyBlock",
        serializers=_block_serializers,
        resource_type_field_name="type",
        many=True,
    )
)
class BodyField(serializers.Field):
    """The body's blocks, already in their final shape."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value


class ChapterDetailSerializer(DetailMixin, ChapterSerializer):
    body = BodyField()


class ContributorSerializer(ItemSerializer):
    sort_name = serializers.CharField(source="item.sort_name")
    professions = serializers.ListField(child=serializers.CharField())
    city = ReferenceSerializer(allow_null=True)
    portrait = ImageSerializer(allow_null=True)


class ContributorDetailSerializer(DetailMixin, ContributorSerializer):
    biography = serializers.CharField(help_text=RICH_TEXT_HELP)
    links = LinkSerializer(many=True)
    chapters = ChapterCreditSerializer(many=True)


class ThemeSerializer(ItemSerializer):
    description = serializers.CharField(help_text=RICH_TEXT_HELP)


class ThemeDetailSerializer(DetailMixin, ThemeSerializer):
    chapters = ChapterReferenceSerializer(many=True)


class CitySerializer(ItemSerializer):
    title = serializers.CharField(source="item.name", help_text=_("The city's name, as for every item."))
    name = serializers.CharField(source="item.name")
    country = serializers.CharField(source="item.country")
    creative_field = serializers.ChoiceField(source="item.creative_field", choices=CreativeField.choices)
    creative_field_label = serializers.CharField(source="item.get_creative_field_display")


class CityDetailSerializer(DetailMixin, CitySerializer):
    pass


class SectorSerializer(ItemSerializer):
    title = serializers.CharField(source="item.name", help_text=_("The sector's name, as for every item."))
    name = serializers.CharField(source="item.name")
    description = serializers.CharField(source="item.description")
    position = serializers.IntegerField(source="item.sort_order")


class SectorDetailSerializer(DetailMixin, SectorSerializer):
    pass


class SearchResultSerializer(ReferenceSerializer):
    type = serializers.ChoiceField(choices=[kind.name for kind in kinds.searchable()])
    summary = serializers.CharField()


class PartPreviewSerializer(DetailMixin, ItemSerializer):
    """A part of the book, as its preview shows it: the API has no endpoint of its own for parts."""

    subtitle = serializers.CharField(source="item.subtitle")
    chapters = ChapterReferenceSerializer(many=True)


class IncludedSerializer(serializers.Serializer):
    """The items a whole-book read includes, by kind, each as its own detail endpoint shows it."""

    chapters = ChapterDetailSerializer(
        many=True, required=False, help_text=_("The chapters of the table of contents, in reading order.")
    )
    contributors = ContributorDetailSerializer(many=True, required=False)
    themes = ThemeDetailSerializer(many=True, required=False)
    cities = CityDetailSerializer(many=True, required=False)
    sectors = SectorDetailSerializer(many=True, required=False)


class WholeBookSerializer(BookDetailSerializer):
    """A book; with ``include``, the full documents of the kinds asked for besides."""

    included = IncludedSerializer(
        required=False,
        help_text=_("Only with include: the kinds asked for, each a list of documents."),
    )
