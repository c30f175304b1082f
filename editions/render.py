"""An edition's content made ready for its templates, for EPUB (one file per chapter) or for print (one document).

Both lay out the same blocks with the same markup, which is at once valid
XHTML and HTML; they differ only where the formats do: EPUB links between its
files and carries ``epub:type`` and ``xml:lang``, print keeps everything in one
document and places each note right after the text that calls it.
"""

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from book.links import public_url_or_empty

from .content import interface_language, language_direction
from .rich_text import NoteCalls, RichText, note_id, note_reference_id

# The edition's own files (EPUB), which internal links point at.
CONTRIBUTORS_FILE = "contributors.xhtml"


class Layout:
    def __init__(self, content, epub):
        self.content = content
        self.epub = epub
        self.rich_text = RichText(content, epub)
        self.interface_language = interface_language(content.language)

    def document_context(self, contributors_href):
        """What every document of the edition shows of the book: languages, titles, colophon, cover, contents."""
        content = self.content
        cover = (
            self.image(content.cover, _("Cover of “%(title)s”") % {"title": content.title})
            if content.cover
            else None
        )
        return {
            "epub": self.epub,
            "language": content.language,
            "direction": content.direction,
            "source_language": content.source_language,
            "source_direction": language_direction(content.source_language),
            "title": content.title,
            "subtitle": content.subtitle,
            "summary": content.summary,
            "colophon": self.colophon(),
            "ui": self.interface(),
            "cover": cover,
            "toc": self.toc(),
            "biographies": self.biographies(),
            "contributors_href": contributors_href,
        }

    def interface(self):
        """The attributes of the edition's own words, when they are not in the edition's language."""
        return self.language(self.interface_language)

    def language(self, lang):
        """The attributes marking a passage in ``lang`` when it is not the edition's language."""
        if not lang or lang == self.content.language:
            return ""
        attributes = format_html(' lang="{}"', lang)
        if self.epub:
            attributes += format_html(' xml:lang="{}"', lang)
        direction = language_direction(lang)
        if direction != self.content.direction:
            attributes += format_html(' dir="{}"', direction)
        return mark_safe(attributes)

    def image(self, image, alt):
        if image is None or image.data is None:
            return {"missing": True, "alt": alt}
        src = image.name if self.epub else f"edition-image:{image.id}"
        return {"missing": False, "src": src, "alt": alt, "width": image.width, "height": image.height}

    def link_to(self, target_file, anchor):
        if not self.epub:
            return f"#{anchor}"
        return f"{target_file}#{anchor}"

    def chapter(self, chapter):
        notes = NoteCalls(chapter.anchor, [note.number for note in chapter.notes], self.epub)
        rendered_notes = {
            note.number: {
                "number": note.number,
                "id": note_id(chapter.anchor, note.number),
                "reference_id": note_reference_id(chapter.anchor, note.number),
                "text": mark_safe(self.rich_text.render(note.text, chapter.file)),
                "language": self.language(note.lang),
            }
            for note in chapter.notes
        }
        items = []
        for block in chapter.blocks:
            item = self.block(block, chapter, notes)
            if item is None:
                continue
            previous = items[-1] if items else None
            if (
                item["type"] in {"bibliography", "interview"}
                and previous
                and previous["type"] == item["type"]
                and previous["language"] == item["language"]
            ):
                previous["entries"] += item["entries"]
                previous["notes_after"] += [rendered_notes[number] for number in notes.take_fresh()]
                continue
            item["notes_after"] = [rendered_notes[number] for number in notes.take_fresh()]
            items.append(item)
        for number in notes.called:
            rendered_notes[number]["called"] = True
        untranslated = self.language(chapter.source_language)
        fields = chapter.untranslated_fields
        return {
            "chapter": chapter,
            "anchor": chapter.anchor,
            "file": chapter.file,
            "title": chapter.title,
            "title_language": untranslated if "title" in fields else "",
            "subtitle": chapter.subtitle,
            "subtitle_language": untranslated if "subtitle" in fields else "",
            "summary": chapter.summary,
            "summary_language": untranslated if "summary" in fields else "",
            # The language the contribution was written in, when it is not the edition's.
            "written_in": (
                chapter.page.original_language_in_text
                if chapter.page.original_language not in ("", self.content.language)
                else ""
            ),
            "credits": [
                {
                    "name": credit.name,
                    "role": str(credit.role_label),
                    "href": self.biography_href(credit.contributor_key),
                }
                for credit in chapter.credits
            ],
            "items": items,
            "notes": list(rendered_notes.values()),
            # Print places called notes after their paragraph; the others close the chapter.
            "uncalled_notes": [note for number, note in rendered_notes.items() if number not in notes.called],
        }

    def biography_href(self, contributor_key):
        if contributor_key is None:
            return ""
        for biography in self.content.biographies:
            if biography.page.translation_key == contributor_key:
                return self.link_to(CONTRIBUTORS_FILE, biography.anchor)
        return ""

    def block(self, block, chapter, notes):
        value = block.value
        language = self.language(block.lang)
        kind = block.type
        if kind == "heading":
            level = value.get("level") if value.get("level") in {"h2", "h3", "h4"} else "h2"
            return {"type": kind, "language": language, "level": level, "text": value.get("text") or ""}
        if kind == "paragraph":
            html = self.rich_text.render(value.get("text"), chapter.file, notes)
            return {"type": kind, "language": language, "html": mark_safe(html)}
        if kind == "quote":
            lines = [line.strip() for line in (value.get("text") or "").splitlines() if line.strip()]
            return {
                "type": kind,
                "language": language,
                "lines": lines,
                "attribution": value.get("attribution") or "",
            }
        if kind == "image":
            image = self.content.images.get(value.get("image"))
            return {
                "type": kind,
                "language": language,
                "image": self.image(image, value.get("alt_text") or ""),
                "caption": value.get("caption") or "",
                "credit": value.get("credit") or "",
            }
        if kind == "embed":
            return {
                "type": kind,
                "language": language,
                "url": public_url_or_empty(value.get("url")),
                "title": value.get("title") or "",
                "caption": value.get("caption") or "",
            }
        if kind == "bibliography_entry":
            return {
                "type": "bibliography",
                "language": language,
                "entries": [
                    {
                        "author": value.get("author") or "",
                        "title": value.get("title") or "",
                        "publisher": value.get("publisher") or "",
                        "year": value.get("year") or "",
                        "url": public_url_or_empty(value.get("url")),
                    }
                ],
            }
        if kind == "interview":
            answer = self.rich_text.render(value.get("answer"), chapter.file, notes)
            return {
                "type": "interview",
                "language": language,
                "entries": [{"question": value.get("question") or "", "answer": mark_safe(answer)}],
            }
        # A block type the body no longer offers: nothing an edition can show.
        return None

    def part(self, part):
        return {
            "part": part,
            "anchor": part.anchor,
            "title": part.title,
            "subtitle": part.subtitle,
            "introduction": mark_safe(self.rich_text.render(part.introduction, part.file)),
            "language": self.language(part.lang),
            "chapters": [
                {"title": chapter.title, "href": self.link_to(chapter.file, chapter.anchor)}
                for chapter in part.chapters
            ],
        }

    def biographies(self):
        return [
            {
                "anchor": biography.anchor,
                "name": biography.name,
                "professions": biography.professions,
                "biography": mark_safe(self.rich_text.render(biography.biography, CONTRIBUTORS_FILE)),
                "portrait": self.image(biography.portrait, biography.name) if biography.portrait else None,
                "portrait_credit": biography.portrait_credit,
            }
            for biography in self.content.biographies
        ]

    def toc(self):
        return [
            {
                "title": part.title,
                "language": self.language(part.lang),
                "href": self.link_to(part.file, part.anchor),
                "chapters": [
                    {"title": chapter.title, "href": self.link_to(chapter.file, chapter.anchor)}
                    for chapter in part.chapters
                ],
            }
            for part in self.content.parts
        ]

    def colophon(self):
        content = self.content
        return {
            "publisher": content.publisher,
            "editorial_direction": content.editorial_direction,
            "supporters": content.supporters,
            "licence": content.licence,
            "isbn": content.isbn,
            "doi": content.doi,
            "publication_date": content.publication_date,
            "publication_date_text": self.date(content.publication_date),
            "edition_date": content.modified.date() if content.modified else None,
            "edition_date_text": self.date(content.modified.date() if content.modified else None),
            "translators": content.translators,
            "missing": content.missing,
            "cover_credit": content.cover_credit,
        }

    def date(self, value):
        """A date as the edition's language writes it (Django's formats know more languages than our catalogs)."""
        if value is None:
            return ""
        with override(self.content.language):
            text = formats.date_format(value, "DATE_FORMAT")
        if value.day == 1 and self.content.language.split("-")[0] == "fr" and text.startswith("1 "):
            # French writes the first of the month as an ordinal ("1er décembre"); Django's
            # format has no such letter.
            text = "1er" + text[1:]
        return text

    def accessibility_summary(self):
        return _(
            "This publication follows EPUB Accessibility 1.1 at WCAG 2.1 level AA: a navigable table "
            "of contents, headings that give its structure, text alternatives for every image, and notes "
            "linked both ways with their calls."
        )
