"""What a site shows: its public API's answers and its media files.

``snapshot()`` asks, through Django's test client and with the caches emptied,
for the locales, then in every language the lists (every page) and the details
of books, chapters, contributors, themes, cities and sectors, with the media
files' URLs made relative to the storage. Run as ``python -m
tests.ops.site_snapshot OUT.json``, it writes the snapshot of the site that
``DJANGO_SETTINGS_MODULE`` and ``DATABASE_URL`` configure.
"""

import hashlib
import json
import sys
from urllib.parse import urlsplit

KINDS = ["books", "chapters", "contributors", "themes", "cities", "sectors"]


def api_snapshot():
    from django.core.cache import caches
    from django.core.files.storage import default_storage
    from django.test import Client

    for cache in caches.all():
        cache.clear()
    client = Client()
    answers = {}

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}: {response.content[:500]!r}")
        answers[url] = response.json()
        return answers[url]

    locales = [locale["code"] for locale in get("/api/v1/locales/")["results"]]
    for code in locales:
        for kind in KINDS:
            url = f"/api/v1/{kind}/?locale={code}"
            while url:
                page = get(url)
                for item in page["results"]:
                    get(f"/api/v1/{kind}/{item['key']}/?locale={code}")
                url = page.get("next") and urlsplit(page["next"])._replace(scheme="", netloc="").geturl()
    # Media URLs start with where this site's storage is (a folder's URL, or a bucket and prefix).
    base = default_storage.url("file")[: -len("file")]
    return json.loads(json.dumps(answers).replace(json.dumps(base)[1:-1], "{media}/"))


def media_snapshot():
    """Every media file's name and SHA-256, read through the default storage."""
    from django.core.files.storage import default_storage

    from cms.backup import media_names

    digests = {}
    for name in media_names(default_storage):
        with default_storage.open(name, "rb") as handle:
            digests[name] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def snapshot():
    return {"api": api_snapshot(), "media": media_snapshot()}


if __name__ == "__main__":
    import django

    django.setup()
    with open(sys.argv[1], "w") as out:
        json.dump(snapshot(), out)
