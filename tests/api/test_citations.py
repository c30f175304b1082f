"""Every chapter says how to cite it: ``citation`` (CSL-JSON) in the API, and files at its cite/ address."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from api import http
from book.models import BookPage, ChapterPage
from tests.api.conftest import api, credit, translate
from tests.factories import ChapterPageFactory, ContributorPageFactory

pytestmark = pytest.mark.django_db

# The demo's second chapter; its key is derived from a fixed name (book.demo.loader).
DEMO_KEY = "20ee0a02-a583-5452-a018-f380e0fc936c"
DEMO_SLUG = "le-plateau-de-tournage-reinvente"


def cite(client, ref, format, **query):
    return client.get(api("chapter-cite", ref=ref), {"format": format, **query})


def test_demo_chapter_in_french_in_every_format(client, demo_book):
    url = f"http://testserver/api/v1/chapters/{DEMO_KEY}/?locale=fr"
    item = {
        "id": "fictif2025plateau",
        "type": "chapter",
        "title": "Le plateau de tournage réinventé",
        "author": [{"family": "Fictif", "given": "Hugo"}],
        "container-title": "Intelligence artificielle et création\u00a0: Enjeux et pratiques",
        "editor": [{"literal": "Ville de Cannes"}],
        "publisher": "Ville de Cannes",
        "issued": {"date-parts": [[2025, 12, 1]]},
        "language": "fr",
        "URL": url,
    }
    assert client.get(api("chapter-detail", ref=DEMO_SLUG)).json()["citation"] == item

    response = cite(client, DEMO_SLUG, "csl-json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert json.loads(response.content) == [item]

    response = cite(client, DEMO_SLUG, "bibtex")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="le-plateau-de-tournage-reinvente-fr.bib"'
    assert response.content.decode() == (
        "@incollection{fictif2025plateau,\n"
        "  author = {Fictif, Hugo},\n"
        "  title = {Le plateau de tournage réinventé},\n"
        "  booktitle = {Intelligence artificielle et création\u00a0: Enjeux et pratiques},\n"
        "  editor = {{Ville de Cannes}},\n"
        "  publisher = {Ville de Cannes},\n"
        "  year = {2025},\n"
        "  date = {2025-12-01},\n"
        "  language = {fr},\n"
        f"  url = {{{url}}}\n"
        "}\n"
    )

    response = cite(client, DEMO_SLUG, "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response.content.decode() == (
        "TY  - CHAP\r\n"
        "AU  - Fictif, Hugo\r\n"
        "ED  - Ville de Cannes\r\n"
        "TI  - Le plateau de tournage réinventé\r\n"
        "T2  - Intelligence artificielle et création\u00a0: Enjeux et pratiques\r\n"
        "PB  - Ville de Cannes\r\n"
        "PY  - 2025\r\n"
        "DA  - 2025/12/01\r\n"
        "LA  - fr\r\n"
        f"UR  - {url}\r\n"
        "ER  - \r\n"
    )

    response = cite(client, DEMO_SLUG, "text")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Language"] == "fr"
    assert response.content.decode() == (
        "Fictif, H. (2025). Le plateau de tournage réinventé. Dans Ville de Cannes (dir.), "
        f"Intelligence artificielle et création\u00a0: Enjeux et pratiques. {url}\n"
    )


def test_demo_chapter_in_english_with_its_own_doi_in_every_format(client, demo_book):
    # The demo's English edition is translated segment by segment as "[en] <French text>".
    english_book = BookPage.objects.get(translation_key=demo_book.translation_key, locale__language_code="en")
    english_book.isbn = "978-2-9599999-0-1"
    english_book.save_revision().publish()
    chapter = ChapterPage.objects.get(translation_key=DEMO_KEY, locale__language_code="en")
    chapter.doi = "10.5555/ai.2"
    chapter.save_revision().publish()
    item = {
        "id": "fictif2025plateau",
        "type": "chapter",
        "title": "[en] Le plateau de tournage réinventé",
        "author": [{"family": "Fictif", "given": "Hugo"}],
        "container-title": "[en] Intelligence artificielle et création: [en] Enjeux et pratiques",
        "editor": [{"literal": "[en] Ville de Cannes"}],
        "publisher": "[en] Ville de Cannes",
        "issued": {"date-parts": [[2025, 12, 1]]},
        "ISBN": "978-2-9599999-0-1",
        "language": "en",
        "DOI": "10.5555/ai.2",
    }
    detail = client.get(api("chapter-detail", ref=DEMO_KEY), {"locale": "en"}).json()
    assert detail["doi"] == "10.5555/ai.2"
    assert detail["citation"] == item
    # The French chapter keeps having no DOI: it is cited by its address.
    assert "DOI" not in client.get(api("chapter-detail", ref=DEMO_KEY)).json()["citation"]

    response = cite(client, DEMO_SLUG, "csl-json", locale="en")
    assert json.loads(response.content) == [item]
    assert response["Content-Disposition"] == f'attachment; filename="{chapter.slug}-en.json"'
    assert cite(client, DEMO_KEY, "bibtex", locale="en").content.decode() == (
        "@incollection{fictif2025plateau,\n"
        "  author = {Fictif, Hugo},\n"
        "  title = {[en] Le plateau de tournage réinventé},\n"
        "  booktitle = {[en] Intelligence artificielle et création: [en] Enjeux et pratiques},\n"
        "  editor = {{[en] Ville de Cannes}},\n"
        "  publisher = {[en] Ville de Cannes},\n"
        "  year = {2025},\n"
        "  date = {2025-12-01},\n"
        "  language = {en},\n"
        "  isbn = {978-2-9599999-0-1},\n"
        "  doi = {10.5555/ai.2}\n"
        "}\n"
    )
    assert cite(client, DEMO_KEY, "ris", locale="en").content.decode() == (
        "TY  - CHAP\r\n"
        "AU  - Fictif, Hugo\r\n"
        "ED  - [en] Ville de Cannes\r\n"
        "TI  - [en] Le plateau de tournage réinventé\r\n"
        "T2  - [en] Intelligence artificielle et création: [en] Enjeux et pratiques\r\n"
        "PB  - [en] Ville de Cannes\r\n"
        "PY  - 2025\r\n"
        "DA  - 2025/12/01\r\n"
        "LA  - en\r\n"
        "SN  - 978-2-9599999-0-1\r\n"
        "DO  - 10.5555/ai.2\r\n"
        "ER  - \r\n"
    )
    response = cite(client, DEMO_KEY, "text", locale="en")
    assert response["Content-Language"] == "en"
    assert response.content.decode() == (
        "Fictif, H. (2025). [en] Le plateau de tournage réinventé. In [en] Ville de Cannes (Ed.), "
        "[en] Intelligence artificielle et création: [en] Enjeux et pratiques. https://doi.org/10.5555/ai.2\n"
    )


def test_every_chapter_of_a_list_has_its_citation(client, book):
    results = client.get(api("chapter-list")).json()["results"]
    by_slug = {result["slug"]: result["citation"] for result in results}
    assert by_slug["ecrire-avec-la-machine"]["author"] == [
        {"family": "Jarre", "given": "Jean-Michel"},
        {"family": "Andrea", "given": "Jean-Baptiste"},
    ]
    assert by_slug["composer"]["container-title"] == "IA et création"
    assert all(
        citation["URL"] == result["url"] for citation, result in zip(by_slug.values(), results, strict=True)
    )


def test_a_contributor_is_cited_by_the_sort_name_of_the_language_served(client, book, english):
    book.jarre.sort_name = "Jarre, J.-M. (ed.)"
    book.jarre.save_revision().publish()
    translate(book.jarre, english, slug="jean-michel-jarre-en", sort_name="Jarre, Jean Michel")
    english_authors = client.get(api("chapter-detail", ref="ecrire-avec-la-machine"), {"locale": "en"}).json()
    assert english_authors["citation"]["author"][0] == {"family": "Jarre", "given": "Jean Michel"}
    french_authors = client.get(api("chapter-detail", ref="ecrire-avec-la-machine")).json()
    assert french_authors["citation"]["author"][0] == {"family": "Jarre", "given": "J.-M. (ed.)"}


def test_a_chapter_not_in_the_language_asked_for_is_cited_in_its_fallback(client, book):
    response = cite(client, "composer", "bibtex", locale="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert response["Content-Disposition"] == 'attachment; filename="composer-fr.bib"'
    assert "language = {fr}" in response.content.decode()


def test_non_latin_names_and_file_names(client, book):
    arabic = ContributorPageFactory(
        parent=book.contributors_index, title="ليلى بن علي", slug="layla", sort_name="بن علي, ليلى"
    )
    chapter = ChapterPageFactory(parent=book.part_two, title="الإبداع والآلة", slug="الإبداع")
    credit(chapter, contributors=[(arabic, "author")])
    response = cite(client, chapter.translation_key, "text")
    assert response.content.decode().startswith("بن علي, ل. (s. d.). الإبداع والآلة. Dans IA et création. ")
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''%D8%A7%D9%84%D8%A5%D8%A8%D8%AF%D8%A7%D8%B9-fr.txt"
    )
    bibtex = cite(client, chapter.translation_key, "bibtex").content.decode()
    assert bibtex.startswith("@incollection{bnly") and "author = {بن علي, ليلى}" in bibtex


@pytest.mark.parametrize("hide", ["draft", "private", "private section", "unpublished"])
def test_a_chapter_the_public_cannot_see_cannot_be_cited(client, book, hide):
    chapter = ChapterPageFactory(parent=book.part_two, title="Caché", slug="cache", live=hide != "draft")
    if hide == "private":
        PageViewRestriction.objects.create(page=chapter, restriction_type=PageViewRestriction.LOGIN)
    elif hide == "private section":
        PageViewRestriction.objects.create(
            page=book.part_two, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    elif hide == "unpublished":
        assert cite(client, "cache", "ris").status_code == 200
        chapter.unpublish()
    for ref in ["cache", str(chapter.translation_key)]:
        response = cite(client, ref, "ris")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["parameter"] == "ref"
        assert "Caché" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "parameter", "code"),
    [
        ({"format": "pdf"}, "format", "invalid_choice"),
        ({"format": ""}, "format", "required"),
        ({}, "format", "required"),
        ({"format": "json"}, "format", "invalid_choice"),
        ({"format": "bibtex", "locale": "xx"}, "locale", "unknown_locale"),
    ],
)
def test_bad_parameters_get_a_json_400_naming_them(client, book, query, parameter, code):
    response = client.get(api("chapter-cite", ref="composer"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["parameter"] == parameter
    assert response.json()["error"]["code"] == code


def test_a_malformed_ref_gets_a_400_and_an_unknown_one_a_404(client, book):
    response = cite(client, "no such chapter!", "text")
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "ref"
    assert cite(client, "nothing-here", "text").status_code == 404


def test_citations_are_cached_with_their_headers_and_revalidated(client, book, django_assert_num_queries):
    first = cite(client, "composer", "bibtex")
    assert first.status_code == 200 and first["ETag"]
    with django_assert_num_queries(0):
        again = cite(client, "composer", "bibtex")
    assert again.content == first.content
    for header in ["Content-Type", "Content-Disposition", "Content-Language", "ETag", "Cache-Control"]:
        assert again[header] == first[header], header
    assert cite(client, "composer", "text")["ETag"] != first["ETag"]
    with django_assert_num_queries(0):
        revalidated = client.get(
            api("chapter-cite", ref="composer"), {"format": "bibtex"}, HTTP_IF_NONE_MATCH=first["ETag"]
        )
    assert revalidated.status_code == 304
    book.second.title = "Composer encore"
    book.second.save_revision().publish()
    assert "Composer encore" in cite(client, "composer", "bibtex").content.decode()


def count_queries(client, path, params):
    client.get(path, params)
    http.bump_content_version()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_citing_costs_a_fixed_number_of_queries(client, book):
    few = count_queries(client, api("chapter-cite", ref="partager"), {"format": "bibtex"})
    people = [
        ContributorPageFactory(parent=book.contributors_index, title=f"Personne {number}")
        for number in range(6)
    ]
    chapter = ChapterPageFactory(parent=book.part_two, slug="beaucoup")
    credit(chapter, contributors=[(person, "author") for person in people])
    many = count_queries(client, api("chapter-cite", ref="beaucoup"), {"format": "bibtex"})
    assert few == many
    assert cite(client, "beaucoup", "bibtex").content.decode().count(" and ") == 5
