"""Segments reopened by a sync, shown in the translation editor with what the translator needs to redo them.

When a source segment's text changes, wagtail-localize extracts a new string
for the same place in the item (the same ``TranslationContext``) and the
segment has no translation any more; the translation of the old text stays
stored. For each such segment, the translation editor is given that previous
translation as a translation flagged with a warning: the editor shows it under
the new source text with the source as it was and what changed, and its
"Edit" button opens it prefilled. It counts as translated only once the
translator saves it: nothing is stored here.
"""

import difflib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail_localize.models import StringSegment, StringTranslation

# How much of a changed passage the summary quotes before cutting it short.
QUOTE_LENGTH = 80


@dataclass
class ReopenedSegment:
    segment_id: int
    string_id: int
    source_before: str
    source_after: str
    previous_translation: str

    def changes(self):
        """What changed between the two source texts, word by word: [(old words, new words), ...]."""
        before, after = self.source_before.split(), self.source_after.split()
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        return [
            (" ".join(before[i1:i2]), " ".join(after[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]

    def message(self):
        """The warning shown with the previous translation, in the interface language."""
        parts = []
        for old, new in self.changes():
            if old and new:
                parts.append(_("“%(old)s” became “%(new)s”") % {"old": _quote(old), "new": _quote(new)})
            elif new:
                parts.append(_("added “%(new)s”") % {"new": _quote(new)})
            else:
                parts.append(_("removed “%(old)s”") % {"old": _quote(old)})
        return _(
            "The source changed after this was translated. It said: “%(before)s”. What changed: "
            "%(changes)s. Shown here is the previous translation: edit it to match the new source "
            "and save it."
        ) % {"before": self.source_before, "changes": "; ".join(parts) or _("spacing only")}


def _quote(text):
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"


def reopened_segments(translation):
    """The segments of ``translation`` that were translated before their source text changed (two queries)."""
    segments = list(
        StringSegment.objects.filter(source=translation.source)
        .select_related("string")
        .order_by("order")
        .values_list("pk", "string_id", "context_id", "string__data")
    )
    contexts = {context_id for _pk, _string_id, context_id, _data in segments}
    current, previous = set(), {}
    for string_id, context_id, data, source_text in (
        StringTranslation.objects.filter(
            locale_id=translation.target_locale_id, context_id__in=contexts, has_error=False
        )
        .order_by("updated_at", "pk")
        .values_list("translation_of_id", "context_id", "data", "translation_of__data")
    ):
        current.add((string_id, context_id))
        # The latest translation made at this place for another text is the one to start from.
        previous[context_id] = (string_id, data, source_text)
    found = []
    for pk, string_id, context_id, source_text in segments:
        if (string_id, context_id) in current or context_id not in previous:
            continue
        old_string_id, data, old_source = previous[context_id]
        if old_string_id == string_id:
            continue
        found.append(
            ReopenedSegment(
                segment_id=pk,
                string_id=string_id,
                source_before=old_source,
                source_after=source_text,
                previous_translation=data,
            )
        )
    return found


def editor_props(data, translation):
    """Adds the reopened segments to the editor's props (a dict), as translations awaiting the translator's check."""
    reopened = reopened_segments(translation)
    data["initialStringTranslations"].extend(
        {
            "string_id": segment.string_id,
            "segment_id": segment.segment_id,
            "data": segment.previous_translation,
            "error": segment.message(),
            "comment": segment.message(),
            "last_translated_by": None,
        }
        for segment in reopened
    )
    data["reopenedSegments"] = [
        {
            "segmentId": segment.segment_id,
            "sourceBefore": segment.source_before,
            "sourceAfter": segment.source_after,
            "previousTranslation": segment.previous_translation,
        }
        for segment in reopened
    ]
    return data


def editor_props_json(props, translation):
    """:func:`editor_props` on the editor's props as JSON text."""
    return json.dumps(editor_props(json.loads(props), translation))
