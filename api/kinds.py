"""What the public API calls each model it serves an item of, and the public address of a path.

The response cache, the CDN purge, rich-text links and the change events all
name items the same way (the ``api:<kind>-detail`` URL names), as the book's
registry of kinds (``book.kinds``) declares them.
"""

from urllib.parse import urlencode

from django.conf import settings

from book import kinds

# The kinds the API serves, by model.
KINDS = {kind.model: kind.name for kind in kinds.served()}
PAGE_KINDS = {kind.model: kind.name for kind in kinds.served() if kind.page}


def public_url(path, **query):
    """``path`` under the API's public scheme and host (``API_PUBLIC_BASE_URL``), with ``query``."""
    url = settings.API_PUBLIC_BASE_URL.rstrip("/") + path
    query = {name: value for name, value in query.items() if value is not None}
    return f"{url}?{urlencode(query)}" if query else url
