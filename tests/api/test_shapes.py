"""Each part of a document is declared once (``api.shapes``): what is built is what the schema says."""

import dataclasses
import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from api import images, parts
from api.serializers import CitationSerializer, CSLDateSerializer, CSLNameSerializer
from api.shapes import ShapeSerializer
from book import citations
from book.models import ContributorRole, Edition
from tests.api.conftest import api

pytestmark = pytest.mark.django_db

SHAPES = [
    value
    for module in (parts, images)
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(getattr(value, "serializer", type), ShapeSerializer)
]

REFERENCE = {"id": 1, "key": uuid.uuid4(), "locale": "fr", "slug": "a", "title": "A", "url": "https://x/"}


def test_a_part_is_built_with_every_field_of_its_shape_and_no_other():
    built = parts.Reference(**REFERENCE).represent()
    assert built == REFERENCE and list(built) == list(REFERENCE)
    with pytest.raises(TypeError, match="url"):
        parts.Reference(**{name: value for name, value in REFERENCE.items() if name != "url"})
    with pytest.raises(TypeError, match="role"):
        parts.Reference(**REFERENCE, role="author")
    with pytest.raises(TypeError):
        parts.Reference(*REFERENCE.values())
    reference = parts.Reference(**REFERENCE)
    with pytest.raises(AttributeError):
        reference.subtitle = "B"


def test_each_shape_s_serializer_describes_its_fields_in_their_order_those_of_its_base_first():
    assert {shape.__name__ for shape in SHAPES} >= {
        "Reference",
        "PartReference",
        "ContributorCredit",
        "ChapterReference",
        "ChapterCredit",
        "TocChapter",
        "TocPart",
        "SearchResult",
        "Translation",
        "TranslationState",
        "Link",
        "Supporter",
        "Edition",
        "Image",
        "Rendition",
    }
    for shape in SHAPES:
        names = [field.name for field in dataclasses.fields(shape)]
        assert shape.serializer.__name__ == f"{shape.__name__}Serializer"
        assert list(shape.serializer().fields) == names, shape
        for base in shape.__mro__[1:]:
            if base in SHAPES:
                assert names[: len(dataclasses.fields(base))] == [
                    field.name for field in dataclasses.fields(base)
                ]
    # An extension describing a field of its base otherwise keeps it where the base has it.
    toc_chapter = parts.TocChapter.serializer().fields
    assert list(toc_chapter)[2] == "locale"
    assert toc_chapter["locale"].help_text == parts.TOC_LOCALE_HELP


def test_a_part_holding_parts_gives_them_out_in_their_own_shape():
    rendition = images.Rendition(url="https://x/a.jpg", width=4, height=3)
    image = images.Image(id=1, alt="A", credit="", width=8, height=6, renditions={"small": rendition})
    assert images.Image.serializer().to_representation(image) == {
        "id": 1,
        "alt": "A",
        "credit": "",
        "width": 8,
        "height": 6,
        "renditions": {"small": {"url": "https://x/a.jpg", "width": 4, "height": 3}},
    }
    chapter = parts.TocChapter(**REFERENCE, subtitle="", word_count=10, reading_time=1, fallback=False)
    part = parts.TocPart(**{**REFERENCE, "subtitle": "B", "fallback": True, "chapters": [chapter]})
    represented = part.represent()
    assert list(represented) == list(parts.TocPart.serializer().fields)
    assert represented["chapters"] == [chapter.represent()]
    assert list(represented["chapters"][0]) == list(parts.TocChapter.serializer().fields)


class Walk:
    """Holds every object of responses to the schema's component for it: its properties, those not
    required possibly left out, and no other, in the order the schema lists them."""

    def __init__(self, client):
        self.client = client
        self.components = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
            "components"
        ]["schemas"]
        self.checked = set()

    def get(self, url, **query):
        response = self.client.get(url, query)
        assert response.status_code == 200, url
        return response.json()

    def check(self, schema, data, path=""):
        if data is None:
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            self.checked.add(name)
            self.check(self.components[name], data, f"{path}<{name}>")
            return
        if "discriminator" in schema:
            discriminator = schema["discriminator"]
            self.check({"$ref": discriminator["mapping"][data[discriminator["propertyName"]]]}, data, path)
            return
        for combined in ("allOf", "oneOf", "anyOf"):
            if combined in schema:
                (branch,) = [branch for branch in schema[combined] if branch.get("enum") != [None]]
                self.check(branch, data, path)
                return
        if schema.get("type") == "array":
            for index, item in enumerate(data):
                self.check(schema["items"], item, f"{path}[{index}]")
        elif schema.get("type", "object") == "object" and "properties" in schema:
            properties = list(schema["properties"])
            assert set(data) <= set(properties), path
            assert list(data) == [name for name in properties if name in data], path
            assert set(schema.get("required", ())) <= set(data), path
            for name, value in data.items():
                self.check(schema["properties"][name], value, f"{path}.{name}")


def test_every_part_the_demo_gives_has_the_fields_of_its_shape_in_their_order(client, demo_book, settings):
    settings.API_THROTTLE_RATE = None
    Edition.objects.create(
        book_key=demo_book.translation_key,
        locale=demo_book.locale,
        format=Edition.Format.EPUB,
        file=ContentFile(b"epub", name="book.epub"),
        media_type="application/epub+zip",
        bytes=4,
        sha256="0" * 64,
        built_at=timezone.now(),
        complete=True,
    )
    shapes = {shape.__name__ for shape in SHAPES} | {"Renditions"}
    walk = Walk(client)
    for language in ("fr", "en"):
        walk.check(
            {"$ref": "#/components/schemas/BookDetail"},
            walk.get(api("book-detail", ref=demo_book.translation_key), locale=language),
        )
        for kind, component in (
            ("chapter", "ChapterDetail"),
            ("contributor", "ContributorDetail"),
            ("theme", "ThemeDetail"),
            ("city", "CityDetail"),
            ("sector", "SectorDetail"),
        ):
            for item in walk.get(api(f"{kind}-list"), locale=language, page_size=100)["results"]:
                walk.check(
                    {"$ref": f"#/components/schemas/{component}"},
                    walk.get(api(f"{kind}-detail", ref=item["key"]), locale=language),
                )
        walk.check(
            {"$ref": "#/components/schemas/PaginatedSearchResultList"},
            walk.get(api("search"), locale=language, q="création"),
        )
    assert shapes | {"Citation", "CSLName", "CSLDate"} <= walk.checked


def csl_fields(serializer):
    return list(serializer().fields)


@pytest.mark.parametrize("doi", ["10.1234/chapter", ""])
def test_a_citation_has_the_variables_its_serializer_lists_in_their_order(doi):
    """The citation is CSL-JSON, built in ``book.citations`` for BibTeX and RIS too: its serializer
    only describes it, and must name every variable it may hold."""
    book = SimpleNamespace(
        title="IA et création",
        subtitle="Regards",
        editors="Fictif, Jeanne\nCollectif Plateau",
        publisher="Éditions",
        publication_date=datetime.date(2025, 3, 1),
        isbn="978-2-00-000000-0",
    )
    credits = [
        citations.Credit(f"Name {role}", f"Family {role}, Given", role)
        for role in (
            ContributorRole.AUTHOR,
            ContributorRole.INTERVIEWER,
            ContributorRole.TRANSLATOR,
            ContributorRole.ILLUSTRATOR,
        )
    ]
    chapter = SimpleNamespace(title="Un plateau", doi=doi)
    item = citations.chapter_csl(chapter, book, credits, language="fr", url="https://example.org/c/")

    fields = csl_fields(CitationSerializer)
    # Every variable is there, but the address the DOI stands in for.
    assert set(item) <= set(fields)
    assert set(fields) - set(item) == ({"URL"} if doi else {"DOI"})
    assert list(item) == [name for name in fields if name in item]
    names = [
        set(name)
        for variable in ("author", "interviewer", "translator", "illustrator", "editor")
        for name in item[variable]
    ]
    assert {"family", "given"} in names and {"literal"} in names
    assert all(name <= set(csl_fields(CSLNameSerializer)) for name in names)
    assert list(item["issued"]) == csl_fields(CSLDateSerializer)
