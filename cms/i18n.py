"""The project's own interface strings: found in the code, merged into the catalogs, compiled.

Django's makemessages and compilemessages call GNU gettext (xgettext, msgmerge,
msgfmt). This module does the same work in Python so that a checkout can keep
its catalogs without those tools: Python sources are read with ``ast``,
templates go through Django's own ``templatize`` (the function makemessages
uses, so ``{{ var }}`` becomes ``%(var)s`` exactly as there), and catalogs are
read and written with polib.

Only the project's strings belong in its catalog; Wagtail's and Django's come
from their own catalogs.
"""

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

# The apps whose strings are ours; migrations only repeat what the models say.
PROJECT_ROOTS = ("api", "book", "cms", "editions")
SKIPPED_DIRECTORIES = {"migrations", "__pycache__", "node_modules", "static"}
TEMPLATE_SUFFIXES = {".html", ".txt", ".xhtml", ".opf"}

# The words an edition (EPUB, PDF) writes itself: its headings, colophon labels, landmarks,
# back-links, accessibility summary and the contributors' roles. The edition speaks the
# language of the book it holds, so these have catalogs of their own (in the editions app,
# ``settings.EDITIONS_LOCALE_PATH``) in every language the book is published in. A path
# ending in "/" takes every template under it; "file.py::Name" only the strings of that class.
EDITION_SOURCES = (
    "editions/render.py",
    "editions/templates/editions/biographies.html",
    "editions/templates/editions/body.html",
    "editions/templates/editions/chapter_header.html",
    "editions/templates/editions/colophon.html",
    "editions/templates/editions/cover.html",
    "editions/templates/editions/note.html",
    "editions/templates/editions/title_page.html",
    "editions/templates/editions/toc.html",
    "editions/templates/editions/epub/",
    "editions/templates/editions/print/",
    "book/models/pages.py::ContributorRole",
)

# For each gettext function, the positions of its context, singular and
# plural arguments, as makemessages passes them to xgettext with --keyword.
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

TRANSLATORS_TAG = "Translators"

# French is given the two forms of the GNU gettext manual, whatever the
# upstream catalogs of other projects say; other languages take Django's.
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

PYTHON_FORMAT_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)


class ExtractionError(Exception):
    """A source file that cannot be read for strings (a syntax error, a malformed template)."""


@dataclass
class Message:
    """One translatable string and every place in the code that uses it."""

    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    occurrences: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def python_format(self):
        return is_python_format(self.msgid) or is_python_format(self.msgid_plural)


@dataclass
class Extraction:
    """What the extractor found: messages in order of first use, and what it had to leave out."""

    messages: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def message_keys(self):
        return {message.key for message in self.messages}


def is_python_format(text):
    """True when ``text`` is meant for ``%`` formatting: it has directives and every ``%`` is one."""
    return "%" in text and _only_directives(text)


def _only_directives(text):
    return "%" not in PYTHON_FORMAT_RE.sub("", text)


def format_directives(text):
    """The ``%`` directives of ``text``: named ones as a set, positional ones as a list of types."""
    named, positional = set(), []
    for match in PYTHON_FORMAT_RE.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is not None:
            named.add(match["name"])
        else:
            positional.append(match["type"])
    return named, positional


# Finding strings ------------------------------------------------------------


def project_files(base_dir, roots=PROJECT_ROOTS):
    """The Python sources and templates of the project, in a stable order."""
    base_dir = Path(base_dir)
    found = []
    for root in roots:
        top = base_dir / root
        if not top.is_dir():
            continue
        for path in top.rglob("*"):
            relative_parts = path.relative_to(base_dir).parts
            if any(part in SKIPPED_DIRECTORIES or part.startswith(".") for part in relative_parts):
                continue
            if not path.is_file():
                continue
            if path.suffix == ".py" or (path.suffix in TEMPLATE_SUFFIXES and "templates" in relative_parts):
                found.append(path)
    return sorted(found, key=lambda path: path.relative_to(base_dir).as_posix())


def extract(base_dir, roots=PROJECT_ROOTS):
    """Every translatable string of the project's code and templates."""
    base_dir = Path(base_dir)
    extraction = Extraction()
    by_key = {}
    for path in project_files(base_dir, roots):
        relative = path.relative_to(base_dir).as_posix()
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ExtractionError(f"{relative}: not UTF-8 ({error.reason})") from error
        if path.suffix == ".py":
            found, notes = extract_from_python(source, relative)
        else:
            found, notes = extract_from_template(source, relative)
        extraction.notes.extend(notes)
        for message in found:
            _add_message(by_key, extraction, message)
    return extraction


def extract_edition_words(base_dir, sources=EDITION_SOURCES):
    """The strings an edition writes itself (see ``EDITION_SOURCES``), in the order of the sources."""
    base_dir = Path(base_dir)
    extraction = Extraction()
    by_key = {}
    for source in sources:
        relative, _sep, class_name = source.partition("::")
        top = base_dir / relative
        if relative.endswith("/"):
            paths = sorted(path for path in top.rglob("*") if path.suffix in TEMPLATE_SUFFIXES)
        else:
            paths = [top]
        for path in paths:
            name = path.relative_to(base_dir).as_posix()
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError as error:
                raise ExtractionError(f"{name}: listed among the edition's sources but not found") from error
            if path.suffix == ".py":
                found, notes = extract_from_python(text, name)
                if class_name:
                    found = _within_class(text, name, class_name, found)
            else:
                found, notes = extract_from_template(text, name)
            extraction.notes.extend(notes)
            for message in found:
                _add_message(by_key, extraction, message)
    return extraction


def _within_class(source, path, class_name, messages):
    """The ``messages`` of ``source`` written inside its top-level class ``class_name``."""
    for node in ast.parse(source, filename=path).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return [
                message
                for message in messages
                if node.lineno <= message.occurrences[0][1] <= (node.end_lineno or node.lineno)
            ]
    raise ExtractionError(f"{path}: no class {class_name}, listed among the edition's sources")


def _add_message(by_key, extraction, message):
    known = by_key.get(message.key)
    if known is None:
        by_key[message.key] = message
        extraction.messages.append(message)
        return
    known.occurrences.extend(place for place in message.occurrences if place not in known.occurrences)
    known.comments.extend(comment for comment in message.comments if comment not in known.comments)
    if message.msgid_plural and not known.msgid_plural:
        known.msgid_plural = message.msgid_plural
    elif message.msgid_plural and message.msgid_plural != known.msgid_plural:
        path, line = message.occurrences[0]
        extraction.notes.append(
            f"{path}:{line}: {message.msgid!r} has the plural {message.msgid_plural!r} here "
            f"and {known.msgid_plural!r} elsewhere; the first one is kept."
        )


def _message_from_arguments(name, arguments, path, line, comments, notes):
    """A Message from a call's arguments (each a string, or None when not a literal)."""
    positions = KEYWORDS[name]
    wanted = [position for position in positions if position is not None]
    if len(arguments) <= max(wanted):
        notes.append(f"{path}:{line}: {name}() has too few arguments to be extracted.")
        return None
    if any(arguments[position] is None for position in wanted):
        notes.append(
            f"{path}:{line}: {name}() is called with something other than literal strings; not extracted."
        )
        return None
    context_at, singular_at, plural_at = positions
    msgid = arguments[singular_at]
    if not msgid:
        notes.append(f"{path}:{line}: {name}() is called with an empty string; not extracted.")
        return None
    return Message(
        msgid=msgid,
        msgid_plural=arguments[plural_at] if plural_at is not None else "",
        msgctxt=arguments[context_at] if context_at is not None else None,
        occurrences=[(path, line)],
        comments=comments,
    )


def _translator_comments(comment_lines, line):
    """The comment block right above ``line``, from its line that starts with the Translators tag."""
    block = []
    current = line - 1
    while current in comment_lines:
        block.insert(0, comment_lines[current])
        current -= 1
    for index, text in enumerate(block):
        if text.startswith(TRANSLATORS_TAG):
            return ["\n".join(block[index:])]
    return []


def extract_from_python(source, path):
    """The messages of one Python source; ``path`` is only used to name where they are."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        raise ExtractionError(f"{path}:{error.lineno}: {error.msg}") from error
    comment_lines = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comment_lines[token.start[0]] = token.string.lstrip("#").strip()
    calls = [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and _called_name(node.func) in KEYWORDS
    ]
    calls.sort(key=lambda node: (node.func.end_lineno, node.func.end_col_offset))
    messages, notes = [], []
    for node in calls:
        # Like xgettext, a message is where its first argument starts, and its
        # translators' comment is the one right above that line.
        line = node.args[0].lineno if node.args else node.func.end_lineno
        arguments = [_literal_string(argument) for argument in node.args]
        comments = _translator_comments(comment_lines, line)
        message = _message_from_arguments(_called_name(node.func), arguments, path, line, comments, notes)
        if message is not None:
            messages.append(message)
    return messages, notes


def _called_name(func):
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_string(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# templatize turns a template into gettext calls among blanked-out text; this
# reads those calls back, the way xgettext reads them as Python.
_TEMPLATIZED_TOKEN_RE = re.compile(
    r"""
      (?P<string>(?<!\w)[uUrRbB]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))
    | (?P<comment>\#[^\n]*)
    | (?P<name>[^\W\d]\w*)
    | (?P<op>[(),])
    | (?P<newline>\n)
    | (?P<space>[^\S\n]+)
    | (?P<other>.)
    """,
    re.VERBOSE,
)


def extract_from_template(source, path):
    """The messages of one Django template, with the msgids makemessages would give them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            templatized = templatize(source, origin=path)
        except SyntaxError as error:
            raise ExtractionError(f"{path}: {error}") from error
    notes = [f"{path}: {warning.message}" for warning in caught]
    tokens, comment_lines, line = [], {}, 1
    for match in _TEMPLATIZED_TOKEN_RE.finditer(templatized):
        kind = match.lastgroup
        if kind == "newline":
            line += 1
        elif kind == "comment":
            comment_lines[line] = match.group().lstrip("#").strip()
        elif kind != "space":
            tokens.append((kind, match.group(), line))
    messages = []
    for index, (kind, text, token_line) in enumerate(tokens):
        if kind != "name" or text not in KEYWORDS:
            continue
        if index + 1 >= len(tokens) or tokens[index + 1][:2] != ("op", "("):
            continue
        arguments = _templatized_arguments(tokens, index + 2)
        message = _message_from_arguments(
            text, arguments, path, token_line, _translator_comments(comment_lines, token_line), notes
        )
        if message is not None:
            messages.append(message)
    return messages, notes


def _templatized_arguments(tokens, start):
    """The arguments of a call whose ``(`` precedes ``tokens[start]``; None for any non-literal."""
    arguments, parts, literal, depth = [], [], True, 1
    for kind, text, _line in tokens[start:]:
        if kind == "op" and text == "(":
            depth += 1
            literal = False
        elif kind == "op" and text == ")":
            depth -= 1
            if depth == 0:
                break
        elif depth > 1:
            continue
        elif kind == "op" and text == ",":
            arguments.append("".join(parts) if literal and parts else None)
            parts, literal = [], True
        elif kind == "string":
            value = _string_value(text)
            if value is None:
                literal = False
            else:
                parts.append(value)
        else:
            literal = False
    if parts or not literal:
        arguments.append("".join(parts) if literal and parts else None)
    return arguments


def _string_value(text):
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


# Catalogs --------------------------------------------------------------------


def catalog_path(locale_dir, language, domain="django"):
    return Path(locale_dir) / to_locale(language) / "LC_MESSAGES" / f"{domain}.po"


def plural_forms(language):
    """The Plural-Forms header for ``language``: ours for French, Django's for the others."""
    if language in PLURAL_FORMS:
        return PLURAL_FORMS[language]
    import django

    django_catalog = Path(django.__file__).parent / "conf" / "locale" / to_locale(language)
    django_catalog = django_catalog / "LC_MESSAGES" / "django.po"
    if django_catalog.exists():
        return polib.pofile(str(django_catalog)).metadata.get("Plural-Forms", DEFAULT_PLURAL_FORMS)
    return DEFAULT_PLURAL_FORMS


def plural_count(catalog):
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match[1]) if match else 2


def _timestamp():
    return timezone.localtime().strftime("%Y-%m-%d %H:%M%z")


def new_catalog(language, project="book-cms"):
    """An empty catalog for ``language`` with a complete header."""
    catalog = polib.POFile(wrapwidth=79)
    catalog.header = (
        f"{LANG_INFO.get(language, {}).get('name', language)} translation of the interface of {project}.\n"
        "This file is distributed under the same license as the project."
    )
    now = _timestamp()
    catalog.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language),
    }
    return catalog


def load_catalog(path, language):
    """The catalog at ``path``, or a new one for ``language`` when there is none yet."""
    path = Path(path)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=79)
    return new_catalog(language)


@dataclass
class MergeResult:
    added: list = field(default_factory=list)
    revived: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    obsoleted: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def keys_changed(self):
        return bool(self.added or self.revived or self.changed or self.obsoleted or self.removed)


def merge(catalog, messages, keep_obsolete=True):
    """Bring ``catalog`` in line with ``messages``, keeping every translation it already has.

    New strings come in untranslated; strings the code no longer uses become
    obsolete entries (``#~``) when they carry a translation worth keeping, and
    go otherwise; an entry whose plural changed is marked fuzzy for review.
    The entries follow the order of ``messages``, obsolete ones last.
    """
    result = MergeResult()
    forms = plural_count(catalog)
    existing = {(entry.msgctxt, entry.msgid): entry for entry in catalog}
    entries = []
    for message in messages:
        entry = existing.pop(message.key, None)
        if entry is None:
            entry = polib.POEntry(msgid=message.msgid, msgctxt=message.msgctxt)
            if message.msgid_plural:
                entry.msgid_plural = message.msgid_plural
                entry.msgstr_plural = dict.fromkeys(range(forms), "")
            result.added.append(message.key)
        else:
            if entry.obsolete:
                entry.obsolete = False
                result.revived.append(message.key)
            if _reconcile_plural(entry, message.msgid_plural, forms):
                result.changed.append(message.key)
        entry.occurrences = [(path, str(line)) for path, line in message.occurrences]
        entry.comment = "\n".join(message.comments)
        entry.flags = [flag for flag in entry.flags if flag != "python-format"]
        if message.python_format:
            entry.flags.append("python-format")
        entries.append(entry)
    for key, entry in existing.items():
        if keep_obsolete and _has_translation(entry):
            if not entry.obsolete:
                result.obsoleted.append(key)
            entry.obsolete = True
            entry.occurrences = []
            entries.append(entry)
        else:
            result.removed.append(key)
    catalog[:] = entries
    if result.keys_changed:
        catalog.metadata["POT-Creation-Date"] = _timestamp()
    return result


def _has_translation(entry):
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _reconcile_plural(entry, msgid_plural, forms):
    """Give ``entry`` the plural the code now has; True when its translation needs review."""
    if entry.msgid_plural == msgid_plural:
        if msgid_plural and len(entry.msgstr_plural) != forms:
            entry.msgstr_plural = {index: entry.msgstr_plural.get(index, "") for index in range(forms)}
        return False
    had_translation = _has_translation(entry)
    if not msgid_plural:
        entry.msgstr = entry.msgstr_plural.get(0, "")
        entry.msgstr_plural = {}
    else:
        first = entry.msgstr or entry.msgstr_plural.get(0, "")
        entry.msgstr_plural = {index: entry.msgstr_plural.get(index, "") for index in range(forms)}
        entry.msgstr_plural[0] = first
        entry.msgstr = ""
    entry.msgid_plural = msgid_plural
    if had_translation:
        entry.fuzzy = True
    return True


def translations(catalog):
    """The translated entries of a catalog (.po or .mo) as {(msgctxt, msgid, msgid_plural): msgstr(s)}."""
    result = {}
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[(entry.msgctxt or None, entry.msgid, entry.msgid_plural)] = value
    return result


def catalog_problems(catalog):
    """Translations that would break at run time: placeholders the code does not provide."""
    problems = []
    for entry in catalog:
        if entry.obsolete or entry.fuzzy:
            continue
        source_named, source_positional = format_directives(entry.msgid)
        plural_named, _plural_positional = format_directives(entry.msgid_plural)
        source_named |= plural_named
        formatted = "python-format" in entry.flags
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not translation:
                continue
            named, positional = format_directives(translation)
            if named - source_named:
                problems.append(
                    f"{entry.msgid!r}: the translation uses {sorted(named - source_named)}, "
                    "which the code does not provide."
                )
            if formatted and positional != source_positional and not entry.msgid_plural:
                problems.append(f"{entry.msgid!r}: the translation's %-directives differ from the source.")
            if formatted and not _only_directives(translation):
                problems.append(f"{entry.msgid!r}: the translation has a lone '%'; write '%%'.")
    return problems


# What a translation must carry over unchanged besides the %-directives: str.format fields,
# the [^N] note references of the manuscript help, and the HTML of strings that have markup.
BRACE_FIELD_RE = re.compile(r"\{[^{}\s]*\}")
NOTE_REFERENCE_RE = re.compile(r"\[\^N\]")
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def _placeholders(text, with_markup):
    named, positional = format_directives(text)
    return (
        sorted(named),
        positional,
        sorted(BRACE_FIELD_RE.findall(text)),
        len(NOTE_REFERENCE_RE.findall(text)),
        sorted(HTML_TAG_RE.findall(text)) if with_markup else [],
    )


def placeholder_differences(catalog):
    """Translations whose placeholders are not those of their source, dropped ones included.

    ``catalog_problems`` refuses only what would break at run time; a translation that
    leaves out a ``%(name)s`` still runs, but loses what the code meant to show. Each
    plural form must keep the placeholders of the singular or of the plural. Markup is
    compared only where the source has a closing tag, so that ``<key>`` in prose stays words.
    """
    differences = []
    for entry in catalog:
        if entry.obsolete or entry.fuzzy:
            continue
        with_markup = "</" in entry.msgid or "</" in entry.msgid_plural
        expected = [_placeholders(entry.msgid, with_markup)]
        if entry.msgid_plural:
            expected.append(_placeholders(entry.msgid_plural, with_markup))
            forms = entry.msgstr_plural.values()
        else:
            forms = [entry.msgstr]
        for form in forms:
            if form and _placeholders(form, with_markup) not in expected:
                differences.append(f"{entry.msgid!r}: {form!r} does not keep the placeholders of its source.")
    return differences


def compile_catalog(catalog, mo_path):
    """Write ``catalog``'s translated entries to ``mo_path``; fuzzy and obsolete ones stay out, as with msgfmt."""
    Path(mo_path).write_bytes(catalog.to_binary())


def fall_back_to_english():
    """Show a string the active language lacks in English, not in the site's default language.

    Django completes every catalog with the one of ``LANGUAGE_CODE``: with the
    book's source language as the default, an Arabic, Spanish, Russian or
    Chinese interface showed every string its catalogs lack (most of the
    project's own, some of Wagtail's) in French. The messages are written in
    English, so a language without a translation of one shows it as written.
    """
    from django.utils.translation import trans_real

    def add_fallback(self, localedirs=None):
        # Nothing to add: a message not found is returned as written, in English.
        return None

    trans_real.DjangoTranslation._add_fallback = add_fallback
    trans_real._translations.clear()
