"""wagtail-localize's translation editor in the reader's interface language.

wagtail-localize writes its dates with ``strftime`` ("6 December 2026" in a
French interface) and its editor's heading as a fixed English phrase around
translated language names ("Français to Anglais translation"). The dates are
written here with Django's date formats in the active language; the heading
is put in the reader's language by the editor's template (see
``cms/templates/wagtail_localize/admin/edit_translation.html``).
"""

import json

from django.utils import formats, timezone
from django.utils.translation import gettext

# wagtail-localize's own strings: its catalogs translate them, so they are not
# extracted into the project's catalog (the extractor looks for ``_`` and ``gettext``).
localize_gettext = gettext


def local_date(moment):
    """A date as the interface writes it in the active language ("6 décembre 2026", "Dec. 6, 2026")."""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def string_translation_comment(string_translation):
    """How and when a segment was translated, in the active language (StringTranslation.get_comment)."""
    date = local_date(string_translation.updated_at)
    if string_translation.tool_name:
        return localize_gettext("Translated with {tool_name} on {date}").format(
            tool_name=string_translation.tool_name, date=date
        )
    if string_translation.translation_type == string_translation.TRANSLATION_TYPE_MANUAL:
        return localize_gettext("Translated manually on {date}").format(date=date)
    if string_translation.translation_type == string_translation.TRANSLATION_TYPE_MACHINE:
        return localize_gettext("Machine translated on {date}").format(date=date)
    return None


def editor_props(props, instance):
    """The translation editor's props with the last publication date in the active language."""
    data = json.loads(props)
    last_published_at = getattr(instance, "last_published_at", None)
    if last_published_at is not None and data.get("object", {}).get("lastPublishedDate"):
        data["object"]["lastPublishedDate"] = local_date(last_published_at)
    return json.dumps(data)


def connect():
    from wagtail_localize.models import StringTranslation

    StringTranslation.get_comment = string_translation_comment
