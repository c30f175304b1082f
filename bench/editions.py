"""``make bench``: the time and peak memory of building the EPUB of the demo book and of a generated one.

In a throwaway database (as ``bench.api``: a new PostgreSQL database when
``DATABASE_URL`` is set, in-memory SQLite otherwise), loads the demo book and
generates a book of ``BENCH_CHAPTERS`` chapters (default 200), then builds the
EPUB of each: once timed, once under ``tracemalloc`` for the peak of Python
memory. Prints one line per edition and whether the target (200 chapters in
at most 15 s) is met; with ``BENCH_PROFILE=1``, where the time of the large build goes.
On a machine busy with other work, the CPU time says more than the elapsed time.
"""

import cProfile
import os
import pstats
import resource
import shutil
import sys
import time
import tracemalloc
from io import StringIO

from bench.api import CHAPTERS, scratch_database

EPUB_TARGET_SECONDS = 15.0
MEBIBYTE = 1024 * 1024


def measure(name, book):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from editions.epub import build_epub

    build_epub(book)  # once first: templates compiled, catalogs loaded
    with CaptureQueriesContext(connection) as queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        built = build_epub(book)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    tracemalloc.start()
    build_epub(book)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name}: EPUB {len(built.data) / MEBIBYTE:.1f} MiB in {seconds:.2f} s ({cpu:.2f} s of CPU), "
        f"peak Python memory {peak / MEBIBYTE:.0f} MiB, {len(queries)} queries, "
        f"complete={built.complete}, {len(built.warnings)} warnings"
    )
    return seconds


def profile(book, limit=12):
    from editions.epub import build_epub

    profiler = cProfile.Profile()
    profiler.enable()
    build_epub(book)
    profiler.disable()
    output = StringIO()
    pstats.Stats(profiler, stream=output).sort_stats("cumulative").print_stats(limit)
    print("# where the time of the large build goes (cumulative):")
    print(output.getvalue())


def run():
    from django.core.management import call_command

    from book.models import BookPage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_book", stdout=StringIO())
    demo = BookPage.objects.get(locale__language_code="fr")
    measure("demo book (fr)", demo)
    english = BookPage.objects.filter(locale__language_code="en").first()
    if english is not None:
        measure("demo book (en)", english)
    started = time.monotonic()
    call_command("generate_book", chapters=CHAPTERS, stdout=StringIO())
    print(f"# generated a book of {CHAPTERS} chapters in {time.monotonic() - started:.0f} s", file=sys.stderr)
    generated = BookPage.objects.exclude(pk=demo.pk).filter(locale__language_code="fr").latest("pk")
    seconds = measure(f"generated book ({CHAPTERS} chapters)", generated)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run (database, generation and builds): {peak_rss:.0f} MiB")
    verdict = "met" if seconds <= EPUB_TARGET_SECONDS else "NOT met"
    print(f"target: EPUB of {CHAPTERS} chapters in <= {EPUB_TARGET_SECONDS:.0f} s: {verdict}")
    if os.environ.get("BENCH_PROFILE"):
        profile(generated)


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        from django.conf import settings

        try:
            run()
        finally:
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
