"""The shapes of the API's responses.

An item's serializer serializes what ``api.prepare`` made of it, in a fixed
number of queries for a whole batch of items: a ``Prepared*`` object holding
the item (``item``) and what was loaded for it (the items it points at and its
images, built already as the shapes ``api.parts`` and ``api.images`` declare, and
described by the serializers generated from those declarations). The OpenAPI
schema is generated from these same serializers.
"""

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from book.models import CreativeField

from . import parts
from .body import block_serializers
from .images import Image
from .parts import RICH_TEXT_HELP


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


def csl_field_name(name):
    return name.replace("_", "-")


class CSLSerializer(serializers.Serializer):
    """A part of a CSL-JSON item, whose variables are hyphenated (container-title, date-parts).

    The citation is built by ``book.citations`` in the standard form its BibTeX and RIS are
    written from, and given out as it is: these fields describe it (the OpenAPI schema reads
    them), and the tests hold the citations built to them.
    """

    def get_fields(self):
        return {csl_field_name(name): field for name, field in super().get_fields().items()}

    def to_representation(self, instance):
        return instance


class CSLNameSerializer(CSLSerializer):
    """A person (family and given names) or an institution (literal)."""

    family = serializers.CharField(required=False)
    given = serializers.CharField(required=False)
    literal = serializers.CharField(required=False, help_text=_("An institution, or a name in one word."))


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
    ISBN = serializers.CharField(required=False, help_text=_("The book's ISBN in this language."))
    language = serializers.CharField()
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
    translations = parts.Translation.serializer(
        many=True, help_text=_("The other published languages of the item.")
    )
    translation = parts.TranslationState.serializer()


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
    cover = Image.serializer(allow_null=True)
    publication_date = serializers.DateField(source="item.publication_date", allow_null=True)
    licence = serializers.CharField(source="item.licence")
    isbn = serializers.CharField(source="item.isbn")
    doi = serializers.CharField(source="item.doi")


class BookDetailSerializer(DetailMixin, BookSerializer):
    editorial_direction = serializers.CharField(source="item.editorial_direction")
    supporters = parts.Supporter.serializer(many=True)
    toc = parts.TocPart.serializer(many=True, help_text=_("The parts in order, each with its chapters."))
    editions = parts.Edition.serializer(
        many=True,
        help_text=_(
            "The book in this language as files to download (EPUB, PDF): the last complete build of each "
            "format, kept while a newer one is built."
        ),
    )


class ChapterSerializer(ItemSerializer):
    subtitle = serializers.CharField(source="item.subtitle")
    summary = serializers.CharField(source="item.summary")
    part = parts.PartReference.serializer(allow_null=True)
    contributors = parts.ContributorCredit.serializer(many=True)
    themes = parts.Reference.serializer(many=True)
    sectors = parts.Reference.serializer(many=True)
    city = parts.Reference.serializer(allow_null=True)
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
    # declaration and describes their images with the serializer of ``api.images``.
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
    city = parts.Reference.serializer(allow_null=True)
    portrait = Image.serializer(allow_null=True)


class ContributorDetailSerializer(DetailMixin, ContributorSerializer):
    biography = serializers.CharField(help_text=RICH_TEXT_HELP)
    links = parts.Link.serializer(many=True)
    chapters = parts.ChapterCredit.serializer(many=True)


class ThemeSerializer(ItemSerializer):
    description = serializers.CharField(help_text=RICH_TEXT_HELP)


class ThemeDetailSerializer(DetailMixin, ThemeSerializer):
    chapters = parts.ChapterReference.serializer(many=True)


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


class PartPreviewSerializer(DetailMixin, ItemSerializer):
    """A part of the book, as its preview shows it: the API has no endpoint of its own for parts."""

    subtitle = serializers.CharField(source="item.subtitle")
    chapters = parts.ChapterReference.serializer(many=True)


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
