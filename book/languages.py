"""The names of languages as a sentence holds them: "Written in Spanish.", « Écrit en espagnol. »

Language names come from the settings' ``LANGUAGES`` and from Django's catalogs
as they stand alone, in a menu, a column heading or a list, where they begin
with a capital ("Espagnol", "Español"). In running text, French, Spanish and
the other languages listed in ``LOWER_CASE_LANGUAGE_NAMES`` write a language
name in lower case (« traduit de l'espagnol », «escrito en español»), where
English and German keep the capital and Arabic or Chinese have none. A name
inside a sentence goes through :func:`in_text`, in the language of the sentence.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Languages whose running text writes the names of languages in lower case.
LOWER_CASE_LANGUAGE_NAMES = frozenset(
    {
        "be", "bg", "bs", "ca", "cs", "da", "el", "eo", "es", "et", "eu", "fi", "fr", "gl", "hr", "hu",
        "it", "lt", "lv", "mk", "nb", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "uk",
    }
)  # fmt: skip


def _base(language):
    return (language or "").lower().replace("_", "-").split("-")[0]


def in_text(name, language=None):
    """``name``, a language's name as it stands alone, as a sentence in ``language`` (the active
    language by default) writes it: with a lower-case first letter where that language does so."""
    name = str(name)
    if _base(language or get_language()) in LOWER_CASE_LANGUAGE_NAMES and name[:1].isupper():
        return name[:1].lower() + name[1:]
    return name


# ``in_text`` of a name, written when the text is: a message or an e-mail made before the language of
# its reader is activated.
in_text_lazy = lazy(in_text, str)


def language_choices():
    """The languages a contribution may have been written in: the book's, then every other Django knows."""
    from django.conf import global_settings, settings

    book = dict(settings.LANGUAGES)
    # Django's catalog translates the names of its languages.
    others = sorted(
        ((code, _(name)) for code, name in global_settings.LANGUAGES if code not in book),
        key=lambda item: item[0],
    )
    return [*book.items(), *others]


def language_name(code):
    """The name of the language ``code`` as it stands alone, in the active language."""
    return str(dict(language_choices()).get(code, code))


def language_in_text(code):
    """The name of the language ``code`` inside a sentence of the active language."""
    return in_text(language_name(code))
