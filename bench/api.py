"""``make bench``: the public API's speed against Wagtail's API v2 and Django's floor.

Builds a generated book in a throwaway database (a new PostgreSQL database on
the server of ``DATABASE_URL`` when it is set, dropped at the end; an in-memory
SQLite database otherwise), then measures, in this one process and through
Django's test client, requests per second for:

- chapter detail and chapter list with the response cache emptied before every
  request but the documents stored (``api.documents``, built by
  ``rebuild_documents`` first), against Wagtail's API v2 over the same pages
  asked for the same fields with ``rich_text_format=html``;
- the same two answered from the response cache, and answered with a 304 to
  ``If-None-Match``, against a minimal Django JSON view;
- after publishing one chapter (its title changed) of a second generated book,
  ``BENCH_PUBLISH_CHAPTERS`` chapters (2,000 by default) published in the source
  language and in every target language (``BOOK_TARGET_LANGUAGES``), its stored
  documents built first: how many stored documents were built again (those the
  change made stale), how long that took, and the share of the book's stored
  detail documents whose ETag did not change. That book is built in a throwaway
  database of its own, by ``python -m bench.api publish``, which measures it alone.

Each line's two series are measured in alternation, one request of each in
turn, so that a change in the machine's load weighs on both alike. Prints one
line per measurement, ``NAME: ours X req/s, baseline Y req/s, ratio R``, then
the queries each request ran and whether the targets are met.

Environment: ``DATABASE_URL`` (PostgreSQL server to use), ``BENCH_CHAPTERS``
(default 200), ``BENCH_SECONDS`` (time spent per measurement, default 2),
``BENCH_PUBLISH_CHAPTERS`` (the chapters of the translated book published into,
default 2,000; 0 leaves that measurement out).
"""

import os
import shutil
import sys
import time
from io import StringIO
from urllib.parse import urlencode

from bench.database import scratch_database

CHAPTERS = int(os.environ.get("BENCH_CHAPTERS", "200"))
PUBLISH_CHAPTERS = int(os.environ.get("BENCH_PUBLISH_CHAPTERS", "2000"))
KEPT_TARGET = 99.0
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
MAX_REQUESTS = 20_000
UNCACHED_TARGET = 30.0
FLOOR_TARGET = 0.8


def build_book(chapters=CHAPTERS):
    from io import StringIO

    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("generate_book", chapters=chapters, stdout=StringIO())
    # Wagtail's API serves the pages of the site a request is for: make the
    # book that site, as a deployment serving it would.
    from wagtail.models import Site

    from book.models import BookPage

    Site.objects.filter(is_default_site=True).update(root_page=BookPage.objects.get())
    return time.monotonic() - started


def empty_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def build_documents():
    from django.core.management import call_command

    started = time.monotonic()
    call_command("rebuild_documents", stdout=StringIO(), stderr=StringIO())
    return time.monotonic() - started


def translate_book():
    """Publish every item of the source book in each target language, as translations published in
    wagtail-localize leave them: a page (or snippet) of the same translation key per language, the
    chapters crediting the same contributors, themes and sectors. Written in bulk (see
    ``bench.localization``); returns the number of languages the book is then published in.
    """
    from django.db import transaction

    from api.prepare import CHAPTER_LINKS
    from bench import localization
    from book.models import ChapterPage
    from cms.localization.state import book_items, source_locale

    source = source_locale()
    locales = localization.ensure_target_locales()
    items = book_items(source)
    plan = {(item.key, locale.pk): localization.PUBLISHED for item in items for locale in locales}
    with transaction.atomic():
        localization.make_targets(items, locales, plan)
        copies = {}
        for key, _locale_id, pk in ChapterPage.objects.exclude(locale=source).values_list(
            "translation_key", "locale_id", "pk"
        ):
            copies.setdefault(key, []).append(pk)
        for _kind, link_model, _target, _role in CHAPTER_LINKS:
            fields = [
                field.attname
                for field in link_model._meta.concrete_fields
                if not field.primary_key and field.name != "chapter"
            ]
            rows = link_model.objects.filter(chapter__locale=source).values(
                "chapter__translation_key", *fields
            )
            link_model.objects.bulk_create(
                [
                    link_model(chapter_id=copy, **{name: row[name] for name in fields})
                    for row in rows
                    for copy in copies.get(row["chapter__translation_key"], ())
                ],
                batch_size=2000,
            )
    return 1 + len(locales)


def after_one_publish():
    """Publish one chapter of the source language; build again what it made stale:
    (documents built, seconds, % of detail ETags kept)."""
    from api import documents
    from api.models import StoredDocument
    from api.views import ITEM_VIEWSETS
    from book.models import ChapterPage
    from cms.localization.state import source_locale

    before = dict(StoredDocument.objects.filter(shape=StoredDocument.DETAIL).values_list("pk", "etag"))
    chapters = ChapterPage.objects.live().filter(locale=source_locale()).order_by("path")
    chapter = chapters[chapters.count() // 2]
    chapter.title = f"{chapter.title} (revised)"
    # Built again here, as the worker would, rather than by the publication once it commits: timed alone.
    eager, documents.EAGER_LIMIT = documents.EAGER_LIMIT, 0
    try:
        chapter.save_revision().publish()
    finally:
        documents.EAGER_LIMIT = eager
    started = time.monotonic()
    rebuilt = documents.refresh(ITEM_VIEWSETS).rebuilt
    spent = time.monotonic() - started
    after = dict(StoredDocument.objects.filter(shape=StoredDocument.DETAIL).values_list("pk", "etag"))
    kept = sum(1 for pk, etag in before.items() if after.get(pk) == etag)
    return rebuilt, spent, 100 * kept / len(before) if before else 100.0


class Bench:
    def __init__(self):
        from django.test import Client

        self.client = Client()
        self.lines = []

    def get(self, url, headers=None, expect=200):
        response = self.client.get(url, headers=headers or {})
        if response.status_code != expect:
            raise SystemExit(f"bench: GET {url} answered {response.status_code}, not {expect}.")
        return response

    def compare(self, ours, theirs, before=None):
        """Requests per second of two series, timing the requests alone.

        ``ours`` and ``theirs`` are ``(urls, headers, expected status)``. Their
        requests alternate, so that both meet the same machine: a measurement
        made after the other would take any change in the machine's load for
        a difference between them.
        """
        series = (ours, theirs)
        for urls, headers, expect in series:
            self.get(urls[0], headers, expect)
        spent, count = [0.0, 0.0], [0, 0]
        while min(spent) < SECONDS and max(count) < MAX_REQUESTS:
            for side, (urls, headers, expect) in enumerate(series):
                if before is not None:
                    before()
                url = urls[count[side] % len(urls)]
                started = time.perf_counter()
                self.get(url, headers, expect)
                spent[side] += time.perf_counter() - started
                count[side] += 1
        return count[0] / spent[0], count[1] / spent[1]

    def queries(self, url, headers=None, expect=200, before=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # Once first, so that what happens only once (renditions made) is not counted.
        self.get(url, headers, expect)
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            self.get(url, headers, expect)
        return len(captured)

    def report(self, name, ours, baseline, target, note=""):
        ratio = ours / baseline
        self.lines.append((name, ratio, target))
        print(f"{name}: ours {ours:.1f} req/s, baseline {baseline:.1f} req/s, ratio {ratio:.2f}{note}")
        sys.stdout.flush()


def run():
    from django.db import connection
    from django.urls import reverse

    from bench.urls import CHAPTER_DETAIL_FIELDS, CHAPTER_LIST_FIELDS
    from book.models import ChapterPage

    chapters = list(ChapterPage.objects.live().order_by("path").values_list("pk", "translation_key")[:20])
    pages = max(1, min(10, ChapterPage.objects.live().count() // 20))
    ours_detail = [reverse("api:chapter-detail", kwargs={"ref": key}) for _pk, key in chapters]
    ours_list = [f"{reverse('api:chapter-list')}?{urlencode({'page': page})}" for page in range(1, pages + 1)]
    v2 = "/api/v2/pages/"
    v2_detail = [
        f"{v2}{pk}/?{urlencode({'fields': ','.join(CHAPTER_DETAIL_FIELDS), 'rich_text_format': 'html'})}"
        for pk, _key in chapters
    ]
    v2_list = [
        v2
        + "?"
        + urlencode(
            {
                "type": "book.ChapterPage",
                "locale": "fr",
                "limit": 20,
                "offset": 20 * page,
                "fields": ",".join(CHAPTER_LIST_FIELDS),
                "rich_text_format": "html",
            }
        )
        for page in range(pages)
    ]
    floor = ([reverse("bench-floor")], None, 200)

    print(f"# built the stored documents in {build_documents():.0f} s", file=sys.stderr)
    bench = Bench()
    print(
        f"# {connection.vendor}, {CHAPTERS} chapters; baseline: Wagtail API v2 (uncached lines), "
        f"a minimal Django JSON view (cached and 304 lines); {SECONDS:g} s per measurement"
    )
    counts = {}
    for name, ours, theirs in (
        ("chapter detail", ours_detail, v2_detail),
        ("chapter list", ours_list, v2_list),
    ):
        counts[name] = (
            bench.queries(ours[0], before=empty_caches),
            bench.queries(theirs[0], before=empty_caches),
        )
        bench.report(
            name, *bench.compare((ours, None, 200), (theirs, None, 200), before=empty_caches), UNCACHED_TARGET
        )

    for name, ours in (("chapter detail", ours_detail[0]), ("chapter list", ours_list[0])):
        # A response cache shows itself by answering a repeated request with fewer queries.
        empty_caches()
        bench.get(ours_detail[-1])
        built = bench.queries(ours, before=empty_caches)
        again = bench.queries(ours)
        note = "" if again < built else " (no response cache found: every request was rebuilt)"
        counts[f"{name} cached"] = (again, None)
        bench.report(f"{name} cached", *bench.compare(([ours], None, 200), floor), FLOOR_TARGET, note)

        etag = bench.get(ours).get("ETag")
        if not etag or bench.client.get(ours, headers={"If-None-Match": etag}).status_code != 304:
            print(f"{name} 304: not measured, the API does not answer If-None-Match with 304")
            continue
        headers = {"If-None-Match": etag}
        counts[f"{name} 304"] = (bench.queries(ours, headers, 304), None)
        bench.report(f"{name} 304", *bench.compare(([ours], headers, 304), floor), FLOOR_TARGET)

    print(
        "# queries per request: "
        + "; ".join(
            f"{name} ours {ours}" + ("" if theirs is None else f", baseline {theirs}")
            for name, (ours, theirs) in counts.items()
        )
    )
    missed = [name for name, ratio, target in bench.lines if ratio < target]
    print(
        f"# targets (uncached >= {UNCACHED_TARGET:g}x API v2, cached and 304 >= {FLOOR_TARGET:g}x the floor): "
        + ("all met" if not missed else "missed by " + ", ".join(missed))
    )


def run_publish():
    """The after-one-publish line, on a generated book of ``PUBLISH_CHAPTERS`` chapters in every language."""
    from django.db import connection

    from api.models import StoredDocument

    started = time.monotonic()
    build_book(PUBLISH_CHAPTERS)
    languages = translate_book()
    print(f"# built the book and its translations in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"# built the stored documents in {build_documents():.0f} s", file=sys.stderr)
    stored = StoredDocument.objects.count()
    rebuilt, spent, kept = after_one_publish()
    print(
        f"# {connection.vendor}, {PUBLISH_CHAPTERS} chapters in {languages} languages, "
        f"{stored} stored documents; one chapter of the source language published"
    )
    print(
        f"after one publish: {rebuilt} documents rebuilt in {spent:.2f} s; {kept:.2f} % of detail ETags unchanged"
    )
    print(
        f"# target (>= {KEPT_TARGET:g} % of detail ETags unchanged): "
        + ("met" if kept >= KEPT_TARGET else "missed")
    )
    sys.stdout.flush()


def main():
    publish = sys.argv[1:] == ["publish"]
    if not publish and PUBLISH_CHAPTERS:
        measure_apart()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        from django.conf import settings

        try:
            if publish:
                run_publish()
            else:
                print(f"# built the book in {build_book():.0f} s", file=sys.stderr)
                run()
        finally:
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def measure_apart():
    """The after-one-publish line first, from a process (and a database) of its own."""
    import subprocess

    sys.stdout.flush()
    subprocess.run([sys.executable, "-m", "bench.api", "publish"], check=True)


if __name__ == "__main__":
    main()
