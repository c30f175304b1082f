"""Template tags of the reading preview: a chapter body's note references as links to its notes."""

from dataclasses import dataclass, field

from django import template
from django.utils.safestring import mark_safe

from book.provenance import translators_of
from book.templatetags.book_links import public_richtext
from book.text import link_note_references, note_anchor, note_numbers, note_reference_anchor

register = template.Library()


@dataclass
class BodyNotes:
    """The notes of one chapter body, and those already referenced as it is rendered."""

    numbers: set
    referenced: set = field(default_factory=set)


@register.simple_tag
def body_notes(body):
    """The notes of a body (``{% body_notes page.body as notes %}``), for :func:`richtext_with_notes`."""
    return BodyNotes(note_numbers(body.raw_data))


@register.simple_tag
def richtext_with_notes(value, notes=None):
    """Rich text as the allow-list lets it out, with its ``[^N]`` markers made links to the body's notes."""
    html = str(public_richtext(value))
    if not isinstance(notes, BodyNotes):
        return html
    # The markers are replaced by links built from note numbers only: the HTML stays safe.
    return mark_safe(link_note_references(html, notes.numbers, notes.referenced))


register.filter("note_anchor", note_anchor)
register.filter("note_reference_anchor", note_reference_anchor)


@register.simple_tag
def credited_translators(page):
    """The translators of the revision previewed, credited as readers will be given them once it is published."""
    if not page.pk:
        return []
    return translators_of([page], revision=lambda item: item.latest_revision_id or item.live_revision_id)[
        page.pk
    ]
