"""The PDF edition: tagged, fonts embedded, every character drawn, TOC page numbers, footnotes,
Arabic shaped right to left, Chinese and Cyrillic in their fonts, nothing fetched from outside,
the same bytes for the same document."""

import io
import re
import urllib.request

import pypdfium2
import pytest
from pypdf import PdfReader

from editions import pdf
from editions.formats import Printable
from tests.editions import pdfcheck
from tests.editions.documents import TEXTS, edition_html, image_fetcher, png, printable

pytestmark = pytest.mark.skipif(
    bool(pdf.missing_fonts()), reason="the PDF fonts are not installed (make install)"
)

LANGUAGES = ("fr", "en", "ar", "zh", "ru")


@pytest.fixture(scope="module")
def rendered():
    """Each language's test edition, laid out once for the module."""
    return {lang: pdf.render(printable(lang)) for lang in LANGUAGES}


def page_texts(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_character_of_the_text_is_drawn_by_a_bundled_font(rendered, lang):
    result = rendered[lang]
    glyphs = pdfcheck.glyphs(result.data, pdfcheck.font_sources(pdf._all_faces()))

    assert glyphs.notdef == []
    assert result.missing_characters == ()
    assert sorted(pdfcheck.visible_characters(edition_html(lang)) - glyphs.drawn) == []


def test_a_script_without_its_font_is_caught_by_the_check(monkeypatch):
    # The Chinese font left out: no other bundled font (nor any font of the machine) has the
    # ideographs, and both the render and the reading of the PDF say which are missing.
    monkeypatch.setattr(pdf, "FONT_PACKAGES", tuple(p for p in pdf.FONT_PACKAGES if p[0] != "noto-serif-sc"))
    pdf._all_faces.cache_clear()
    try:
        result = pdf.render(printable("zh", paragraphs=1, notes=False))
        glyphs = pdfcheck.glyphs(result.data, pdfcheck.font_sources(pdf._all_faces()))
    finally:
        pdf._all_faces.cache_clear()

    assert "人" in result.missing_characters
    assert "No font of the PDF edition has these characters" in result.warnings[0]
    assert "人" in {text for _font, text in glyphs.notdef}
    assert "人" not in glyphs.drawn


def test_missing_fonts_are_named_with_how_to_install_them(monkeypatch, tmp_path):
    (tmp_path / "noto-serif").mkdir()
    monkeypatch.setattr(pdf, "FONTS_DIR", tmp_path)
    pdf._all_faces.cache_clear()
    try:
        with pytest.raises(pdf.FontsMissing) as error:
            pdf.render_pdf(printable("fr"))
    finally:
        pdf._all_faces.cache_clear()

    message = str(error.value)
    assert "@fontsource/amiri@5.3.0" in message
    assert "@fontsource/noto-serif-sc@5.3.0" in message
    assert "@fontsource/noto-serif: 400.css" in message
    assert "make install" in message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tagged_with_the_language_and_fonts_embedded(rendered, lang):
    reader = PdfReader(io.BytesIO(rendered[lang].data))
    root = reader.trailer["/Root"]

    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    assert reader.metadata.title == TEXTS[lang]["title"]
    assert reader.metadata["/CreationDate"] == "D:20261201000000Z"
    # Every font is embedded (pdfcheck.glyphs raises otherwise) and is one of the project's.
    fonts = pdfcheck.glyphs(rendered[lang].data).fonts
    assert fonts
    bundled = pdfcheck.font_sources(pdf._all_faces())
    assert {name.split("+", 1)[1].replace(",", "") for name in fonts} <= set(bundled)


def test_chinese_and_cyrillic_are_set_in_their_own_fonts(rendered):
    zh = pdfcheck.glyphs(rendered["zh"].data).fonts
    han = {c for name, chars in zh.items() if "Noto-Serif-SC" in name for c in chars}
    assert set("人工智能与创作") <= han

    ru = pdfcheck.glyphs(rendered["ru"].data).fonts
    cyrillic = {c for name, chars in ru.items() if "Noto-Serif-cyrillic" in name for c in chars}
    assert set("Искусственный") <= cyrillic
    assert "ё" in cyrillic


def test_the_cover_fills_its_own_page_and_the_colophon_keeps_its_heading(rendered):
    document = pypdfium2.PdfDocument(rendered["fr"].data)
    texts = page_texts(rendered["fr"].data)
    assert texts[0].strip() == ""
    cover = next(obj for obj in document[0].get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE)
    left, bottom, right, top = cover.get_bounds()
    width, height = document[0].get_size()
    # The image is whole (never cropped) and starts from the page's edge, not from a margin.
    assert (round(left), round(right)) == (0, round(width)) or (round(bottom), round(top)) == (
        0,
        round(height),
    )
    colophon = next(text for text in texts if "Colophon" in text)
    assert TEXTS["fr"]["colophon"][:20] in colophon


def test_table_of_contents_gives_the_page_of_each_chapter(rendered):
    texts = page_texts(rendered["en"].data)
    toc_page = next(i for i, text in enumerate(texts) if text.startswith(TEXTS["en"]["contents"]))
    toc = texts[toc_page]
    for title in TEXTS["en"]["chapters"]:
        match = re.search(re.escape(title) + r"[ .\u2024-\u2026\s]*(\d+)", toc)
        assert match, (title, toc)
        page = int(match.group(1))
        # The chapter opens on that page: its title there, not on the page before.
        assert title in texts[page - 1], (title, page)
        assert title not in texts[page - 2], (title, page)


def test_arabic_text_can_be_copied_from_the_pdf(rendered):
    # The text layer gives back the words as written (search, copy, reading aloud).
    text = "".join(page_texts(rendered["ar"].data))
    for words in ("يتساءل المبدعون", "الذكاء الاصطناعي والإبداع", "من كتابة السيناريو"):
        assert words in text


def test_arabic_page_numbers_are_in_arabic_indic_digits(rendered):
    texts = page_texts(rendered["ar"].data)
    toc = texts[3]  # cover, title page, colophon, contents
    numbers = re.findall(r"\.{5,}\s*([0-9\u0660-\u0669]+)|([0-9\u0660-\u0669]+)\s*\.{5,}", toc)
    numbers = [a or b for a, b in numbers]
    assert {"٥", "٦", "٨", "١٠", "١١"} <= set(numbers), numbers
    assert texts[5].strip().endswith("٦")  # the folio of the chapter's first page


def test_only_the_fonts_a_document_needs_are_declared():
    latin = pdf.font_css(
        edition_html("fr").replace(TEXTS["ar"]["paragraph"], "").replace(TEXTS["ar"]["credit"], "")
    )
    assert "Noto Serif latin" in latin
    assert "Noto Serif SC" not in latin
    assert "Amiri" not in latin
    assert "Noto Serif cyrillic" not in latin

    chinese = pdf.font_css(edition_html("zh"))
    assert "Noto Serif SC" in chinese
    assert "Noto Serif cyrillic" in chinese  # the Russian quote
    # Only the parts of the Chinese font that hold the document's characters.
    declared = chinese.count("Noto Serif SC")
    assert 0 < declared < len([face for face in pdf._all_faces() if face.package == "noto-serif-sc"])


def test_woff_files_decode_to_the_same_tables_as_fonttools():
    from fontTools.ttLib import TTFont

    for face in pdf._all_faces()[:3] + pdf._all_faces()[-3:]:
        ours = TTFont(io.BytesIO(pdf._sfnt(face.path)))
        reference = TTFont(face.path)
        assert sorted(ours.keys()) == sorted(reference.keys())
        for tag in ("cmap", "glyf", "hmtx", "GSUB", "GPOS", "name"):
            if tag in reference:
                assert ours.reader[tag] == reference.reader[tag], (face.file, tag)


def test_footnotes_sit_at_the_foot_of_the_page_that_calls_them(rendered):
    document = pypdfium2.PdfDocument(rendered["fr"].data)
    note = TEXTS["fr"]["note"]
    found = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        if note[:30] not in text:
            continue
        found += 1
        height = page.get_height()
        searcher = textpage.search(note[:30])
        start, count = searcher.get_next()
        note_top = max(box[3] for box in (textpage.get_charbox(i) for i in range(start, start + count)))
        body = textpage.search("Les créateurs")
        tops = []
        while (hit := body.get_next()) is not None:
            tops.append(textpage.get_charbox(hit[0])[3])
        # Below every paragraph of the page, in the lowest quarter of the page.
        assert tops and note_top < min(tops)
        assert note_top < height / 4
    assert found >= 3  # two notes per chapter, each on the page of its call


def test_arabic_is_shaped_and_set_right_to_left(rendered):
    data = rendered["ar"].data
    fonts = pdfcheck.glyphs(data, pdfcheck.font_sources(pdf._all_faces())).fonts
    # Shaping: letters take their contextual forms. The PDF keeps the font's glyph ids, so
    # a letter drawn with other glyphs than the one its character maps to is shaped.
    from fontTools.ttLib import TTFont

    amiri = next(face for face in pdf._all_faces() if face.css_family == "Amiri arabic")
    source = TTFont(amiri.path)
    isolated = {chr(cp): source.getGlyphID(name) for cp, name in source.getBestCmap().items()}
    reader = PdfReader(io.BytesIO(data))
    forms = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if str(font["/BaseFont"]).endswith("+Amiri-arabic"):
                mapping = pdfcheck._to_unicode(font["/ToUnicode"].get_object().get_data())
                for gid, text in mapping.items():
                    forms.setdefault(text, set()).add(gid)
    for letter in "لمعب":
        assert forms[letter] - {isolated[letter]}, letter  # initial, medial or final forms
    assert any("Amiri" in name for name in fonts)

    # Right to left: the chapter's title (text-align: start) stands against the right margin.
    document = pypdfium2.PdfDocument(data)
    page = document[5]
    textpage = page.get_textpage()
    title = [textpage.get_charbox(i) for i in range(12)]
    assert min(box[0] for box in title) > page.get_width() * 0.4
    assert max(box[2] for box in title) > page.get_width() * 0.75
    # The same document set left to right puts it against the left margin.
    ltr = pdf.render_pdf(
        printable("ar").__class__(
            html=edition_html("ar", chapters=1, paragraphs=1, notes=False).replace(
                'dir="rtl"', 'dir="ltr"', 1
            ),
            url_fetcher=image_fetcher({"cover": png(), "1": png()}),
            complete=True,
            warnings=(),
        )
    )
    ltr_page = pypdfium2.PdfDocument(ltr)[5]
    ltr_text = ltr_page.get_textpage()
    assert min(ltr_text.get_charbox(i)[0] for i in range(12)) < ltr_page.get_width() * 0.2


def test_images_are_embedded_with_their_captions(rendered):
    reader = PdfReader(io.BytesIO(rendered["en"].data))
    with_images = [i for i, page in enumerate(reader.pages) if page.images]
    assert 0 in with_images  # the cover
    caption_page = next(
        i for i, page in enumerate(reader.pages) if TEXTS["en"]["caption"] in page.extract_text()
    )
    assert caption_page in with_images


def test_same_document_gives_the_same_bytes(rendered):
    again = pdf.render_pdf(printable("fr"))
    assert again == rendered["fr"].data


def test_nothing_is_fetched_from_outside_the_edition(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF fetched something from outside the edition")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    html = (
        edition_html("en", paragraphs=1, notes=False)
        .replace(
            "</head>",
            '<link rel="stylesheet" href="https://example.org/style.css">'
            '<style>@import url("file:///etc/hostname"); body { background: url(http://example.org/x.png) }</style></head>',
        )
        .replace(
            "</body>",
            '<img src="https://example.org/tracker.png" alt=""><img src="file:///etc/passwd"></body>',
        )
    )
    seen = []

    def fetch(url):
        seen.append(url)
        return image_fetcher({"cover": png(), "1": png()})(url)

    data = pdf.render_pdf(Printable(html=html, url_fetcher=fetch, complete=True, warnings=()))

    assert data.startswith(b"%PDF-")
    assert seen and all(url.startswith("edition-image:") for url in seen)


def test_the_fetcher_refuses_what_is_not_a_bundled_font_or_an_edition_image():
    fetcher = pdf._url_fetcher_class()(image_fetcher({"1": png()}))

    for url in (
        "https://example.org/font.woff",
        "file:///etc/passwd",
        "edition-font:../../../../etc/passwd",
        "edition-font:noto-serif/../../package.json",
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("edition-image:1").read().startswith(b"\x89PNG")
    font = fetcher.fetch("edition-font:noto-serif/noto-serif-latin-400-normal.woff").read()
    assert font[:4] == b"\x00\x01\x00\x00"  # the OpenType font, decoded from its WOFF file


def test_a_vanished_image_still_builds():
    html = edition_html("fr", chapters=1, paragraphs=4, notes=False)
    data = pdf.render_pdf(Printable(html=html, url_fetcher=image_fetcher({}), complete=True, warnings=()))
    assert TEXTS["fr"]["caption"] in "".join(page_texts(data))
