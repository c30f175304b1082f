"""The book's kinds are declared once (book/kinds.py), and every room takes its lists from there."""

import ast
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from api.webhooks.models import ItemType
from book import kinds
from book.models import ChapterPage, City, ContributorIndexPage, PartPage
from book.preview import KINDS as PREVIEW_KINDS

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("api", "book", "cms", "editions")
REGISTRY = Path("book/kinds.py")

# Literal collections that name several kinds and are not a list of kinds:
# (file, the kinds it names).
ALLOWED = {
    # The synthetic book deletes the cities and sectors it generated, which it keeps apart.
    (Path("book/synthetic.py"), frozenset({"city", "sector"})),
}


def kind_words():
    """What names a kind in code: its model's class (a name), and as a string its public name or model label."""
    classes, strings = {}, {}
    for kind in kinds.KINDS:
        classes[kind.model_label.partition(".")[2]] = kind.name
        strings[kind.model_label] = kind.name
        strings[kind.name] = kind.name
    return classes, strings


def kinds_named(node, words):
    """The kinds a node of a collection names: itself, or the direct elements of a tuple or list it is."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return set().union(*(kinds_named(element, words) for element in node.elts)) if node.elts else set()
    if isinstance(node, ast.Starred):
        return set()
    classes, strings = words
    if isinstance(node, ast.Name):
        return {classes[node.id]} if node.id in classes else set()
    if isinstance(node, ast.Attribute):
        return {classes[node.attr]} if node.attr in classes else set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {strings[node.value]} if node.value in strings else set()
    return set()


def lists_of_kinds(source, words):
    """Each literal tuple, list, set or dict naming two kinds or more: (line, kinds).

    A module's ``__all__`` names what it exports, not kinds: left alone.
    """
    tree = ast.parse(source)
    exports = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(getattr(target, "id", None) == "__all__" for target in node.targets)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in exports:
            continue
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            groups = [node.elts]
        elif isinstance(node, ast.Dict):
            groups = [[key for key in node.keys if key is not None], node.values]
        else:
            continue
        for elements in groups:
            named = [kinds_named(element, words) for element in elements]
            # One element naming several (a row of a table) counts once per row.
            rows = [found_kinds for found_kinds in named if found_kinds]
            union = set().union(*rows) if rows else set()
            if len(rows) >= 2 and len(union) >= 2:
                found.append((node.lineno, frozenset(union)))
    return found


def project_modules():
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "node_modules" in relative.parts or relative == REGISTRY:
                continue
            yield relative


def test_no_room_keeps_a_list_of_kinds_of_its_own():
    words = kind_words()
    offenders = []
    for relative in project_modules():
        for line, named in lists_of_kinds((ROOT / relative).read_text(), words):
            if (relative, named) not in ALLOWED:
                offenders.append(f"{relative}:{line} names {', '.join(sorted(named))}")
    assert offenders == [], "Take the list from book.kinds instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "KINDS = {BookPage: 'book', ChapterPage: 'chapter'}",
        "SNIPPETS = (City, Sector)",
        "SEARCH = {'chapter': (ChapterPage, 'subtitle'), 'theme': (ThemePage, None)}",
        "LINKS = (('contributor', ChapterContributor, Page), ('sector', ChapterSector, Sector))",
        "def f(models=('city', 'sector')): pass",
        "TYPES = ['book.BookPage', 'book.PartPage']",
        "PREVIEW = {'book': prepare_books, 'chapter': prepare_chapters}",
    ],
)
def test_the_scan_finds_a_list_of_kinds(source):
    assert lists_of_kinds(source, kind_words())


@pytest.mark.parametrize(
    "source",
    [
        "x = (City, Edition)",
        "context = {'chapter': chapter, 'notes': notes}",
        "if kind == 'part': pass",
        "SNIPPETS = kinds.snippet_models()",
        "published = [book, part, chapter]",
        "__all__ = ['BookPage', 'ChapterPage']",
    ],
)
def test_the_scan_leaves_other_collections_alone(source):
    assert lists_of_kinds(source, kind_words()) == []


def test_every_allowed_exception_is_still_there():
    """An allowance that matches nothing any more is removed, so that it cannot hide a new list."""
    words = kind_words()
    present = {
        (relative, named)
        for relative in {path for path, _named in ALLOWED}
        for _line, named in lists_of_kinds((ROOT / relative).read_text(), words)
    }
    assert present >= ALLOWED


def test_each_kind_names_a_model_of_the_book():
    for kind in kinds.KINDS:
        assert kind.model._meta.label == kind.model_label
        assert kinds.kind_of(kind.model) is kind
        assert kind.model_name == kind.model._meta.model_name
        assert kind.page == hasattr(kind.model, "specific")
    assert kinds.kind_of(ContributorIndexPage) is None
    assert kinds.CONTRIBUTOR.index_model is ContributorIndexPage


@pytest.mark.django_db
def test_every_kind_has_its_address_in_the_api():
    for kind in kinds.KINDS:
        path, query = kind.api_path("key")
        if kind.served:
            assert path == f"/api/v1/{kind.segment}/key/"
            assert query == {}
            assert reverse(f"api:{kind.name}-list") == f"/api/v1/{kind.segment}/"
        else:
            with pytest.raises(NoReverseMatch):
                reverse(f"api:{kind.name}-list")
    assert kinds.PART.api_path("key") == ("/api/v1/chapters/", {"part": "key"})


def test_the_api_routes_exactly_the_kinds_it_serves():
    from api.urls import router

    # Besides the kinds: the languages, and a site's own webhook subscriptions.
    not_kinds = {"locale", "webhook"}
    routed = [basename for _prefix, _viewset, basename in router.registry if basename not in not_kinds]
    assert routed == [kind.name for kind in kinds.served()]
    assert [prefix for prefix, _viewset, basename in router.registry if basename not in not_kinds] == [
        kind.segment for kind in kinds.served()
    ]


def test_references_name_kinds_and_relations_that_exist():
    for kind in kinds.KINDS:
        for reference in kind.references:
            kinds.get(reference.kind)
            if reference.via not in (kinds.PARENT, kinds.DESCENDANTS):
                kind.model._meta.get_field(reference.via)
    assert kinds.showing(kinds.PART, kinds.PARENT) == [kinds.CHAPTER]
    assert kinds.PART.model is PartPage and kinds.CHAPTER.model is ChapterPage


def test_the_change_feed_the_preview_and_the_translators_name_kinds_as_the_registry():
    assert ItemType.values == kinds.names()
    assert [str(label) for label in ItemType.labels] == [str(kind.label) for kind in kinds.KINDS]
    assert sorted(PREVIEW_KINDS.values()) == sorted(kind.name for kind in kinds.pages())
    assert kinds.snippet_models() == (City, kinds.SECTOR.model)
