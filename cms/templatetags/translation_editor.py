from django import template

from cms.localization import editor

register = template.Library()


@register.filter
def localized_editor_props(props, instance):
    """The translation editor's props, its dates written in the active language."""
    return editor.editor_props(props, instance)
