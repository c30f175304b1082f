"""What an import did with each part of a manuscript, told to the editor before they confirm."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAPPED = "mapped"
DROPPED = "dropped"
WARNING = "warning"


def block_labels():
    from book.blocks import ChapterBodyBlock

    return {name: str(block.meta.label) for name, block in ChapterBodyBlock().child_blocks.items()}


@dataclass
class Report:
    """Counts and findings gathered while reading; ``lines()`` puts them in words."""

    source: str = ""
    blocks: Counter = field(default_factory=Counter)
    headings: dict = field(default_factory=dict)  # the document's level -> "h2".."h4"
    notes: int = 0
    images: int = 0
    images_without_alt: list = field(default_factory=list)  # 1-based image numbers
    images_converted: list = field(default_factory=list)  # (number, format)
    images_dropped: list = field(default_factory=list)  # (number, format)
    captions: int = 0
    credits: int = 0
    quote_attributions: int = 0
    bibliography_entries: int = 0
    bibliography_unrecognised: list = field(default_factory=list)
    interviews: int = 0
    comments: int = 0
    insertions: int = 0
    deletions: int = 0
    formatting_changes: int = 0
    moves: int = 0
    fields: int = 0
    shapes: int = 0
    tables: int = 0
    other_dropped: Counter = field(default_factory=Counter)  # plain descriptions
    unknown_styles: Counter = field(default_factory=Counter)
    title: str = ""
    links_removed: list = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)  # language tag -> characters
    rtl_paragraphs: int = 0
    chapter_language: str = ""
    chapter_rtl: bool = False

    @property
    def document_language(self):
        """The language most of the text is marked with, or "" when the file does not say."""
        return self.languages.most_common(1)[0][0] if self.languages else ""

    @property
    def language_mismatch(self):
        found = self.document_language
        return bool(found) and primary(found) != primary(self.chapter_language)

    @property
    def rtl_mismatch(self):
        return self.rtl_paragraphs > 0 and not self.chapter_rtl

    def lines(self):
        """``(kind, message)`` pairs, kind being "mapped", "dropped" or "warning"."""
        return self.mapped_lines() + self.dropped_lines() + self.warning_lines()

    def mapped_lines(self):
        labels = block_labels()
        lines = []
        for name, count in sorted(self.blocks.items(), key=lambda item: list(labels).index(item[0])):
            lines.append((MAPPED, _("%(label)s: %(count)s") % {"label": labels[name], "count": count}))
        for level, target in sorted(self.headings.items()):
            lines.append(
                (
                    MAPPED,
                    _("Headings of level %(level)s → %(target)s") % {"level": level, "target": target},
                )
            )
        if self.notes:
            lines.append(
                (
                    MAPPED,
                    ngettext(
                        "%(count)s footnote or endnote → a note block, referenced as [^N] in the text",
                        "%(count)s footnotes and endnotes → note blocks, referenced as [^N] in the text",
                        self.notes,
                    )
                    % {"count": self.notes},
                )
            )
        if self.quote_attributions:
            lines.append(
                (
                    MAPPED,
                    _("Quotations with their attribution: %(count)s") % {"count": self.quote_attributions},
                )
            )
        if self.captions or self.credits:
            lines.append(
                (
                    MAPPED,
                    _("Image captions: %(captions)s; credits: %(credits)s")
                    % {"captions": self.captions, "credits": self.credits},
                )
            )
        if self.bibliography_entries:
            lines.append(
                (
                    MAPPED,
                    _("Bibliography entries read from the references section: %(count)s")
                    % {"count": self.bibliography_entries},
                )
            )
        if self.interviews:
            lines.append(
                (
                    MAPPED,
                    _(
                        "Interview questions and answers (paragraphs starting with “Q:” and “A:”/“R:”): %(count)s"
                    )
                    % {"count": self.interviews},
                )
            )
        if self.insertions or self.deletions or self.formatting_changes or self.moves:
            lines.append(
                (
                    MAPPED,
                    _(
                        "Tracked changes accepted: %(insertions)s insertions kept, %(deletions)s deletions "
                        "applied, %(moves)s moves, %(formatting)s formatting changes"
                    )
                    % {
                        "insertions": self.insertions,
                        "deletions": self.deletions,
                        "moves": self.moves,
                        "formatting": self.formatting_changes,
                    },
                )
            )
        for number, kind in self.images_converted:
            lines.append(
                (
                    MAPPED,
                    _("Image %(number)s was a %(format)s file, converted to PNG")
                    % {"number": number, "format": kind},
                )
            )
        return lines

    def dropped_lines(self):
        lines = []
        if self.title:
            lines.append(
                (
                    DROPPED,
                    _("The document's title “%(title)s” (the chapter has its own title)")
                    % {"title": self.title},
                )
            )
        if self.comments:
            lines.append(
                (
                    DROPPED,
                    ngettext("%(count)s comment", "%(count)s comments", self.comments)
                    % {"count": self.comments},
                )
            )
        if self.fields:
            lines.append(
                (
                    DROPPED,
                    ngettext(
                        "%(count)s field (its displayed text kept)",
                        "%(count)s fields (their displayed text kept)",
                        self.fields,
                    )
                    % {"count": self.fields},
                )
            )
        if self.shapes:
            lines.append(
                (
                    DROPPED,
                    ngettext(
                        "%(count)s drawn shape or text box (its text kept)",
                        "%(count)s drawn shapes and text boxes (their text kept)",
                        self.shapes,
                    )
                    % {"count": self.shapes},
                )
            )
        if self.tables:
            lines.append(
                (
                    DROPPED,
                    ngettext(
                        "%(count)s table (its text kept as paragraphs)",
                        "%(count)s tables (their text kept as paragraphs)",
                        self.tables,
                    )
                    % {"count": self.tables},
                )
            )
        for description, count in sorted(self.other_dropped.items()):
            lines.append((DROPPED, f"{description} ({count})"))
        for name, count in sorted(self.unknown_styles.items()):
            lines.append(
                (
                    DROPPED,
                    _("Unknown style “%(name)s” (%(count)s), read as plain text")
                    % {"name": name, "count": count},
                )
            )
        for number, kind in self.images_dropped:
            lines.append(
                (
                    DROPPED,
                    _("Image %(number)s, a %(format)s file that browsers cannot show")
                    % {"number": number, "format": kind},
                )
            )
        for href in self.links_removed:
            lines.append((DROPPED, _("The link to “%(href)s” (its text kept)") % {"href": href[:120]}))
        return lines

    def warning_lines(self):
        lines = []
        for number in self.images_without_alt:
            lines.append(
                (
                    WARNING,
                    _(
                        "Image %(number)s has no description: give it an alternative text before "
                        "the chapter can be published."
                    )
                    % {"number": number},
                )
            )
        for text in self.bibliography_unrecognised:
            lines.append(
                (
                    WARNING,
                    _("Not read as a bibliography entry, kept as a paragraph: “%(text)s”")
                    % {"text": text[:120]},
                )
            )
        if self.language_mismatch:
            lines.append(
                (
                    WARNING,
                    _("The document is written in %(found)s, the chapter is in %(chapter)s.")
                    % {"found": self.language_summary(), "chapter": self.chapter_language},
                )
            )
        if self.rtl_mismatch:
            lines.append(
                (
                    WARNING,
                    ngettext(
                        "%(count)s paragraph is written right to left in a left-to-right chapter; "
                        "it keeps its direction.",
                        "%(count)s paragraphs are written right to left in a left-to-right chapter; "
                        "they keep their direction.",
                        self.rtl_paragraphs,
                    )
                    % {"count": self.rtl_paragraphs},
                )
            )
        return lines

    def language_summary(self):
        total = sum(self.languages.values()) or 1
        return ", ".join(
            f"{tag} ({round(100 * count / total)} %)" for tag, count in self.languages.most_common(3)
        )

    @property
    def needs_attention(self):
        return bool(self.warning_lines())


def primary(tag):
    return (tag or "").replace("_", "-").split("-")[0].lower()
