"""Only public content, ever: random books in random states, walked through every endpoint.

Hypothesis builds small books (parts, chapters, contributors, themes, cities,
sectors, in French and sometimes in English) whose pages are live, drafts,
unpublished, private, expired or scheduled, and whose chapters link to each
other. Every endpoint is then read in both languages (lists page by page,
details by key and by slug, search, filters), and every item, key, URL, slug and
title found in the answers must belong to a public version. What is public is
worked out from the states drawn, not from the code under test: a page is public
when it is live (neither draft, unpublished, expired nor scheduled) and neither
it nor an ancestor is private; a city or sector when it is live.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.core.cache import caches
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from wagtail.models import Locale, Page, PageViewRestriction

from book.models import ChapterContributor, ChapterSector, ChapterTheme, ContributorRole
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    CityFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
    SectorFactory,
    ThemeIndexPageFactory,
    ThemePageFactory,
)

LIVE, DRAFT, UNPUBLISHED, PRIVATE, EXPIRED, SCHEDULED = (
    "live",
    "draft",
    "unpublished",
    "private",
    "expired",
    "scheduled",
)
STATES = [LIVE, DRAFT, UNPUBLISHED, PRIVATE, EXPIRED, SCHEDULED]
# Live half of the time, so that hidden pages sit among public ones.
page_states = st.one_of(st.just(LIVE), st.sampled_from(STATES))
KINDS = {
    "books": "book",
    "chapters": "chapter",
    "contributors": "contributor",
    "themes": "theme",
    "cities": "city",
    "sectors": "sector",
}
FILTERS = {"part": "part", "theme": "theme", "contributor": "contributor", "city": "city", "sector": "sector"}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
API_URL_RE = re.compile(r"https?://testserver(/api/[^\s\"'<>]*)")
WORD = "zeta"


@st.composite
def versions(draw, states):
    """A French state, and an English one when the item is translated."""
    return {"fr": draw(states), "en": draw(st.none() | states)}


@st.composite
def books(draw):
    snippet_states = st.booleans()
    parts = draw(st.lists(versions(page_states), min_size=1, max_size=2))
    contributors = draw(st.lists(versions(page_states), max_size=2))
    themes = draw(st.lists(versions(page_states), max_size=2))
    cities = draw(st.lists(versions(snippet_states), max_size=2))
    sectors = draw(st.lists(versions(snippet_states), max_size=2))
    pages = [("contributor", index) for index in range(len(contributors))] + [
        ("theme", index) for index in range(len(themes))
    ]
    chapters = []
    for number in range(draw(st.integers(0, 3))):
        targets = pages + [("chapter", index) for index in range(number)] + [("part", 0), ("book", 0)]
        chapters.append(
            {
                **draw(versions(page_states)),
                "part": draw(st.integers(0, len(parts) - 1)),
                "contributors": draw(
                    st.lists(
                        st.tuples(
                            st.integers(0, max(len(contributors) - 1, 0)),
                            st.sampled_from(ContributorRole.values),
                        ),
                        max_size=len(contributors),
                        unique_by=lambda pair: pair[0],
                    )
                ),
                "themes": draw(st.sets(st.integers(0, max(len(themes) - 1, 0)), max_size=len(themes))),
                "sectors": draw(st.sets(st.integers(0, max(len(sectors) - 1, 0)), max_size=len(sectors))),
                "city": draw(st.none() | st.integers(0, len(cities) - 1)) if cities else None,
                "links": draw(st.lists(st.sampled_from(targets), max_size=3)),
            }
        )
    return {
        "book": draw(versions(page_states)),
        "contributor_index": draw(versions(page_states)),
        "theme_index": draw(versions(page_states)),
        "parts": parts,
        "contributors": [
            {**item, "city": draw(st.none() | st.integers(0, len(cities) - 1)) if cities else None}
            for item in contributors
        ],
        "themes": themes,
        "cities": cities,
        "sectors": sectors,
        "chapters": chapters,
    }


@dataclass
class Version:
    kind: str
    item: object
    locale: str
    public: bool


@dataclass
class Built:
    versions: list = field(default_factory=list)

    def add(self, kind, item, locale, public):
        self.versions.append(Version(kind, item, locale, public))

    def public_pairs(self, kind):
        return {(str(v.item.translation_key), v.locale) for v in self.versions if v.kind == kind and v.public}

    def public_ids(self, kind):
        return {v.item.pk for v in self.versions if v.kind == kind and v.public}

    @property
    def public_keys(self):
        return {str(v.item.translation_key) for v in self.versions if v.public}

    @property
    def hidden_strings(self):
        """Slugs and titles only hidden versions carry."""
        shown = {text for v in self.versions if v.public for text in self._strings(v)}
        return {text for v in self.versions if not v.public for text in self._strings(v)} - shown

    @staticmethod
    def _strings(version):
        return {version.item.slug, getattr(version.item, "title", None) or version.item.name}


class TreeBuilder:
    """Builds the drawn book and records which version of what is public."""

    def __init__(self, spec):
        self.spec = spec
        self.french = Locale.get_default()
        self.english = Locale.objects.get_or_create(language_code="en")[0]
        self.built = Built()
        self.now = timezone.now()

    def page(self, factory, kind, name, states, parent, private_above, prepare=None, **fields):
        """The French page (created as a draft, then given its state), and its English version."""
        page = factory(
            parent=parent["fr"], title=f"{name} {WORD}", slug=f"{kind}-{name}-fr", live=False, **fields
        )
        if prepare is not None:
            prepare(page)
        versions = {"fr": page}
        hidden = {"fr": private_above["fr"] or states["fr"] == PRIVATE}
        self.settle(page, states["fr"])
        self.built.add(kind, page, "fr", states["fr"] == LIVE and not hidden["fr"])
        if states["en"] is not None and parent.get("en") is not None:
            copy = type(page).objects.get(pk=page.pk).copy_for_translation(self.english)
            copy.title, copy.slug = f"{name} {WORD} en", f"{kind}-{name}-en"
            copy.save()
            self.settle(copy, states["en"])
            hidden["en"] = private_above["en"] or states["en"] == PRIVATE
            self.built.add(kind, copy, "en", states["en"] == LIVE and not hidden["en"])
            versions["en"] = copy
        return versions, hidden

    def settle(self, page, state):
        """Put a draft page in ``state``, the way editors and the scheduler would leave it."""
        page = type(page).objects.get(pk=page.pk)
        if state == DRAFT:
            return
        if state == SCHEDULED:
            page.go_live_at = self.now + datetime.timedelta(days=2)
            page.save_revision().publish()
            assert not type(page).objects.get(pk=page.pk).live
            return
        page.save_revision().publish()
        if state == UNPUBLISHED:
            type(page).objects.get(pk=page.pk).unpublish()
        elif state == PRIVATE:
            restriction = PageViewRestriction.PASSWORD if page.pk % 2 else PageViewRestriction.LOGIN
            PageViewRestriction.objects.create(page=page, restriction_type=restriction, password="secret")
        elif state == EXPIRED:
            # Past its expiry date, before the scheduler has taken it down.
            Page.objects.filter(pk=page.pk).update(expire_at=self.now - datetime.timedelta(hours=1))

    def snippet(self, factory, kind, name, states):
        item = factory(name=f"{name} {WORD}", slug=f"{kind}-{name}-fr", live=states["fr"])
        self.built.add(kind, item, "fr", states["fr"])
        if states["en"] is not None:
            copy = item.copy_for_translation(self.english)
            copy.name, copy.slug, copy.live = f"{name} {WORD} en", f"{kind}-{name}-en", states["en"]
            copy.save()
            self.built.add(kind, copy, "en", states["en"])
        return item

    def build(self):
        spec = self.spec
        root = {"fr": Page.get_first_root_node(), "en": Page.get_first_root_node()}
        nobody = {"fr": False, "en": False}
        cities = [self.snippet(CityFactory, "city", f"v{i}", s) for i, s in enumerate(spec["cities"])]
        sectors = [self.snippet(SectorFactory, "sector", f"s{i}", s) for i, s in enumerate(spec["sectors"])]
        book, book_hidden = self.page(BookPageFactory, "book", "livre", spec["book"], root, nobody)
        contributors_index, contributors_hidden = self.page(
            ContributorIndexPageFactory,
            "index",
            "contributeurs",
            spec["contributor_index"],
            book,
            book_hidden,
        )
        themes_index, themes_hidden = self.page(
            ThemeIndexPageFactory, "index", "themes", spec["theme_index"], book, book_hidden
        )
        parts = [
            self.page(PartPageFactory, "part", f"p{i}", states, book, book_hidden)
            for i, states in enumerate(spec["parts"])
        ]
        contributors = [
            self.page(
                ContributorPageFactory,
                "contributor",
                f"c{i}",
                states,
                contributors_index,
                contributors_hidden,
                city=None if states["city"] is None else cities[states["city"]],
            )[0]["fr"]
            for i, states in enumerate(spec["contributors"])
        ]
        themes = [
            self.page(ThemePageFactory, "theme", f"t{i}", states, themes_index, themes_hidden)[0]["fr"]
            for i, states in enumerate(spec["themes"])
        ]
        chapters = []
        targets = {"contributor": contributors, "theme": themes, "chapter": chapters, "book": [book["fr"]]}
        targets["part"] = [part["fr"] for part, _hidden in parts]
        for number, states in enumerate(spec["chapters"]):
            links = "".join(
                f'<a linktype="page" id="{targets[kind][index].pk}">{kind} {index}</a> '
                for kind, index in states["links"]
            )
            part, part_hidden = parts[states["part"]]

            def credit(chapter, states=states):
                for position, (index, role) in enumerate(states["contributors"]):
                    ChapterContributor.objects.create(
                        chapter=chapter, contributor=contributors[index], role=role, sort_order=position
                    )
                for position, index in enumerate(sorted(states["themes"])):
                    ChapterTheme.objects.create(chapter=chapter, theme=themes[index], sort_order=position)
                for position, index in enumerate(sorted(states["sectors"])):
                    ChapterSector.objects.create(chapter=chapter, sector=sectors[index], sort_order=position)

            chapters.append(
                self.page(
                    ChapterPageFactory,
                    "chapter",
                    f"h{number}",
                    states,
                    part,
                    part_hidden,
                    prepare=credit,
                    city=None if states["city"] is None else cities[states["city"]],
                    body=[("paragraph", f"<p>{WORD} {links}</p>")],
                )[0]["fr"]
            )
        return self.built


class Walker:
    """Reads every endpoint and checks each answer against what is public."""

    def __init__(self, test, built):
        self.test = test
        self.client = test.client
        self.built = built
        self.pairs = {kind: built.public_pairs(kind) for kind in [*KINDS.values(), "part"]}
        self.ids = {kind: built.public_ids(kind) for kind in [*KINDS.values(), "part"]}
        self.keys = built.public_keys
        self.hidden = built.hidden_strings
        self.seen = set()

    def get(self, path, **query):
        response = self.client.get(path, query)
        self.test.assertIn(response.status_code, {200, 400, 404}, (path, query, response.content[:500]))
        if response.status_code != 200:
            return None
        data = response.json()
        self.check(data, f"{path} {query}")
        return data

    def get_citation(self, path, **query):
        """A chapter's citation file, held to the same rule as the JSON responses."""
        response = self.client.get(path, {**query, "format": "csl-json"})
        self.test.assertIn(response.status_code, {200, 404}, (path, query, response.content[:500]))
        if response.status_code == 200:
            self.check(json.loads(response.content), f"{path} {query}")

    def get_all(self, path, **query):
        """Every page of a list; its count never includes what is not shown."""
        data = self.get(path, page_size=100, **query)
        if data is None:
            return []
        results, count = list(data["results"]), data["count"]
        while data["next"]:
            data = self.get(
                urlsplit(data["next"]).path,
                **{k: v[0] for k, v in parse_qs(urlsplit(data["next"]).query).items()},
            )
            results += data["results"]
        self.test.assertEqual(count, len(results), (path, query))
        return results

    def check(self, value, where, name=None):
        if isinstance(value, dict):
            if "url" in value and "locale" in value:
                self.check_url(
                    value["url"], where, key=value.get("key"), pk=value.get("id"), locale=value["locale"]
                )
            for item_name, item in value.items():
                self.check(item, where, item_name)
        elif isinstance(value, list):
            for item in value:
                self.check(item, where)
        elif isinstance(value, str):
            self.test.assertNotIn(value, self.hidden, f"a hidden slug or title in {where}")
            # Body blocks have UUIDs of their own as ids; any other UUID is an item's key.
            for key in UUID_RE.findall(value) if name != "id" else ():
                self.test.assertIn(key, self.keys, f"the key of a hidden item in {where}")
            for path in API_URL_RE.findall(value):
                self.check_url(path, where)

    def check_url(self, url, where, key=None, pk=None, locale=None):
        parts = urlsplit(url)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        segments = [segment for segment in parts.path.split("/") if segment]
        for name, kind in FILTERS.items():
            if name in query:
                self.test.assertIn(query[name], self.keys, f"a filter on a hidden {kind} in {where}")
        if len(segments) == 4 and segments[2] in KINDS:
            kind, ref = KINDS[segments[2]], segments[3]
        elif "part" in query and key is not None:
            kind, ref = "part", key
        else:
            return
        served = query.get("locale", locale)
        self.test.assertIn((ref, served), self.pairs[kind], f"a hidden {kind} linked from {where}")
        if key is not None:
            self.test.assertEqual(str(key), ref, where)
            self.test.assertEqual(served, locale, where)
        if pk is not None:
            self.test.assertIn(pk, self.ids[kind], f"the id of a hidden {kind} in {where}")

    def walk(self):
        base = "/api/v1/"
        self.get(f"{base}locales/")
        for locale in ["fr", "en"]:
            for plural in KINDS:
                self.get_all(f"{base}{plural}/", locale=locale)
                self.get_all(f"{base}{plural}/", locale=locale, search=WORD)
            self.get_all(f"{base}search/", locale=locale, q=WORD)
            refs = {
                (version.kind, ref)
                for version in self.built.versions
                for ref in (str(version.item.translation_key), version.item.slug)
            }
            plurals = {kind: plural for plural, kind in KINDS.items()}
            for kind, ref in sorted(refs):
                if kind in plurals:
                    self.get(f"{base}{plurals[kind]}/{ref}/", locale=locale)
                if kind == "chapter":
                    self.get_citation(f"{base}chapters/{ref}/cite/", locale=locale)
                if kind in FILTERS:
                    self.get_all(f"{base}chapters/", locale=locale, **{kind: ref})
                if kind == "city":
                    self.get_all(f"{base}contributors/", locale=locale, city=ref)


class PublicOnlyTests(TestCase):
    """Each example builds its book inside a transaction rolled back afterwards."""

    # No shrinking: every example builds a book in the database, so shrinking a
    # failure would take minutes; the failing book is printed as it was drawn.
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(spec=books())
    def test_nothing_hidden_is_reachable_through_any_endpoint(self, spec):
        built = TreeBuilder(spec).build()
        # The response cache outlives the rolled-back rows of earlier examples.
        for cache in caches.all():
            cache.clear()
        Walker(self, built).walk()
