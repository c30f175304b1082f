"""A city's static site builds the demo in every language on the default rate, twice in a minute, without a 429.

The build reads the API as a site's build script would: in a tight loop,
without a key, from one address, following the API's own links: the
languages, each language's book and table of contents, every chapter, and
every contributor, theme, city and sector with its list. The second build
keeps the first one's ETags and revalidates, as a build with a cache does.
"""

import pytest

from cms.settings import base

pytestmark = pytest.mark.django_db

KINDS = ("contributors", "themes", "cities", "sectors")


class Build:
    def __init__(self, client, cache=None):
        """``cache``: an earlier build, whose ETags and bodies this one keeps."""
        self.client = client
        self.etags = dict(cache.etags) if cache else {}
        self.bodies = dict(cache.bodies) if cache else {}
        self.statuses = []

    def get(self, url):
        headers = {"HTTP_IF_NONE_MATCH": self.etags[url]} if url in self.etags else {}
        response = self.client.get(url, **headers)
        self.statuses.append(response.status_code)
        assert response.status_code in (200, 304), (url, response.status_code, response.content[:300])
        if response.status_code == 200:
            self.etags[url] = response["ETag"]
            self.bodies[url] = response.json()
        return self.bodies[url]

    def listing(self, url):
        items = []
        while url:
            page = self.get(url)
            items += page["results"]
            url = page["next"]
        return items

    def run(self):
        for locale in self.listing("/api/v1/locales/"):
            if locale.get("published") is False:
                continue
            code = locale["code"]
            for book in self.listing(f"/api/v1/books/?locale={code}"):
                detail = self.get(book["url"])
                for part in detail["toc"]:
                    for chapter in part["chapters"]:
                        self.get(chapter["url"])
            for kind in KINDS:
                for item in self.listing(f"/api/v1/{kind}/?locale={code}"):
                    self.get(item["url"])
        return self


def test_a_static_build_of_every_language_twice_in_a_minute_is_never_refused(client, demo_book, settings):
    settings.API_THROTTLE_RATE = base.API_THROTTLE_RATE
    first = Build(client).run()
    second = Build(client, cache=first).run()

    assert 429 not in first.statuses + second.statuses
    assert set(first.statuses) == {200}
    assert second.statuses.count(304) == len(second.statuses), "nothing changed between the builds"
    print(
        f"\nStatic build of the demo at the default rate ({base.API_THROTTLE_RATE}): "
        f"{len(first.statuses)} requests, then {len(second.statuses)} revalidations answered 304 "
        f"(costing {len(second.statuses) / 10:g} requests)"
    )


def test_a_build_without_a_cache_twice_in_a_minute_is_never_refused_either(client, demo_book, settings):
    settings.API_THROTTLE_RATE = base.API_THROTTLE_RATE
    first = Build(client).run()
    second = Build(client).run()
    assert 429 not in first.statuses + second.statuses
    print(
        f"\nTwo builds without a cache: {len(first.statuses) + len(second.statuses)} requests, none refused"
    )
