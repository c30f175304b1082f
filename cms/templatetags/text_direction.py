from django import template

from cms.translation_editor import text_direction

register = template.Library()


@register.simple_tag
def content_language(locale):
    """The ``lang`` and ``dir`` of the text typed in an editor of content in ``locale``."""
    return text_direction(locale)
