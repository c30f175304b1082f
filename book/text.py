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


def note_anchor(number):
    """The id of a note block, which references link to."""
    return f"note-{number}"


def note_reference_anchor(number):
    """The id of the first reference to a note, which the note links back to."""
    return f"note-ref-{number}"


def note_numbers(raw_blocks):
    """The numbers of the note blocks of a body, given as its stored blocks (dicts of type and value)."""
    numbers = set()
    for block in raw_blocks:
        if block.get("type") == "note":
            try:
                numbers.add(int((block.get("value") or {}).get("number")))
            except (TypeError, ValueError):
                continue
    return numbers


def link_note_references(html, notes, referenced=None):
    """``html`` with each ``[^N]`` marker of a note in ``notes`` made a link to that note.

    ``referenced`` collects the notes already referenced in the same body, so
    that only the first reference to a note carries the anchor the note links
    back to. Markers of notes the body does not have are left as written.
    """
    seen = referenced if referenced is not None else set()

    def note_reference(match):
        number = int(match.group(1))
        if number not in notes:
            return match.group(0)
        anchor = "" if number in seen else f' id="{note_reference_anchor(number)}"'
        seen.add(number)
        return f'<sup class="note-ref"><a href="#{note_anchor(number)}"{anchor}>{number}</a></sup>'

    return FOOTNOTE_MARKER_RE.sub(note_reference, html)
