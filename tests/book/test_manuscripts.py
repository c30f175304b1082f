"""Reading manuscripts into a chapter's blocks: what maps to what, and what the report says."""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from book.blocks import ChapterBodyBlock
from book.manuscripts import read_manuscript
from book.manuscripts.structure import POP_ISOLATE, RTL_ISOLATE, read_bibliography_entry
from tests.manuscripts import (
    docx_bytes,
    png_bytes,
    with_comments,
    with_notes,
    with_runs,
    zipped,
)

LIBREOFFICE_FILE = Path(__file__).parent / "manuscripts" / "libreoffice-chapitre.docx"


@pytest.fixture(autouse=True)
def english_messages():
    """The report reads in English here; the project's default language is French."""
    with translation.override("en"):
        yield


def kinds(manuscript):
    return [block["type"] for block in manuscript.blocks]


def valid_stream(manuscript):
    """The blocks other than images (which need stored images) pass the chapter body's own validation."""
    stream = ChapterBodyBlock()
    stored = (
        [block for block in manuscript.stored_blocks({}) if block["type"] != "image"]
        if not manuscript.images
        else [block for block in manuscript.blocks if block["type"] != "image"]
    )
    return stream.clean(stream.to_python(stored))


def messages(manuscript):
    return [text for _kind, text in manuscript.report.lines()]


def contribution(document):
    document.add_heading("Le titre du document", 0)
    document.add_heading("Pratiques", 1)
    paragraph = document.add_paragraph("Un texte avec du ")
    paragraph.add_run("gras").bold = True
    paragraph.add_run(", de l'")
    paragraph.add_run("italique").italic = True
    paragraph.add_run(".")
    document.add_heading("Détails", 2)
    document.add_heading("Plus bas", 3)
    document.add_heading("Encore plus bas", 4)
    document.add_paragraph("Premier point", style="List Bullet")
    document.add_paragraph("Second point", style="List Bullet")
    document.add_paragraph("L'art est une question de regard.", style="Quote")
    document.add_paragraph("— Agnès Varda")
    document.add_paragraph("Une citation sans auteur.", style="Intense Quote")
    document.add_picture(io.BytesIO(png_bytes()))
    document.inline_shapes[0]._inline.docPr.set("descr", "Une salle de cinéma vide")
    document.add_paragraph("La salle Debussy. Photo : Jean Dupont", style="Caption")
    document.add_paragraph("Q: Comment travaillez-vous avec ces outils ?")
    document.add_paragraph("R : Avec prudence.")
    document.add_paragraph("Et beaucoup de curiosité.")
    document.add_heading("Bibliographie", 1)
    document.add_paragraph("Varda, A. (1994). Varda par Agnès. Cahiers du cinéma.")
    document.add_paragraph("Une ligne que personne ne saurait lire")


def test_a_word_document_maps_to_the_chapter_blocks():
    manuscript = read_manuscript("contribution.docx", docx_bytes(contribution), "fr")

    assert kinds(manuscript) == [
        "heading",
        "paragraph",
        "heading",
        "heading",
        "heading",
        "paragraph",
        "quote",
        "quote",
        "image",
        "interview",
        "heading",
        "bibliography_entry",
        "paragraph",
    ]
    blocks = [block["value"] for block in manuscript.blocks]
    assert blocks[0] == {"level": "h2", "text": "Pratiques"}
    assert blocks[1] == "<p>Un texte avec du <b>gras</b>, de l&#x27;<i>italique</i>.</p>"
    assert [blocks[2]["level"], blocks[3]["level"], blocks[4]["level"]] == ["h3", "h4", "h4"]
    assert blocks[5] == "<ul><li>Premier point</li><li>Second point</li></ul>"
    assert blocks[6] == {"text": "L'art est une question de regard.", "attribution": "Agnès Varda"}
    assert blocks[7] == {"text": "Une citation sans auteur.", "attribution": ""}
    assert blocks[8]["alt_text"] == "Une salle de cinéma vide"
    assert (blocks[8]["caption"], blocks[8]["credit"]) == ("La salle Debussy", "Photo : Jean Dupont")
    assert blocks[9] == {
        "question": "Comment travaillez-vous avec ces outils ?",
        "answer": "<p>Avec prudence.</p><p>Et beaucoup de curiosité.</p>",
    }
    assert blocks[11] == {
        "author": "Varda, A.",
        "title": "Varda par Agnès",
        "publisher": "Cahiers du cinéma",
        "year": 1994,
        "url": "",
    }
    assert blocks[12] == "<p>Une ligne que personne ne saurait lire</p>"
    report = messages(manuscript)
    assert "The document's title “Le titre du document” (the chapter has its own title)" in report
    assert "Headings of level 1 → h2" in report and "Headings of level 4 → h4" in report
    assert (
        "Not read as a bibliography entry, kept as a paragraph: “Une ligne que personne ne saurait lire”"
        in report
    )
    valid_stream(manuscript)


def test_footnotes_and_endnotes_become_numbered_note_blocks_referenced_in_the_text():
    def build(document):
        document.add_paragraph("Première phrase.").add_run("{{fn7}}")
        paragraph = document.add_paragraph("Deuxième phrase")
        paragraph.add_run("{{en1}}")
        paragraph.add_run(", troisième")
        paragraph.add_run("{{fn3}}")

    data = with_notes(
        docx_bytes(build),
        footnotes={7: "Note de bas de page.", 3: "Une autre note."},
        endnotes={1: "Note de fin."},
    )
    manuscript = read_manuscript("notes.docx", data, "fr")

    assert manuscript.blocks == [
        {
            "type": "paragraph",
            "value": "<p>Première phrase.[^1]</p><p>Deuxième phrase[^2], troisième[^3]</p>",
        },
        {"type": "note", "value": {"number": 1, "text": "<p>Note de bas de page.</p>"}},
        {"type": "note", "value": {"number": 2, "text": "<p>Note de fin.</p>"}},
        {"type": "note", "value": {"number": 3, "text": "<p>Une autre note.</p>"}},
    ]
    assert "3 footnotes and endnotes → note blocks, referenced as [^N] in the text" in messages(manuscript)
    valid_stream(manuscript)


def test_tracked_changes_are_accepted_and_comments_fields_shapes_styles_reported():
    w = 'w:id="{}" w:author="Relecteur" w:date="2026-01-01T00:00:00Z"'

    def build(document):
        paragraph = document.add_paragraph("Le texte ")
        for marker in ("{{ins}}", "{{del}}", "{{field}}", "{{shape}}"):
            paragraph.add_run(marker)
        styles = document.styles
        from docx.enum.style import WD_STYLE_TYPE

        styles.add_style("Encadré maison", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("Un encadré.", style="Encadré maison")

    data = with_runs(
        docx_bytes(build),
        {
            "{{ins}}": f"<w:ins {w.format(1)}><w:r><w:t>ajouté</w:t></w:r></w:ins>",
            "{{del}}": f"<w:del {w.format(2)}><w:r><w:delText>supprimé</w:delText></w:r></w:del>",
            "{{field}}": '<w:fldSimple w:instr=" PAGE "><w:r><w:t> 12</w:t></w:r></w:fldSimple>',
            "{{shape}}": '<w:r><w:pict><v:rect xmlns:v="urn:schemas-microsoft-com:vml" style="width:10pt"/></w:pict></w:r>',
        },
    )
    data = with_comments(data, ["À revoir", "Source ?"])
    manuscript = read_manuscript("revu.docx", data, "fr")

    text = manuscript.blocks[0]["value"]
    assert "ajouté" in text and "supprimé" not in text and "12" in text
    report = messages(manuscript)
    assert (
        "Tracked changes accepted: 1 insertions kept, 1 deletions applied, 0 moves, 0 formatting changes"
        in report
    )
    assert "2 comments" in report
    assert "1 field (its displayed text kept)" in report
    assert "1 drawn shape or text box (its text kept)" in report
    assert "Unknown style “Encadré maison” (1), read as plain text" in report


def test_the_document_language_and_right_to_left_paragraphs_are_compared_with_the_chapter():
    def build(document):
        document.add_paragraph("Un paragraphe en français.")
        document.add_paragraph("{{arabic}}")

    arabic = (
        '<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/><w:lang w:val="fr-FR" w:bidi="ar-SA"/></w:rPr>'
        "<w:t>الذكاء الاصطناعي والإبداع</w:t></w:r></w:p>"
    )

    def to_arabic(xml):
        text = xml.decode()
        start = text.index("<w:p>", text.index("Un paragraphe"))
        end = text.index("</w:p>", start) + len("</w:p>")
        return (text[:start] + arabic + text[end:]).encode()

    from tests.manuscripts import rewrite_zip

    data = rewrite_zip(docx_bytes(build), change={"word/document.xml": to_arabic})

    in_french = read_manuscript("ar.docx", data, "fr")
    assert in_french.blocks[0]["value"].endswith(
        f"<p>{RTL_ISOLATE}الذكاء الاصطناعي والإبداع{POP_ISOLATE}</p>"
    )
    report = messages(in_french)
    assert (
        "1 paragraph is written right to left in a left-to-right chapter; it keeps its direction." in report
    )
    assert in_french.report.languages["ar-SA"] > 0 and in_french.report.languages["en-US"] > 0

    in_arabic = read_manuscript("ar.docx", data, "ar")
    assert RTL_ISOLATE not in in_arabic.blocks[0]["value"]
    assert not any("right to left" in line for line in messages(in_arabic))
    assert any(line.startswith("The document is written in en-US") for line in messages(in_arabic))


def test_markdown_with_footnotes_quotes_and_links():
    text = """---
lang: en
---
# Making films with machines

Cinema was always *about* **machines**[^camera], see [the network](https://www.unesco.org/) and
[a trap](javascript:alert(1)) and [a file](file:///etc/passwd).

> Machines do not replace the eye.
>
> — A film-maker

1. first
2. second

Q: How do you work?

A: Carefully.

[^camera]: From the camera to the editing table.
"""
    manuscript = read_manuscript("chapter.md", text.encode(), "fr")

    assert kinds(manuscript) == ["heading", "paragraph", "quote", "paragraph", "interview", "note"]
    paragraph = manuscript.blocks[1]["value"]
    assert "<i>about</i> <b>machines</b>[^1]" in paragraph
    assert '<a href="https://www.unesco.org/">the network</a>' in paragraph
    assert "javascript" not in BeautifulSoup(paragraph, "html.parser").find_all("a")[-1].get("href", "")
    assert manuscript.blocks[2]["value"] == {
        "text": "Machines do not replace the eye.",
        "attribution": "A film-maker",
    }
    assert manuscript.blocks[3]["value"] == "<ol><li>first</li><li>second</li></ol>"
    assert manuscript.blocks[4]["value"] == {"question": "How do you work?", "answer": "<p>Carefully.</p>"}
    assert manuscript.blocks[5]["value"] == {
        "number": 1,
        "text": "<p>From the camera to the editing table.</p>",
    }
    assert "The document is written in en (100 %), the chapter is in fr." in messages(manuscript)
    valid_stream(manuscript)


def test_a_zip_of_markdown_brings_its_images():
    text = (
        '# Images\n\n![A green square](images/square.png "The square. © Studio")\n\n![](images/second.png)\n'
    )
    data = zipped(
        {
            "chapter/text.md": text.encode(),
            "chapter/images/square.png": png_bytes(colour=(0, 200, 0)),
            "chapter/images/second.png": png_bytes(20, 20),
        }
    )
    manuscript = read_manuscript("chapter.zip", data, "fr")

    assert kinds(manuscript) == ["heading", "image", "image"]
    first, second = manuscript.blocks[1]["value"], manuscript.blocks[2]["value"]
    assert (first["alt_text"], first["caption"], first["credit"]) == (
        "A green square",
        "The square",
        "© Studio",
    )
    assert second["alt_text"] == ""
    assert manuscript.images[1].data == png_bytes(colour=(0, 200, 0))
    assert (manuscript.images[2].width, manuscript.images[2].height) == (20, 20)
    assert (
        "Image 2 has no description: give it an alternative text before the chapter can be published."
        in messages(manuscript)
    )


def test_a_document_saved_by_libreoffice():
    manuscript = read_manuscript(LIBREOFFICE_FILE.name, LIBREOFFICE_FILE.read_bytes(), "fr")

    assert kinds(manuscript) == [
        "heading",
        "paragraph",
        "quote",
        "heading",
        "image",
        "heading",
        "bibliography_entry",
        "note",
    ]
    assert "<b>affaire de machines</b>" in manuscript.blocks[1]["value"]
    assert "<i>table de montage</i>.[^1]" in manuscript.blocks[1]["value"]
    assert '<a href="https://www.unesco.org/fr/creative-cities">réseau</a>' in manuscript.blocks[1]["value"]
    assert manuscript.blocks[2]["value"]["attribution"] == "Une réalisatrice cannoise"
    image = manuscript.blocks[4]["value"]
    assert (image["alt_text"], image["caption"], image["credit"]) == (
        "Un rectangle vert sur fond blanc",
        "Plateau de tournage",
        "© Studio Cannes",
    )
    assert manuscript.blocks[6]["value"]["title"] == "Le cinéma et l'IA"
    assert manuscript.blocks[7]["value"] == {"number": 1, "text": "<p>Voir le programme du festival.</p>"}
    assert not manuscript.report.language_mismatch
    valid_stream(manuscript)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<p>Hugo, Victor. Les Misérables. Lacroix, 1862.</p>",
            {
                "author": "Hugo, Victor",
                "title": "Les Misérables",
                "publisher": "Lacroix",
                "year": 1862,
                "url": "",
            },
        ),
        (
            '<p>Dupont, Jean. <i>Un titre</i>. Paris : Seuil, 2020. <a href="https://example.org/x">lien</a></p>',
            {
                "author": "Dupont, Jean",
                "title": "Un titre",
                "publisher": "Paris : Seuil",
                "year": 2020,
                "url": "https://example.org/x",
            },
        ),
        (
            "<p>Martin, Un livre, Gallimard, 1999.</p>",
            {"author": "Martin", "title": "Un livre", "publisher": "Gallimard", "year": 1999, "url": ""},
        ),
        ("<p>sans structure</p>", None),
    ],
)
def test_bibliography_entries_are_read_best_effort(html, expected):
    node = BeautifulSoup(html, "html.parser").p
    assert read_bibliography_entry(node, node.get_text()) == expected
