"""Plain-text helpers for derived values: word counts, reading time, footnote markers."""

import math
import re

from django.conf import settings
from django.utils.html import strip_tags

WORD_RE = re.compile(r"\w+(?:[’'\-]\w+)*", re.UNICODE)

# A footnote is referenced from running text as ``[^N]``, N being the number
# of a note block in the same chapter body.
FOOTNOTE_MARKER_RE = re.compile(r"\[\^(\d+)\]")


def count_words(text):
    """Number of words in a piece of text or HTML (tags and markers are not words)."""
    if not text:
        return 0
    plain = FOOTNOTE_MARKER_RE.sub(" ", strip_tags(str(text)))
    return len(WORD_RE.findall(plain))


def reading_time_minutes(word_count, words_per_minute=None):
    """Whole minutes needed to read ``word_count`` words; at least one for any text."""
    if not word_count:
        return 0
    wpm = words_per_minute or settings.BOOK_READING_SPEED_WPM
    return max(1, math.ceil(word_count / wpm))


def footnote_references(text):
    """The note numbers referenced in a piece of text, in order of appearance."""
    return [int(number) for number in FOOTNOTE_MARKER_RE.findall(str(text or ""))]
