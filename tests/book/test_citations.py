"""A chapter's citation: its CSL-JSON and the BibTeX, RIS and APA text written from it."""

import json
from datetime import date
from types import SimpleNamespace

import bibtexparser
import pytest
from django.core.exceptions import ValidationError

from book import citations
from book.citations import Credit
from book.models import BookPage, ChapterPage

BOOK = SimpleNamespace(
    title="Intelligence artificielle et création",
    subtitle="Enjeux et pratiques",
    editors="Ville de Cannes",
    publisher="Ville de Cannes",
    publication_date=date(2025, 12, 1),
    isbn="",
)
URL = "https://api.example.org/api/v1/chapters/0b6e/?locale=fr"


def chapter(title="Le plateau de tournage réinventé", doi=""):
    return SimpleNamespace(title=title, doi=doi)


def cite(credits, *, book=BOOK, language="fr", **fields):
    return citations.chapter_csl(chapter(**fields), book, credits, language=language, url=URL)


HUGO = Credit("Hugo Fictif", "Fictif, Hugo", "author")


def test_a_chapter_is_a_csl_chapter_in_its_book():
    assert cite([HUGO]) == {
        "id": "fictif2025plateau",
        "type": "chapter",
        "title": "Le plateau de tournage réinventé",
        "author": [{"family": "Fictif", "given": "Hugo"}],
        "container-title": "Intelligence artificielle et création\u00a0: Enjeux et pratiques",
        "editor": [{"literal": "Ville de Cannes"}],
        "publisher": "Ville de Cannes",
        "issued": {"date-parts": [[2025, 12, 1]]},
        "language": "fr",
        "URL": URL,
    }


def test_the_doi_stands_in_for_the_address_and_the_isbn_is_the_books():
    book = SimpleNamespace(**{**vars(BOOK), "isbn": "978-2-12-345680-3"})
    item = cite([HUGO], book=book, doi="10.1234/ia.2025.7")
    assert item["DOI"] == "10.1234/ia.2025.7" and "URL" not in item
    assert item["ISBN"] == "978-2-12-345680-3"
    assert citations.as_text(item).endswith(" https://doi.org/10.1234/ia.2025.7")


def test_roles_become_csl_variables_and_unknown_ones_are_left_out():
    item = cite(
        [
            Credit("Jean-Baptiste Andrea", "Andrea, Jean-Baptiste", "interviewee"),
            Credit("Camille Exemple", "Exemple, Camille", "interviewer"),
            Credit("Lina Test", "Test, Lina", "illustrator"),
            Credit("Ana Trad", "Trad, Ana", "translator"),
            Credit("Photo Graphe", "Graphe, Photo", "photographer"),
        ]
    )
    assert item["author"] == [{"family": "Andrea", "given": "Jean-Baptiste"}]
    assert item["interviewer"] == [{"family": "Exemple", "given": "Camille"}]
    assert item["illustrator"] == [{"family": "Test", "given": "Lina"}]
    assert item["translator"] == [{"family": "Trad", "given": "Ana"}]
    assert "Graphe" not in json.dumps(item)


def test_editors_are_people_when_written_family_comma_given():
    book = SimpleNamespace(**{**vars(BOOK), "editors": "Dupont, Marie\n\nUNESCO\n"})
    assert cite([HUGO], book=book)["editor"] == [
        {"family": "Dupont", "given": "Marie"},
        {"literal": "UNESCO"},
    ]


def test_arabic_names_keep_their_script_and_the_key_is_ascii():
    item = cite(
        [Credit("ليلى بن علي", "بن علي, ليلى", "author")],
        language="ar",
        title="الإبداع والآلة",
        book=SimpleNamespace(**{**vars(BOOK), "title": "الذكاء الاصطناعي والإبداع", "subtitle": ""}),
    )
    assert item["author"] == [{"family": "بن علي", "given": "ليلى"}]
    assert item["id"].isascii() and item["id"].startswith("bn") and "2025" in item["id"]
    assert citations.as_text(item) == (
        f"بن علي, ل. (2025). الإبداع والآلة. In Ville de Cannes (Ed.), الذكاء الاصطناعي والإبداع. {URL}"
    )
    parsed = bibtexparser.parse_string(citations.as_bibtex(item)).entries[0]
    assert parsed["author"] == "بن علي, ليلى" and parsed["title"] == "الإبداع والآلة"


def test_french_text_in_apa_style():
    item = cite([HUGO, Credit("Jean-Baptiste Andrea", "Andrea, Jean-Baptiste", "co-author")])
    assert citations.as_text(item) == (
        "Fictif, H. et Andrea, J.-B. (2025). Le plateau de tournage réinventé. Dans Ville de Cannes (dir.), "
        f"Intelligence artificielle et création\u00a0: Enjeux et pratiques. {URL}"
    )


def test_english_text_in_apa_style_with_a_publisher_other_than_the_editors():
    book = SimpleNamespace(
        title="AI and creation",
        subtitle="Issues and practices",
        editors="Dupont, Marie\nLee, Ji-woo",
        publisher="City of Cannes",
        publication_date=date(2025, 12, 1),
        isbn="",
    )
    credits = [
        HUGO,
        Credit("Jean-Baptiste Andrea", "Andrea, Jean-Baptiste", "author"),
        Credit("Nomura", "Nomura", "author"),
    ]
    item = cite(credits, book=book, language="en", title="Who writes?")
    assert citations.as_text(item) == (
        "Fictif, H., Andrea, J.-B., & Nomura. (2025). Who writes? In M. Dupont & J.-W. Lee (Eds.), "
        f"AI and creation: Issues and practices. City of Cannes. {URL}"
    )


def test_text_without_author_date_or_book():
    item = citations.chapter_csl(chapter(), None, [], language="fr", url="")
    assert item == {
        "id": "plateau",
        "type": "chapter",
        "title": "Le plateau de tournage réinventé",
        "language": "fr",
    }
    assert citations.as_text(item) == "Le plateau de tournage réinventé. (s. d.)."
    assert citations.as_text({**item, "language": "en"}) == "Le plateau de tournage réinventé. (n.d.)."


def test_more_than_twenty_authors_are_cut_as_apa_cuts_them():
    credits = [Credit(f"P{number}", f"Person{number}, Ann", "author") for number in range(1, 23)]
    text = citations.as_text(cite(credits, language="en"))
    assert (
        text.startswith("Person1, A., Person2, A., ") and "Person19, A., . . . Person22, A. (2025)." in text
    )
    assert "Person20" not in text


def test_bibtex_escapes_what_latex_reads_and_parses_back():
    item = cite([HUGO], title="Sons & images : 100 % {libres} #1_a~b^c \\ fin")
    written = citations.as_bibtex(item)
    assert (
        r"title = {Sons \& images : 100 \% \textbraceleft{}libres\textbraceright{} \#1\_a\textasciitilde{}b"
        r"\textasciicircum{}c \textbackslash{} fin}," in written
    )
    library = bibtexparser.parse_string(written)
    assert not library.failed_blocks
    assert library.entries[0]["title"].startswith(r"Sons \& images")


def test_bibtex_of_a_chapter_with_a_doi():
    book = SimpleNamespace(**{**vars(BOOK), "isbn": "978-2-12-345680-3"})
    item = cite([HUGO], book=book, doi="10.1234/a{b}%c")
    assert citations.as_bibtex(item) == (
        "@incollection{fictif2025plateau,\n"
        "  author = {Fictif, Hugo},\n"
        "  title = {Le plateau de tournage réinventé},\n"
        "  booktitle = {Intelligence artificielle et création\u00a0: Enjeux et pratiques},\n"
        "  editor = {{Ville de Cannes}},\n"
        "  publisher = {Ville de Cannes},\n"
        "  year = {2025},\n"
        "  date = {2025-12-01},\n"
        "  language = {fr},\n"
        "  isbn = {978-2-12-345680-3},\n"
        "  doi = {10.1234/a%7Bb%7D%c}\n"
        "}\n"
    )


def test_ris_record():
    item = cite([HUGO, Credit("Ville de Cannes", "", "author")])
    assert citations.as_ris(item) == (
        "TY  - CHAP\r\n"
        "AU  - Fictif, Hugo\r\n"
        "AU  - Ville de Cannes\r\n"
        "ED  - Ville de Cannes\r\n"
        "TI  - Le plateau de tournage réinventé\r\n"
        "T2  - Intelligence artificielle et création\u00a0: Enjeux et pratiques\r\n"
        "PB  - Ville de Cannes\r\n"
        "PY  - 2025\r\n"
        "DA  - 2025/12/01\r\n"
        "LA  - fr\r\n"
        f"UR  - {URL}\r\n"
        "ER  - \r\n"
    )


def test_text_on_several_lines_is_cited_on_one():
    item = cite([HUGO], title="Le plateau\n  de tournage")
    assert item["title"] == "Le plateau de tournage"
    assert "TI  - Le plateau de tournage\r\n" in citations.as_ris(item)


def test_csl_json_document_is_a_list_of_one_item():
    item = cite([HUGO])
    assert json.loads(citations.write(item, "csl-json")) == [item]


@pytest.mark.parametrize("value", ["10.1234/abc", "10.12345.6/a-b_c(1)", "10.1000/ا"])
def test_a_doi_is_accepted(value):
    ChapterPage._meta.get_field("doi").run_validators(value)
    BookPage._meta.get_field("doi").run_validators(value)


@pytest.mark.parametrize(
    "value",
    ["https://doi.org/10.1234/abc", "10.12/abc", "10.1234", "10.1234/", "doi:10.1234/abc", "10.1234/a b"],
)
def test_a_malformed_doi_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        ChapterPage._meta.get_field("doi").run_validators(value)
    assert refused.value.error_list[0].code == "invalid_doi"


def test_the_chapter_doi_is_synchronised_and_each_language_may_override_it():
    from wagtail_localize.fields import SynchronizedField

    (field,) = [field for field in ChapterPage.translatable_fields if field.field_name == "doi"]
    assert isinstance(field, SynchronizedField) and field.overridable
