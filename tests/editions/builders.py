"""Small builders standing in for the EPUB and PDF makers, whose own tests live beside them.

They make real files from the book's published state (a zip with the titles
of the public chapters), so the tests see every change a build must reflect.
"""

import io
import zipfile

from book import selectors
from editions.formats import Built

CALLS = []


def chapter_titles(book_page):
    return [
        chapter.title for _part, chapters in selectors.table_of_contents(book_page) for chapter in chapters
    ]


def small_epub(book_page):
    CALLS.append(("epub", book_page.pk))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=(2000, 1, 1, 0, 0, 0))
        archive.writestr(info, "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        contents = zipfile.ZipInfo("contents.txt", date_time=(2000, 1, 1, 0, 0, 0))
        archive.writestr(contents, "\n".join([book_page.title, *chapter_titles(book_page)]))
    return Built(data=buffer.getvalue(), complete=True, warnings=())


def small_pdf(book_page):
    CALLS.append(("pdf", book_page.pk))
    text = " / ".join([book_page.title, *chapter_titles(book_page)])
    return Built(data=f"%PDF-1.7\n% {text}\n%%EOF\n".encode(), complete=False, warnings=("A test warning.",))


def crashing(book_page):
    CALLS.append(("crash", book_page.pk))
    raise RuntimeError("The printer caught fire.")
