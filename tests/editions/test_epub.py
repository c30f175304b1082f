import io
import re
import zipfile

import pytest
from wagtail.models import PageViewRestriction

from book.models import ChapterContributor, ChapterPage, PartPage, ThemePage
from editions.epub import build_epub
from editions.formats import FORMATS, Built
from tests.editions.conftest import EPUB_NS, OPF_NS, XHTML_NS, XML_LANG, Epub
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.django_db

OPF = f"{{{OPF_NS}}}"
XHTML = f"{{{XHTML_NS}}}"
EPUB_TYPE = f"{{{EPUB_NS}}}type"


def meta_values(package, name):
    return [
        element.text
        for element in package.iter(f"{OPF}meta")
        if element.get("property") == name and element.get("refines") is None
    ]


@pytest.fixture
def epub(demo_book):
    return Epub(build_epub(demo_book).data)


def test_the_epub_format_builds_through_the_registry(demo_book):
    built = FORMATS["epub"].build(demo_book)
    assert isinstance(built, Built)
    assert built.data.startswith(b"PK")
    assert FORMATS["epub"].media_type == "application/epub+zip"


def test_mimetype_is_the_first_entry_and_stored(epub):
    first = epub.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert epub.zip.read("mimetype") == b"application/epub+zip"
    # Readers find the media type at a fixed offset: no extra field before the data.
    assert epub.data[30:38] == b"mimetype"
    assert epub.data[38:58] == b"application/epub+zip"


def test_two_builds_of_the_same_content_are_identical(demo_book):
    first = build_epub(demo_book).data
    second = build_epub(demo_book).data
    assert first == second
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }


def test_a_change_of_content_changes_the_bytes(demo_book):
    before = build_epub(demo_book).data
    chapter = ChapterPage.objects.descendant_of(demo_book).live().order_by("path").first()
    chapter.title = "Un titre revu"
    chapter.save_revision().publish()
    assert build_epub(demo_book).data != before


def test_every_document_is_well_formed_xhtml_with_language_and_direction(epub):
    for name in epub.documents():
        root = epub.xml(name)
        assert root.tag == f"{XHTML}html", name
        assert root.get("lang") == "fr" and root.get(XML_LANG) == "fr", name
        assert root.get("dir") == "ltr", name
        assert root.find(f"{XHTML}head/{XHTML}title").text, name


def test_package_declares_language_direction_and_the_accessibility_metadata(epub):
    package = epub.package
    assert package.get(XML_LANG) == "fr"
    assert package.get("dir") == "ltr"
    assert meta_values(package, "schema:accessMode") == ["textual", "visual"]
    assert meta_values(package, "schema:accessModeSufficient") == ["textual"]
    assert set(meta_values(package, "schema:accessibilityFeature")) >= {
        "structuralNavigation",
        "alternativeText",
        "tableOfContents",
    }
    assert meta_values(package, "schema:accessibilityHazard") == ["none"]
    assert meta_values(package, "schema:accessibilitySummary")[0].strip()
    assert meta_values(package, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta_values(package, "dcterms:modified")[0])
    spine = package.find(f"{OPF}spine")
    assert spine.get("page-progression-direction") == "ltr"


def test_navigation_has_a_table_of_contents_landmarks_and_no_page_list(demo_book, epub):
    nav = epub.xml("OEBPS/nav.xhtml")
    navs = {element.get(EPUB_TYPE): element for element in nav.iter(f"{XHTML}nav")}
    assert set(navs) == {"toc", "landmarks"}
    assert navs["toc"].get("role") == "doc-toc"
    landmarks = [link.get(EPUB_TYPE) for link in navs["landmarks"].iter(f"{XHTML}a")]
    assert {"cover", "titlepage", "toc", "bodymatter", "colophon"} <= set(landmarks)
    toc_titles = [link.text for link in navs["toc"].iter(f"{XHTML}a")]
    parts = list(PartPage.objects.child_of(demo_book).live().order_by("path"))
    chapters = list(ChapterPage.objects.descendant_of(demo_book).live().order_by("path"))
    expected = []
    for part in parts:
        expected.append(part.title)
        expected += [chapter.title for chapter in chapters if chapter.path.startswith(part.path)]
    assert toc_titles[: len(expected)] == expected
    assert "page-list" not in epub.text("OEBPS/nav.xhtml")


def test_parts_and_chapters_come_in_the_books_order(demo_book, epub):
    spine = [item.get("idref") for item in epub.package.find(f"{OPF}spine")]
    assert spine[:4] == ["cover", "title", "colophon", "nav"]
    chapters = ChapterPage.objects.descendant_of(demo_book).live().order_by("path")
    titles = [epub.xml(name).find(f".//{XHTML}h1").text for name in epub.chapters()]
    assert titles == [chapter.title for chapter in chapters]


def test_cover_title_page_colophon_and_biographies(demo_book, epub):
    manifest = {item.get("id"): item for item in epub.package.find(f"{OPF}manifest")}
    covers = [item for item in manifest.values() if item.get("properties") == "cover-image"]
    assert len(covers) == 1
    assert covers[0].get("href") in {name.removeprefix("OEBPS/") for name in epub.names()}
    colophon = epub.text("OEBPS/colophon.xhtml")
    assert 'role="doc-colophon"' in colophon
    for text in ("Commission nationale française pour l’UNESCO", "CC BY-NC-ND 4.0", "Ville de Cannes"):
        assert text in colophon
    assert 'datetime="2025-12-01"' in colophon
    assert "Date de publication" in colophon
    title = epub.text("OEBPS/title.xhtml")
    assert demo_book.title in title and demo_book.subtitle in title
    contributors = epub.text("OEBPS/contributors.xhtml")
    assert "Jean-Baptiste Andrea" in contributors


def test_isbn_and_doi_appear_where_set(demo_book):
    demo_book.isbn = "978-2-1234-5680-3"
    demo_book.doi = "10.1234/ia-creation"
    demo_book.save_revision().publish()
    epub = Epub(build_epub(demo_book).data)
    identifiers = [
        element.text for element in epub.package.iter("{http://purl.org/dc/elements/1.1/}identifier")
    ]
    assert identifiers == ["urn:isbn:9782123456803", "urn:doi:10.1234/ia-creation"]
    colophon = epub.text("OEBPS/colophon.xhtml")
    assert "978-2-1234-5680-3" in colophon and "10.1234/ia-creation" in colophon


def test_notes_are_footnotes_linked_both_ways(epub):
    found = 0
    for name in epub.chapters():
        root = epub.xml(name)
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        for reference in root.iter(f"{XHTML}a"):
            if reference.get("role") != "doc-noteref":
                continue
            found += 1
            assert reference.get(EPUB_TYPE) == "noteref"
            target = reference.get("href").removeprefix("#")
            assert target in ids
            note = next(element for element in root.iter() if element.get("id") == target)
            assert note.tag == f"{XHTML}aside"
            assert note.get("role") == "doc-footnote" and note.get(EPUB_TYPE) == "footnote"
            if reference.get("id"):
                back = [link for link in note.iter(f"{XHTML}a") if link.get("role") == "doc-backlink"]
                assert back and back[0].get("href") == f"#{reference.get('id')}"
    assert found >= 5


def test_every_block_type_is_rendered(epub):
    markup = "".join(epub.text(name) for name in epub.chapters())
    assert '<figure class="quote">' in markup and "<figcaption>— " in markup
    assert re.search(r'<img src="images/image-\d+\.jpg" alt="[^"]+"', markup)
    assert '<figure class="embed"><p><a href="https://' in markup
    assert "<iframe" not in markup
    assert '<ul class="bibliography">' in markup and "<cite>" in markup
    assert '<dl class="interview"><dt>' in markup
    assert re.search(r"<h2>[^<]+</h2>", markup) and re.search(r"<h3>[^<]+</h3>", markup)
    assert '<div class="paragraph"><p>' in markup


def test_only_public_live_content_appears(demo_book):
    chapters = list(ChapterPage.objects.descendant_of(demo_book).live().order_by("path"))
    draft, private = chapters[0], chapters[1]
    draft.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    epub = Epub(build_epub(demo_book).data)
    markup = "".join(epub.text(name) for name in epub.documents())
    assert draft.title not in markup
    assert private.title not in markup
    assert len(epub.chapters()) == len(chapters) - 2


def test_internal_links_point_inside_the_edition_or_to_the_public_page(demo_book):
    part = PartPage.objects.child_of(demo_book).live().order_by("path").first()
    target = ChapterPage.objects.descendant_of(demo_book).live().order_by("path").last()
    theme = ThemePage.objects.descendant_of(demo_book).live().first()
    hidden = ChapterPageFactory(parent=part, title="Chapitre caché")
    hidden.unpublish()
    ChapterPageFactory(
        parent=part,
        title="Chapitre aux liens",
        body=[
            (
                "paragraph",
                f'<p><a linktype="page" id="{target.pk}">dedans</a>, '
                f'<a linktype="page" id="{theme.pk}">un thème</a>, '
                f'<a linktype="page" id="{hidden.pk}">caché</a>, '
                '<a href="javascript:alert(1)">piège</a> et '
                '<a href="https://example.org/page">dehors</a>.</p>',
            )
        ],
    )
    epub = Epub(build_epub(demo_book).data)
    name = next(name for name in epub.chapters() if "Chapitre aux liens" in epub.text(name))
    markup = epub.text(name)
    target_file = next(name for name in epub.chapters() if f">{target.title}</h1>" in epub.text(name))
    assert f'<a href="{target_file.removeprefix("OEBPS/")}#chapter-' in markup
    assert f'<a href="{theme.get_full_url()}">un thème</a>' in markup
    assert "caché" in markup and f'id="{hidden.pk}"' not in markup
    assert "javascript" not in markup and "piège" in markup
    assert '<a href="https://example.org/page">dehors</a>' in markup
    assert "linktype" not in markup


def test_unsafe_addresses_in_blocks_are_refused(demo_book):
    part = PartPage.objects.child_of(demo_book).live().order_by("path").first()
    chapter = ChapterPageFactory(parent=part, title="Adresses refusées")
    chapter.body = [
        {
            "type": "embed",
            "id": "e1",
            "value": {"url": "javascript:alert(1)", "title": "Vidéo", "caption": ""},
        },
        {
            "type": "bibliography_entry",
            "id": "b1",
            "value": {"author": "A", "title": "T", "publisher": "", "year": 2020, "url": "data:text/html,x"},
        },
    ]
    chapter.save_revision().publish()
    epub = Epub(build_epub(demo_book).data)
    markup = next(epub.text(name) for name in epub.chapters() if "Adresses refusées" in epub.text(name))
    assert "javascript" not in markup and "data:" not in markup
    assert "Vidéo" in markup


def test_a_vanished_image_file_gives_a_described_placeholder_and_a_warning(demo_book):
    chapter = next(
        page
        for page in ChapterPage.objects.descendant_of(demo_book).live().order_by("path")
        if any(block.block_type == "image" for block in page.body)
    )
    block = next(block for block in chapter.body if block.block_type == "image")
    image = block.value["image"]
    image.file.storage.delete(image.file.name)
    built = build_epub(demo_book)
    epub = Epub(built.data)
    assert any(image.file.name in warning for warning in built.warnings)
    markup = "".join(epub.text(name) for name in epub.chapters())
    assert f"[Image non disponible : {block.value['alt_text']}]" in markup
    assert f"images/image-{image.pk}." not in "".join(epub.names())


def test_english_edition_leaves_out_untranslated_chapters_and_lists_them(english_book, demo_book):
    built = build_epub(english_book)
    assert built.complete is False
    epub = Epub(built.data)
    assert epub.package.get(XML_LANG) == "en"
    colophon = epub.text("OEBPS/colophon.xhtml")
    english_keys = set(
        ChapterPage.objects.descendant_of(english_book).live().values_list("translation_key", flat=True)
    )
    missing = ChapterPage.objects.descendant_of(demo_book).live().exclude(translation_key__in=english_keys)
    assert missing.exists()
    for chapter in missing:
        assert chapter.title in colophon
    assert "Not yet translated" in colophon
    assert len(epub.chapters()) == len(english_keys)
    # The translation tools recorded who translated the English pages.
    assert "Translation" in colophon and "Claire Moreau" in colophon
    assert "traductrice-en" not in colophon


def test_the_french_edition_is_complete(demo_book):
    assert build_epub(demo_book).complete is True


def test_arabic_edition_is_right_to_left_and_marks_french_passages(arabic_book):
    epub = Epub(build_epub(arabic_book).data)
    package = epub.package
    assert package.get(XML_LANG) == "ar" and package.get("dir") == "rtl"
    assert package.find(f"{OPF}spine").get("page-progression-direction") == "rtl"
    chapter = epub.xml(epub.chapters()[0])
    assert chapter.get("dir") == "rtl" and chapter.get("lang") == "ar"
    french = [element for element in chapter.iter() if element.get("lang") == "fr"]
    assert french and all(element.get("dir") == "ltr" and element.get(XML_LANG) == "fr" for element in french)
    assert f"{XHTML}h2" in {element.tag for element in french}
    assert all(element.get("lang") != "fr" for element in chapter.iter(f"{XHTML}div"))


def test_an_arabic_edition_writes_its_own_words_in_arabic(arabic_book):
    epub = Epub(build_epub(arabic_book).data)
    colophon = epub.xml("OEBPS/colophon.xhtml")
    labels = {"".join(label.itertext()) for label in colophon.iter(f"{XHTML}dt")}
    assert {"العنوان", "تاريخ النشر"} <= labels
    assert all(label.get("lang") is None for label in colophon.iter(f"{XHTML}dt"))
    headings = {"".join(heading.itertext()) for heading in colophon.iter(f"{XHTML}h2")}
    assert "لم تُترجم بعد" in headings  # the chapters not yet translated are listed
    nav = epub.xml("OEBPS/nav.xhtml")
    assert "المحتويات" in {"".join(heading.itertext()) for heading in nav.iter(f"{XHTML}h1")}
    assert "صفحة العنوان" in epub.text("OEBPS/nav.xhtml")
    chapters = "".join(epub.text(name) for name in epub.chapters())
    assert "(مؤلف)" in chapters or "(ضيف المقابلة)" in chapters
    assert "Notes" not in chapters and "Author" not in chapters
    summary = meta_values(epub.package, "schema:accessibilitySummary")
    assert summary and summary[0].startswith("يتبع هذا المنشور")
    for english in ("Colophon", "Contents", "Publication date", "Not yet translated", "Back to the call"):
        assert all(english not in epub.text(name) for name in epub.documents())


def test_a_language_without_a_catalog_of_edition_words_gets_them_in_english(arabic_book, settings, tmp_path):
    # Arabic has catalogs of both kinds; without either, its edition's words are English.
    settings.EDITIONS_LOCALE_PATH = tmp_path
    settings.LOCALE_PATHS = [tmp_path]
    epub = Epub(build_epub(arabic_book).data)
    colophon = epub.xml("OEBPS/colophon.xhtml")
    labels = list(colophon.iter(f"{XHTML}dt"))
    assert labels and all(label.get("lang") == "en" and label.get("dir") == "ltr" for label in labels)
    assert "Publication date" in epub.text("OEBPS/colophon.xhtml")
    assert "Éditeur" not in epub.text("OEBPS/colophon.xhtml")


def test_collect_runs_the_same_queries_whatever_the_number_of_chapters(demo_book, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from editions.content import collect

    with CaptureQueriesContext(connection) as before:
        collect(demo_book)
    part = PartPage.objects.child_of(demo_book).live().order_by("path").first()
    model = ChapterPage.objects.descendant_of(demo_book).live().order_by("path").first()
    for number in range(5):
        chapter = ChapterPageFactory(parent=part, title=f"Chapitre ajouté {number}", body=model.body.raw_data)
        chapter.contributor_links = [
            ChapterContributor(contributor=link.contributor, role=link.role, sort_order=link.sort_order)
            for link in model.contributor_links.all()
        ]
        chapter.save_revision().publish()
    with django_assert_num_queries(len(before.captured_queries)):
        content = collect(demo_book)
    assert len(content.chapters) == ChapterPage.objects.descendant_of(demo_book).live().count()
    assert len(before.captured_queries) <= 12


def test_interface_strings_follow_the_editions_language(english_book):
    colophon = Epub(build_epub(english_book).data).text("OEBPS/colophon.xhtml")
    assert "Publication date" in colophon
    assert "Date de publication" not in colophon
