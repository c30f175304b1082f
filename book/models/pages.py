"""The page types of a book. Each language of the book is one page tree:

    BookPage
    ├── PartPage ── ChapterPage
    ├── ContributorIndexPage ── ContributorPage
    └── ThemeIndexPage ── ThemePage

Relations (contributors, themes, sectors, city, images) are synchronised
across languages and point at the version the editor chose; readers resolve
them to their own language through the translation key.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from ..blocks import ChapterBodyBlock, PublicURLsBlock
from ..languages import in_text, language_choices
from ..panels import LinksPanel
from ..preview import ReaderPreviewMixin
from ..text import reading_time_minutes
from ..visibility import public

# Fields every page of the book has through Wagtail's Page model.
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("slug"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    SynchronizedField("show_in_menus"),
]


# A DOI as registries hand it out: the "10." directory prefix, a registrant code, a slash and a suffix.
DOI_RE = r"^10\.\d{4,9}(?:\.\d+)*/\S+\Z"
validate_doi = RegexValidator(
    DOI_RE,
    _(
        "Enter a DOI such as 10.1234/abcd: “10.”, the registrant’s number, a slash and the suffix, without “https://doi.org/”."
    ),
    code="invalid_doi",
)


def source_language():
    """The language the book is written in, which a chapter was first written in unless it says otherwise."""
    from django.conf import settings

    return settings.BOOK_SOURCE_LANGUAGE


def rich_text_field(verbose_name, **kwargs):
    from django.conf import settings

    return RichTextField(verbose_name, blank=True, features=settings.BOOK_RICH_TEXT_FEATURES, **kwargs)


class SupporterBlock(PublicURLsBlock):
    name = blocks.CharBlock(max_length=255, label=_("Name"))
    url = blocks.URLBlock(required=False, label=_("Website"))

    class Meta:
        icon = "group"
        label = _("Supporter")


class LinkBlock(PublicURLsBlock):
    label = blocks.CharBlock(max_length=255, label=_("Label"))
    url = blocks.URLBlock(label=_("URL"))

    class Meta:
        icon = "link"
        label = _("Link")


class BookPage(ReaderPreviewMixin, Page):
    """The book in one language: its title page, colophon and the root of its parts."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_credit = models.CharField(_("cover credit"), max_length=255, blank=True)
    editorial_direction = models.TextField(_("editorial direction"), blank=True)
    supporters = StreamField([("supporter", SupporterBlock())], blank=True, verbose_name=_("supporters"))
    editors = models.TextField(
        _("editors"),
        blank=True,
        help_text=_(
            "Who directed the book, as citations name them: one per line, a person as "
            "'Family name, Given names', an institution as its name, e.g. 'Ville de Cannes'."
        ),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        blank=True,
        help_text=_("As citations name it, e.g. 'Ville de Cannes'."),
    )
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, validators=[validate_doi])

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_credit")], heading=_("Cover")),
        MultiFieldPanel(
            [
                FieldPanel("editorial_direction"),
                FieldPanel("editors"),
                FieldPanel("publisher"),
                FieldPanel("supporters"),
                FieldPanel("licence"),
                FieldPanel("publication_date"),
                FieldPanel("isbn"),
                FieldPanel("doi"),
            ],
            heading=_("Colophon"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("subtitle"),
        TranslatableField("summary"),
        TranslatableField("cover_credit"),
        TranslatableField("editorial_direction"),
        TranslatableField("editors"),
        TranslatableField("publisher"),
        TranslatableField("supporters"),
        TranslatableField("licence"),
        SynchronizedField("cover_image"),
        SynchronizedField("publication_date"),
        SynchronizedField("isbn"),
        SynchronizedField("doi"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["book.PartPage", "book.ContributorIndexPage", "book.ThemeIndexPage"]

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")

    @classmethod
    def can_exist_under(cls, parent):
        # A book is the root of a language's tree: directly under Wagtail's root, never nested
        # (this also rules out moving a book under another page).
        return super().can_exist_under(parent) and parent.is_root()

    def table_of_contents(self, include_unpublished=False):
        """The parts of the book in order, each with its chapters in order.

        Three queries whatever the size of the book (private sections, parts, chapters). Returns a list of
        ``(part, [chapter, ...])`` pairs.
        """
        parts = PartPage.objects.child_of(self)
        chapters = ChapterPage.objects.descendant_of(self)
        if not include_unpublished:
            private_q = parts.private_q()
            parts, chapters = public(parts, private_q), public(chapters, private_q)
        by_parent = {}
        for chapter in chapters.order_by("path"):
            by_parent.setdefault(chapter.path[: -ChapterPage.steplen], []).append(chapter)
        return [(part, by_parent.get(part.path, [])) for part in parts.order_by("path")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["table_of_contents"] = self.table_of_contents(
            include_unpublished=getattr(request, "is_preview", False)
        )
        return context


class PartPage(ReaderPreviewMixin, Page):
    """A part of the book: an ordered group of chapters."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    introduction = rich_text_field(_("introduction"))

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("introduction"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("introduction"),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("subtitle"),
        TranslatableField("introduction"),
    ]

    parent_page_types = ["book.BookPage"]
    subpage_types = ["book.ChapterPage"]

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")


class ContributorRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    CO_AUTHOR = "co-author", _("Co-author")
    INTERVIEWEE = "interviewee", _("Interviewee")
    INTERVIEWER = "interviewer", _("Interviewer")
    TRANSLATOR = "translator", _("Translator")
    ILLUSTRATOR = "illustrator", _("Illustrator")
    PHOTOGRAPHER = "photographer", _("Photographer")


class ChapterContributor(Orderable):
    """A contributor of a chapter, in the order the chapter credits them, with their role."""

    chapter = ParentalKey("book.ChapterPage", on_delete=models.CASCADE, related_name="contributor_links")
    contributor = models.ForeignKey(
        "book.ContributorPage",
        verbose_name=_("contributor"),
        on_delete=models.CASCADE,
        related_name="chapter_links",
    )
    role = models.CharField(
        _("role"), max_length=32, choices=ContributorRole.choices, default=ContributorRole.AUTHOR
    )

    panels = [FieldPanel("contributor"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter contributor")
        verbose_name_plural = _("chapter contributors")


class ChapterTheme(Orderable):
    chapter = ParentalKey("book.ChapterPage", on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(
        "book.ThemePage", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="chapter_links"
    )

    panels = [FieldPanel("theme")]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter theme")
        verbose_name_plural = _("chapter themes")


class ChapterSector(Orderable):
    chapter = ParentalKey("book.ChapterPage", on_delete=models.CASCADE, related_name="sector_links")
    sector = models.ForeignKey(
        "book.Sector", verbose_name=_("sector"), on_delete=models.CASCADE, related_name="chapter_links"
    )

    panels = [FieldPanel("sector")]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter sector")
        verbose_name_plural = _("chapter sectors")


class ChapterPage(ReaderPreviewMixin, Page):
    """A chapter: one contribution to the book, in one language."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    city = models.ForeignKey(
        "book.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chapters",
    )
    body = StreamField(ChapterBodyBlock(), blank=True, verbose_name=_("body"))
    doi = models.CharField(
        _("DOI"),
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text=_(
            "The chapter's own DOI, e.g. 10.1234/abcd; citations give the chapter's address when empty."
        ),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=15,
        choices=language_choices,
        default=source_language,
        # Left empty (a form that does not send it), it is the book's source language: see save().
        blank=True,
        help_text=_(
            "The language the contribution was written in; the book's source language unless it was "
            "translated into it. The same for every language of the chapter."
        ),
    )
    word_count = models.PositiveIntegerField(_("word count"), default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("original_language"),
                LinksPanel("contributor_links", label=_("Contributor"), heading=_("Contributors")),
                LinksPanel("theme_links", label=_("Theme"), heading=_("Themes")),
                LinksPanel("sector_links", label=_("Sector"), heading=_("Sectors")),
                FieldPanel("city"),
            ],
            heading=_("Credits and classification"),
        ),
        FieldPanel("doi"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("subtitle"),
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("city"),
        SynchronizedField("doi"),
        SynchronizedField("contributor_links"),
        SynchronizedField("theme_links"),
        SynchronizedField("sector_links"),
        # A fact about the contribution, not text: every language copies the source's.
        SynchronizedField("original_language", overridable=False),
    ]

    parent_page_types = ["book.PartPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def save(self, *args, **kwargs):
        if not self.original_language:
            self.original_language = source_language()
        self.word_count = self.body.stream_block.word_count(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "word_count"}
        return super().save(*args, **kwargs)

    @property
    def reading_time(self):
        """Minutes a reader needs for the body, derived from the word count."""
        return reading_time_minutes(self.word_count)

    @property
    def original_language_name(self):
        """The name of the language the contribution was written in, in the interface's language."""
        return dict(language_choices()).get(self.original_language, self.original_language)

    @property
    def original_language_in_text(self):
        """That name inside a sentence of the interface's language ("Written in Spanish.", « Écrit en espagnol. »)."""
        return in_text(self.original_language_name)


class ContributorIndexPage(Page):
    """The list of the book's contributors in one language."""

    introduction = rich_text_field(_("introduction"))

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [TranslatableField("introduction")]

    parent_page_types = ["book.BookPage"]
    subpage_types = ["book.ContributorPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contributor index")
        verbose_name_plural = _("contributor indexes")


class ContributorPage(ReaderPreviewMixin, Page):
    """A contributor's biography page, one per language."""

    sort_name = models.CharField(
        _("sort name"),
        max_length=255,
        blank=True,
        help_text=_(
            "How the name is sorted, e.g. 'Andrea, Jean-Baptiste'. Derived from the name when empty."
        ),
    )
    professions = models.CharField(
        _("professions"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated, e.g. 'writer, film-maker'."),
    )
    city = models.ForeignKey(
        "book.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributors",
    )
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    portrait_credit = models.CharField(_("portrait credit"), max_length=255, blank=True)
    biography = rich_text_field(_("biography"))
    links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("links"))

    content_panels = [
        FieldPanel("title", heading=_("Name")),
        FieldPanel("sort_name"),
        FieldPanel("professions"),
        FieldPanel("city"),
        MultiFieldPanel([FieldPanel("portrait"), FieldPanel("portrait_credit")], heading=_("Portrait")),
        FieldPanel("biography"),
        FieldPanel("links"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("professions"),
        index.SearchField("biography"),
        index.FilterField("sort_name"),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("professions"),
        TranslatableField("portrait_credit"),
        TranslatableField("biography"),
        TranslatableField("links"),
        SynchronizedField("sort_name"),
        SynchronizedField("city"),
        SynchronizedField("portrait"),
    ]

    parent_page_types = ["book.ContributorIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def save(self, *args, **kwargs):
        if not self.sort_name and self.title:
            self.sort_name = derive_sort_name(self.title)
        return super().save(*args, **kwargs)

    @property
    def profession_list(self):
        return [item.strip() for item in self.professions.split(",") if item.strip()]


def derive_sort_name(name):
    """'Jean-Baptiste Andrea' -> 'Andrea, Jean-Baptiste'; a single word stays as it is."""
    given, _sep, family = name.strip().rpartition(" ")
    return f"{family}, {given}" if given else family


class ThemeIndexPage(Page):
    """The list of the book's themes in one language."""

    introduction = rich_text_field(_("introduction"))

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [TranslatableField("introduction")]

    parent_page_types = ["book.BookPage"]
    subpage_types = ["book.ThemePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("theme index")
        verbose_name_plural = _("theme indexes")


class ThemePage(ReaderPreviewMixin, Page):
    """One of the book's themes, with the description that introduces it."""

    description = rich_text_field(_("description"))

    content_panels = Page.content_panels + [FieldPanel("description")]

    search_fields = Page.search_fields + [index.SearchField("description")]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [TranslatableField("description")]

    parent_page_types = ["book.ThemeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
