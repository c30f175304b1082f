"""Reads the book through the Python client generated from the API's schema (openapi-python-client).

Run by ``test_generated_clients`` as ``python read_book.py BASE_URL`` with the generated package
``book_api_client`` importable. Every response is parsed by the generated models, which raise
on what the schema does not allow (a missing required field, an unknown enum value, a date that
is not one); an undocumented status raises too. Prints one line per step.
"""

import sys

from book_api_client import Client
from book_api_client.api.books import books_list, books_retrieve
from book_api_client.api.chapters import chapters_retrieve
from book_api_client.api.locales import locales_list
from book_api_client.api.search import search_list
from book_api_client.models import (
    BooksRetrieveIncludeItem,
    ChapterDetail,
    PaginatedBookList,
    PaginatedLocaleList,
    PaginatedSearchResultList,
    WholeBook,
)


def read(response, model):
    assert response.status_code == 200, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, model), type(response.parsed)
    return response.parsed


def main(base_url):
    client = Client(base_url=base_url, raise_on_unexpected_status=True, timeout=60)

    locales = read(locales_list.sync_detailed(client=client), PaginatedLocaleList)
    codes = [locale.code for locale in locales.results]
    assert {"fr", "en"} <= set(codes), codes
    print("locales:", ", ".join(codes))

    books = read(books_list.sync_detailed(client=client, locale="en"), PaginatedBookList)
    key = str(books.results[0].key)
    book = read(books_retrieve.sync_detailed(key, client=client, locale="en"), WholeBook)
    chapters = [chapter for part in book.toc for chapter in part.chapters]
    assert chapters and not book.included
    print(f"table of contents (en): {len(book.toc)} parts, {len(chapters)} chapters")

    chapter_key = str(chapters[0].key)
    french = read(chapters_retrieve.sync_detailed(chapter_key, client=client, locale="fr"), ChapterDetail)
    english = read(chapters_retrieve.sync_detailed(chapter_key, client=client, locale="en"), ChapterDetail)
    assert (french.locale, english.locale) == ("fr", "en") and french.key == english.key
    assert french.title != english.title and french.body and english.body
    print(f"chapter in two languages: “{french.title}” / “{english.title}”, {len(english.body)} blocks")

    word = max(french.title.split(), key=len)
    found = read(search_list.sync_detailed(client=client, q=word, locale="fr"), PaginatedSearchResultList)
    assert found.count > 0 and found.results, word
    print(f"search (fr) “{word}”: {found.count} results")

    everything = list(BooksRetrieveIncludeItem)
    whole = read(books_retrieve.sync_detailed(key, client=client, locale="en", include=everything), WholeBook)
    included = whole.included
    assert len(included.chapters) == len(chapters)
    assert all(chapter.body for chapter in included.chapters)
    assert included.contributors and included.themes and included.cities and included.sectors
    print(
        "whole book (en):",
        ", ".join(f"{len(getattr(included, item.value))} {item.value}" for item in everything),
    )


if __name__ == "__main__":
    main(sys.argv[1])
