"""``{{ locale.get_display_name|in_text }}``: a language's name inside a sentence (``book.languages``)."""

from django import template

from book import languages

register = template.Library()


@register.filter
def in_text(name):
    """The name of a language as a sentence in the active language writes it (« en anglais »)."""
    return languages.in_text(name) if name else name
