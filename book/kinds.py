"""The kinds of item the book is made of, declared once; every room reads them from here.

A kind (chapter, part, book, contributor, theme, city, sector) is a model of the
book, the name the public API, the change feed and webhooks give it, how it is
labelled for people, where the public API serves it, and what it shows of
other kinds (so that a change to one of those changes its documents). Adding
a kind is one entry here and its model; the API, the CDN purge, the change
feed, the translators' queues and e-mails, the admin and the editions take
their lists from ``KINDS``. Models are named by label and looked up once the
apps are loaded, so this module imports none of them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reference:
    """What a kind shows of another: ``kind`` through ``via``.

    ``via`` is a field of the model (a foreign key, or the links of a chapter
    to what it credits), or ``PARENT`` for the page above it in the tree, or
    ``DESCENDANTS`` for the pages below it. Links in rich text are not listed:
    they go to any page, and Wagtail's reference index knows them.
    """

    kind: str
    via: str


PARENT = "parent"
DESCENDANTS = "descendants"


@dataclass(frozen=True)
class Kind:
    """One kind of item of the book."""

    # The public name: the API's URL names (``api:<name>-detail``), the ``type``
    # of change events, webhooks and search results.
    name: str
    # ``app_label.ModelName``.
    model_label: str
    label: str
    label_plural: str
    # The API's path segment (``/api/v1/<segment>/``), or None for a kind
    # served only inside the list of another (``listed_in``).
    segment: str | None
    # A page of the tree, or a snippet.
    page: bool
    references: tuple[Reference, ...] = ()
    # For a kind without endpoints of its own: (the kind whose list it filters, the filter).
    listed_in: tuple[str, str] | None = None
    # The page that holds the items of this kind in the tree, if any, and its label.
    index_model_label: str | None = None
    index_label: str | None = None
    # Found by the API's search, with this field as the summary of a result (or none).
    searchable: bool = False
    search_summary: str | None = None
    # How its items are ordered when a whole-book read includes them (then by id), and whether
    # only the items under the book read are included (the pages of a book's own tree).
    included_ordering: tuple[str, ...] = ()
    in_book: bool = False

    @property
    def model(self):
        # Not waiting for every app's models: the book's are loaded first, and the rooms
        # above read this while their own models load.
        return apps.get_model(self.model_label, require_ready=False)

    @property
    def model_name(self):
        """The model's name as permissions and content types spell it ("chapterpage"), without loading it."""
        return self.model_label.partition(".")[2].lower()

    @property
    def index_model(self):
        return apps.get_model(self.index_model_label, require_ready=False) if self.index_model_label else None

    @property
    def title(self):
        """The label as a heading or column shows it ("Chapter")."""
        return capfirst(self.label)

    @property
    def served(self):
        """Whether the public API has a list and a detail of this kind."""
        return self.segment is not None

    def api_path(self, ref):
        """The path and query of the item ``ref`` (a key or a slug) in the public API, language apart.

        A kind without endpoints of its own is the list of the kind it is listed in, filtered by it
        (a part: the chapters of that part)."""
        if self.listed_in is not None:
            kind, parameter = self.listed_in
            return reverse(f"api:{kind}-list"), {parameter: ref}
        return reverse(f"api:{self.name}-detail", kwargs={"ref": ref}), {}

    def __str__(self):
        return self.name


BOOK = Kind(
    name="book",
    model_label="book.BookPage",
    label=_("book"),
    label_plural=_("books"),
    segment="books",
    page=True,
    references=(Reference("part", DESCENDANTS), Reference("chapter", DESCENDANTS)),
)
PART = Kind(
    name="part",
    model_label="book.PartPage",
    label=_("part"),
    label_plural=_("parts"),
    segment=None,
    page=True,
    references=(Reference("book", PARENT),),
    listed_in=("chapter", "part"),
)
CHAPTER = Kind(
    name="chapter",
    model_label="book.ChapterPage",
    label=_("chapter"),
    label_plural=_("chapters"),
    segment="chapters",
    page=True,
    references=(
        Reference("part", PARENT),
        Reference("contributor", "contributor_links"),
        Reference("theme", "theme_links"),
        Reference("sector", "sector_links"),
        Reference("city", "city"),
    ),
    searchable=True,
    search_summary="subtitle",
)
CONTRIBUTOR = Kind(
    name="contributor",
    model_label="book.ContributorPage",
    label=_("contributor"),
    label_plural=_("contributors"),
    segment="contributors",
    page=True,
    # Their chapters are found through the chapters' links to them.
    references=(Reference("city", "city"), Reference("chapter", "chapter_links")),
    index_model_label="book.ContributorIndexPage",
    index_label=_("Contributor index"),
    searchable=True,
    search_summary="professions",
    included_ordering=("sort_name", "title"),
    in_book=True,
)
THEME = Kind(
    name="theme",
    model_label="book.ThemePage",
    label=_("theme"),
    label_plural=_("themes"),
    segment="themes",
    page=True,
    references=(Reference("chapter", "chapter_links"),),
    index_model_label="book.ThemeIndexPage",
    index_label=_("Theme index"),
    searchable=True,
    included_ordering=("path",),
    in_book=True,
)
CITY = Kind(
    name="city",
    model_label="book.City",
    label=_("city"),
    label_plural=_("cities"),
    segment="cities",
    page=False,
    included_ordering=("name",),
)
SECTOR = Kind(
    name="sector",
    model_label="book.Sector",
    label=_("sector"),
    label_plural=_("sectors"),
    segment="sectors",
    page=False,
    included_ordering=("sort_order", "name"),
)

# In the order the API lists its endpoints and the change feed its types.
KINDS = (BOOK, PART, CHAPTER, CONTRIBUTOR, THEME, CITY, SECTOR)
BY_NAME = {kind.name: kind for kind in KINDS}


def get(name):
    """The kind of that public name; KeyError for any other."""
    return BY_NAME[name]


def names():
    return [kind.name for kind in KINDS]


def served():
    """The kinds the public API has endpoints for."""
    return [kind for kind in KINDS if kind.served]


def pages():
    return [kind for kind in KINDS if kind.page]


def snippets():
    return [kind for kind in KINDS if not kind.page]


def searchable():
    return [kind for kind in KINDS if kind.searchable]


def page_models():
    return tuple(kind.model for kind in pages())


def snippet_models():
    return tuple(kind.model for kind in snippets())


def index_models():
    return tuple(kind.index_model for kind in KINDS if kind.index_model_label)


def kind_of(item):
    """The kind of ``item`` (a model or an instance of its exact class), or None: index pages and the rest have none."""
    model = item if isinstance(item, type) else type(item)
    label = model._meta.label
    return next((kind for kind in KINDS if kind.model_label == label), None)


def showing(kind, via):
    """The kinds that show ``kind`` through ``via`` (chapters show their part through ``PARENT``)."""
    return [other for other in KINDS if Reference(kind.name, via) in other.references]
