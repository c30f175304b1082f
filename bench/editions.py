"""``make bench``: the time and peak memory of building the EPUB and the PDF of the demo book and of a generated one.

In a throwaway database (as ``bench.api``: a new PostgreSQL database when
``DATABASE_URL`` is set, in-memory SQLite otherwise), loads the demo book and
generates a book of ``BENCH_CHAPTERS`` chapters (default 200), then builds the
EPUB and the PDF of each and prints one line per build: the wall time and
where it went (CPU of this process; waiting for a CPU the machine gave to
other processes, read from ``/proc/self/schedstat``; the database queries;
reading and converting the images from storage), and the peak memory (of
Python objects for the EPUB, under ``tracemalloc``; of the whole process for
the PDF, whose layout engine allocates outside Python). Then whether the
targets are met: 200 chapters in at most 15 s (EPUB) and 180 s (PDF), peak
below 1.5 GiB. ``BENCH_PROFILE=1`` adds where the CPU time of the large builds
goes; ``BENCH_FORMATS=epub`` (or ``pdf``) measures one format only.
"""

import cProfile
import os
import pstats
import resource
import shutil
import sys
import time
import tracemalloc
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from bench.api import CHAPTERS
from bench.database import scratch_database

TARGET_SECONDS = {"epub": 15.0, "pdf": 180.0}
TARGET_PEAK_BYTES = 1.5 * 2**30
MEBIBYTE = 1024 * 1024
SCHEDSTAT = Path("/proc/self/schedstat")


def builder(format_name):
    if format_name == "epub":
        from editions.epub import build_epub

        return build_epub
    from editions.pdf import build_pdf

    return build_pdf


def run_queue_seconds():
    """The time this process has waited for a CPU while ready to run (Linux), or None."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


class Measure:
    """Where the wall time of one build went."""

    def __init__(self):
        self.queries = 0
        self.database = 0.0
        self.images = 0.0

    def database_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.database += time.perf_counter() - started
            self.queries += 1


@contextmanager
def measured():
    from django.db import connection

    from editions.content import Collector

    measure = Measure()
    read_image = Collector._read_image

    def timed_read_image(collector, image):
        started = time.perf_counter()
        try:
            return read_image(collector, image)
        finally:
            measure.images += time.perf_counter() - started

    Collector._read_image = timed_read_image
    waited = run_queue_seconds()
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        with connection.execute_wrapper(measure.database_wrapper):
            yield measure
    finally:
        measure.seconds = time.perf_counter() - started
        measure.cpu = time.process_time() - started_cpu
        after = run_queue_seconds()
        measure.waiting = None if waited is None or after is None else after - waited
        Collector._read_image = read_image


def measure(name, book, format_name):
    build = builder(format_name)
    if format_name == "epub":
        build(book)  # once first: templates compiled, catalogs loaded
    with measured() as spent:
        built = build(book)
    if format_name == "epub":
        tracemalloc.start()
        build(book)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"peak Python memory {peak / MEBIBYTE:.0f} MiB"
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        memory = f"peak process memory {peak / MEBIBYTE:.0f} MiB"
    waiting = "" if spent.waiting is None else f", {spent.waiting:.2f} s waiting for a CPU"
    print(
        f"{name}: {format_name.upper()} {len(built.data) / MEBIBYTE:.1f} MiB in {spent.seconds:.2f} s "
        f"({spent.cpu:.2f} s of CPU{waiting}; {spent.queries} queries took {spent.database:.2f} s, "
        f"reading images {spent.images:.2f} s), {memory}, complete={built.complete}, "
        f"{len(built.warnings)} warnings",
        flush=True,
    )
    return spent, peak


def profile(book, format_name, limit=15):
    build = builder(format_name)
    profiler = cProfile.Profile()
    profiler.enable()
    build(book)
    profiler.disable()
    output = StringIO()
    pstats.Stats(profiler, stream=output).sort_stats("tottime").print_stats(limit)
    print(f"# where the CPU time of the large {format_name.upper()} build goes (own time):")
    print(output.getvalue())


def verdict(format_name, spent, peak):
    target = TARGET_SECONDS[format_name]
    met = spent.seconds <= target and peak < TARGET_PEAK_BYTES
    cpu_met = spent.cpu <= target and peak < TARGET_PEAK_BYTES
    line = (
        f"target: {format_name.upper()} of {CHAPTERS} chapters in <= {target:.0f} s, peak < 1.5 GiB: "
        f"{'met' if met else 'NOT met'} ({spent.seconds:.1f} s wall"
    )
    if not met and cpu_met:
        line += f"; met in CPU time, {spent.cpu:.1f} s: the rest went to other processes of this machine"
    print(line + ")")


def run():
    from django.core.management import call_command

    from book.models import BookPage

    formats = [name for name in os.environ.get("BENCH_FORMATS", "epub,pdf").split(",") if name]
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_book", stdout=StringIO())
    demo = BookPage.objects.get(locale__language_code="fr")
    english = BookPage.objects.filter(locale__language_code="en").first()
    for format_name in formats:
        measure("demo book (fr)", demo, format_name)
        if english is not None:
            measure("demo book (en)", english, format_name)
    started = time.monotonic()
    call_command("generate_book", chapters=CHAPTERS, stdout=StringIO())
    print(f"# generated a book of {CHAPTERS} chapters in {time.monotonic() - started:.0f} s", file=sys.stderr)
    generated = BookPage.objects.exclude(pk=demo.pk).filter(locale__language_code="fr").latest("pk")
    results = {
        format_name: measure(f"generated book ({CHAPTERS} chapters)", generated, format_name)
        for format_name in formats
    }
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run (database, generation and builds): {peak_rss:.0f} MiB")
    for format_name, (spent, peak) in results.items():
        verdict(format_name, spent, peak)
    if os.environ.get("BENCH_PROFILE"):
        for format_name in formats:
            profile(generated, format_name)


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
