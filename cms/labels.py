"""The names of the book's groups, workflows and tasks, shown in each reader's language.

These names are data (``setup_roles`` creates them), but they are the
project's words: Wagtail shows them on the dashboard, in page statuses, in
the workflow and group lists and in notification e-mails, where a French
name in an English interface (or the reverse) is a name nobody asked for.
So they are stored once in English, the language of the code, and every name
read from the database is a :class:`DisplayName`: equal to what is stored
(lookups, comparisons, saving and JSON see the stored name), and rendered
through gettext in the active language wherever it is turned into text
(templates, ``str()``, ``%`` and f-strings).

A name is translated when it is one of the book's names (:data:`KNOWN_NAMES`),
optionally followed by a language code, as in "Translators (en)"; any other
name (a group or workflow an administrator created) is shown as stored. A
name stored in another configured language, as older versions of the project
wrote them, is recognised too.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# Translators: the name of a group of staff members working on the book.
EDITORS = gettext_noop("Editors")
# Translators: the name of a group of staff members working on the book.
REVIEWERS = gettext_noop("Reviewers")
# Translators: the name of a group of staff members working on the book.
AUTHORS = gettext_noop("Authors")
# Translators: the name of a group of staff members working on the book.
TRANSLATORS = gettext_noop("Translators")

# Translators: the name of a review workflow.
EDITORIAL_REVIEW_WORKFLOW = gettext_noop("Editorial review")
# Translators: the name of the step of a review workflow.
EDITORIAL_REVIEW_TASK = gettext_noop("Approval by the reviewers")
# Translators: the name of a review workflow, followed by a language code, e.g. "Translation review (en)".
TRANSLATION_REVIEW_WORKFLOW = gettext_noop("Translation review")
# Translators: the name of the step of a review workflow, followed by a language code.
TRANSLATION_REVIEW_TASK = gettext_noop("Approval by the reviewers of the language")
# Translators: the name of a review workflow.
COLLECTIONS_REVIEW_WORKFLOW = gettext_noop("Translation review (cities and sectors)")
# Translators: the name of the step of a review workflow.
COLLECTIONS_REVIEW_TASK = gettext_noop("Approval by the reviewers of the language of each city or sector")

KNOWN_NAMES = (
    EDITORS,
    REVIEWERS,
    AUTHORS,
    TRANSLATORS,
    EDITORIAL_REVIEW_WORKFLOW,
    EDITORIAL_REVIEW_TASK,
    TRANSLATION_REVIEW_WORKFLOW,
    TRANSLATION_REVIEW_TASK,
    COLLECTIONS_REVIEW_WORKFLOW,
    COLLECTIONS_REVIEW_TASK,
)

# "Translators (en)", "Translation review (zh-hans)": a name and a language code.
LANGUAGE_SUFFIX = re.compile(r"^(?P<base>.+) \((?P<code>[a-z]{2,3}(?:-[a-z0-9]+)*)\)$")


def with_language(name, language_code=None):
    """The stored form of a name for one language: 'Translators (en)'; the name alone without a code."""
    return f"{name} ({language_code})" if language_code else name


@lru_cache(maxsize=1)
def _source_names():
    """Every configured language's translation of each known name, mapped to the English name."""
    found = {name: name for name in KNOWN_NAMES}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for name in KNOWN_NAMES:
                found.setdefault(gettext(name), name)
    return found


def stored_forms(name, language_code=None):
    """Every form under which a name may be stored: English, and its translation in each configured language."""
    return {
        with_language(translated, language_code)
        for translated, source in _source_names().items()
        if source == name
    }


def source_name(stored):
    """The English name and language code of a stored name; (None, None) if it is not one of the book's names."""
    names = _source_names()
    if stored in names:
        return names[stored], None
    match = LANGUAGE_SUFFIX.match(stored)
    if match and match["base"] in names:
        return names[match["base"]], match["code"]
    return None, None


def translate_name(stored):
    """A stored name in the active language: the book's names translated, any other as stored."""
    name, language_code = source_name(str.__str__(stored))
    if name is None:
        return str.__str__(stored)
    return with_language(gettext(name), language_code)


class DisplayName(str):
    """A stored name that shows itself in the active language.

    As a string it is the stored name, so the database, lookups, equality
    and JSON see what is stored; ``str()`` (which templates, ``%`` and
    f-strings call) gives the name in the active language.
    """

    __slots__ = ()

    def __str__(self):
        return translate_name(self)

    def __html__(self):
        from django.utils.html import escape

        return escape(str(self))


def _display_name(value, expression, connection):
    return value if value is None else DisplayName(value)


def install():
    """Read the names of groups, workflows and tasks from the database as :class:`DisplayName`."""
    from django.contrib.auth.models import Group
    from wagtail.models import Task, Workflow

    for model in (Group, Workflow, Task):
        field = model._meta.get_field("name")
        field.from_db_value = _display_name
        field.value_to_string = _stored_value_to_string(field)


def _stored_value_to_string(field):
    """Serializers (dumpdata, backups) write the stored name, never the one shown in the active language."""

    def value_to_string(obj):
        value = field.value_from_object(obj)
        return value if value is None else str.__str__(value)

    return value_to_string


# Wagtail's history of a page names the workflow and the task from the log entry's data,
# where it wrote them as text when the action happened: the stored English names.
WORKFLOW_LOG_ACTIONS = (
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.cancel",
)


def _titles_translated(workflow_data):
    """The ``workflow`` part of a log entry's data with every ``title`` in it shown in the active language."""
    if not isinstance(workflow_data, dict):
        return workflow_data
    return {
        key: translate_name(value) if key == "title" and isinstance(value, str) else _titles_translated(value)
        for key, value in workflow_data.items()
    }


class _NamesInReadersLanguage:
    """A log entry as its formatter reads it, the names of its workflow and task in the active language.

    Only the copy the formatter reads is changed; the entry and its stored data are not.
    """

    def __init__(self, log_entry):
        self._log_entry = log_entry
        data = log_entry.data
        if isinstance(data, dict) and "workflow" in data:
            data = {**data, "workflow": _titles_translated(data["workflow"])}
        self.data = data

    def __getattr__(self, name):
        return getattr(self._log_entry, name)


class NamesInReadersLanguageMixin:
    def format_message(self, log_entry):
        return super().format_message(_NamesInReadersLanguage(log_entry))


def with_names_in_readers_language(formatter):
    """A Wagtail log formatter like ``formatter`` whose messages name workflows and tasks in the reader's language."""
    if isinstance(formatter, NamesInReadersLanguageMixin):
        return formatter
    formatter_class = type(formatter)
    return type(formatter_class.__name__, (NamesInReadersLanguageMixin, formatter_class), {})()
