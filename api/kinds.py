"""What the public API calls each model it serves an item of, and the public address of a path.

The response cache, the CDN purge, rich-text links and the change events all
name items the same way (the ``api:<kind>-detail`` URL names).
"""

from urllib.parse import urlencode

from django.conf import settings
from wagtail.models import Page

from book.models import BookPage, ChapterPage, City, ContributorPage, Sector, ThemePage

KINDS = {
    BookPage: "book",
    ChapterPage: "chapter",
    ContributorPage: "contributor",
    ThemePage: "theme",
    City: "city",
    Sector: "sector",
}
PAGE_KINDS = {model: kind for model, kind in KINDS.items() if issubclass(model, Page)}


def public_url(path, **query):
    """``path`` under the API's public scheme and host (``API_PUBLIC_BASE_URL``), with ``query``."""
    url = settings.API_PUBLIC_BASE_URL.rstrip("/") + path
    query = {name: value for name, value in query.items() if value is not None}
    return f"{url}?{urlencode(query)}" if query else url
