"""Time and peak memory of laying out a large PDF edition (a benchmark, not a test).

    python -m bench.editions_pdf [--chapters 200] [--lang fr] [--profile]

Generates one printable document of N chapters (each a dozen paragraphs, two footnotes, a
quote in another language, an image every tenth chapter), shaped as the editions' HTML is,
and renders it with editions.pdf. Prints the pages, the size, the wall time, the peak
resident memory of the process, and with --profile where the time goes (WeasyPrint's
stages: parsing and styles, layout, drawing and writing the PDF).
"""

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

TARGET_SECONDS = 180
TARGET_BYTES = 1.5 * 2**30


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--lang", default="fr", choices=("fr", "en", "ar", "zh", "ru"))
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args(argv)

    from editions import pdf
    from editions.formats import Printable
    from tests.editions.documents import edition_html, image_fetcher, png

    html = edition_html(args.lang, chapters=args.chapters, paragraphs=args.paragraphs)
    images = {"cover": png(780, 1170, (150, 40, 50))} | {str(i + 1): png() for i in range(args.chapters)}
    printable = Printable(html=html, url_fetcher=image_fetcher(images), complete=True, warnings=())
    print(f"{args.chapters} chapters, {len(html) / 1e6:.1f} MB of HTML ({args.lang})", file=sys.stderr)

    profiler = cProfile.Profile() if args.profile else None
    # CPU time too: on a busy machine the wall time counts other processes' turns.
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = pdf.render(printable)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024
    cpu = usage.ru_utime + usage.ru_stime - cpu_before

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(result.data)).pages)
    print(
        f"pages: {pages}  size: {len(result.data) / 1e6:.1f} MB  missing characters: {len(result.missing_characters)}"
    )
    print(
        f"time: {seconds:.1f} s, CPU {cpu:.1f} s (target <= {TARGET_SECONDS} s)  peak memory: {peak / 2**30:.2f} GiB (target < 1.5 GiB)"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
    return 0 if min(seconds, cpu) <= TARGET_SECONDS and peak < TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
