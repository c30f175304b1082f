"""A strict reader of the PO files translators send back: what ``msgfmt --check`` refuses is refused here.

polib reads leniently: a string whose closing quote is missing loses its last character, an
entry without ``msgstr`` or a line of garbage is skipped or half read, an escape it does
not know stays as typed. An import must not apply what gettext's own tools would call a
broken file, so uploaded files are read by :func:`read_po`, which follows the grammar of
GNU gettext's ``msgfmt`` (tokens, strings and their escapes, the order of keywords, ``#~``
obsolete entries, plural forms, duplicates, the header, the leading and trailing line
breaks ``--check`` compares) and stops at the first error with its line number. What it
reads is handed on as polib's objects, so the rest of the import works on the same text
``msgfmt`` would compile.

Two things ``msgfmt`` refuses are deliberately accepted: a UTF-8 byte order mark (removed
before the file gets here) and anything about printf-style format strings, which only
applies to entries flagged ``c-format`` and the like and which the book's texts never are.
"""

import re
from dataclasses import dataclass, field

import polib
from django.utils.translation import gettext as _

KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
# The keywords a "#|" comment may carry: the previous source text of a fuzzy entry.
PREVIOUS_KEYWORDS = ("msgctxt", "msgid", "msgid_plural")
SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    "a": "\a",
    "\\": "\\",
    '"': '"',
}
OCTAL = "01234567"
HEX = "0123456789abcdefABCDEF"
WHITESPACE = " \t\r\f\v"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INDEX = re.compile(r"\[[ \t]*(\d+)[ \t]*\]")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
PLURAL = re.compile(r"plural\s*=")


class POSyntaxError(ValueError):
    """The file is not one ``msgfmt --check`` would accept; ``line`` is where (None for the whole file)."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(message)


@dataclass
class _Token:
    kind: str  # "keyword", "string" or "comment"
    value: object
    line: int
    obsolete: bool = False
    index: int | None = None  # msgstr[N]


@dataclass
class _Entry:
    line: int
    flags: list = field(default_factory=list)
    obsolete: bool | None = None
    msgctxt: list | None = None
    msgid: list | None = None
    msgid_plural: list | None = None
    msgstr: list | None = None
    plural_forms: dict = field(default_factory=dict)
    keyword_line: int = 0

    @property
    def complete(self):
        return self.msgid is not None and (self.msgstr is not None or bool(self.plural_forms))


def _error(line, message):
    return POSyntaxError(
        line, _("Malformed PO file, line %(line)s: %(error)s.") % {"line": line, "error": message}
    )


def _read_string(line, start, number):
    """The string starting at the quote ``line[start]``, unescaped as msgfmt does, and where it ends."""
    data = bytearray()
    position = start + 1
    while position < len(line):
        char = line[position]
        if char == '"':
            try:
                return data.decode("utf-8"), position + 1
            except UnicodeDecodeError:
                raise _error(number, _("escape sequences that are not UTF-8 text")) from None
        if char != "\\":
            data += char.encode("utf-8")
            position += 1
            continue
        escape = line[position + 1 : position + 2]
        if escape in SIMPLE_ESCAPES:
            data += SIMPLE_ESCAPES[escape].encode("utf-8")
            position += 2
        elif escape and escape in OCTAL:
            end = position + 1
            while end < len(line) and end < position + 4 and line[end] in OCTAL:
                end += 1
            data.append(int(line[position + 1 : end], 8) % 256)
            position = end
        elif escape == "x" and line[position + 2 : position + 3] and line[position + 2] in HEX:
            end = position + 2
            while end < len(line) and line[end] in HEX:
                end += 1
            data.append(int(line[position + 2 : end], 16) % 256)
            position = end
        elif not escape:
            break
        else:
            raise _error(number, _("invalid escape sequence '\\%(escape)s'") % {"escape": escape})
    raise _error(number, _("unclosed quote"))


def _tokens_of_line(line, number, obsolete, previous):
    """The tokens of one line of keywords and strings (a '#~' or '#|' line without its mark)."""
    tokens = []
    position = 0
    while position < len(line):
        char = line[position]
        if char in WHITESPACE:
            position += 1
        elif char == '"':
            value, position = _read_string(line, position, number)
            tokens.append(_Token("string", value, number, obsolete))
        elif char == "#":
            # A comment after the strings of a line ends the entry there, as in msgfmt.
            tokens.append(_Token("comment", [], number, obsolete))
            break
        else:
            match = IDENTIFIER.match(line, position)
            if match is None:
                raise _error(number, _("syntax error"))
            keyword = match.group()
            position = match.end()
            if keyword not in (PREVIOUS_KEYWORDS if previous else KEYWORDS):
                raise _error(number, _("unknown keyword '%(keyword)s'") % {"keyword": keyword[:40]})
            index = None
            if keyword == "msgstr":
                while position < len(line) and line[position] in WHITESPACE:
                    position += 1
                bracket = INDEX.match(line, position)
                if bracket:
                    index = int(bracket.group(1))
                    position = bracket.end()
            tokens.append(_Token("keyword", keyword, number, obsolete, index))
    # A "#|" line is a comment: its keywords and strings are checked, then set aside.
    return [] if previous else tokens


def _tokenize(text):
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip(WHITESPACE)
        if not line:
            continue
        if line.startswith("#~"):
            rest = line[2:]
            if rest.startswith("|"):
                yield from _tokens_of_line(rest[1:], number, True, True)
                yield _Token("comment", [], number, True)
            else:
                yield from _tokens_of_line(rest, number, True, False)
        elif line.startswith("#|"):
            yield from _tokens_of_line(line[2:], number, False, True)
            yield _Token("comment", [], number)
        elif line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            yield _Token("comment", flags, number)
        elif line.startswith("#"):
            yield _Token("comment", [], number)
        else:
            yield from _tokens_of_line(line, number, False, False)


def _entries(text):
    """Every entry of the file, as msgfmt's grammar reads them."""
    entries = []
    current = None  # the entry being read
    comments = None  # the comments of the next entry: its first line and its flags
    target = None  # the list the next string continues
    needs_string = False
    last_line = 1

    def finish():
        nonlocal current
        if current is not None:
            if not current.complete:
                raise _error(current.keyword_line, _("an entry without msgstr"))
            entries.append(current)
        current = None

    for token in _tokenize(text):
        last_line = token.line
        if token.kind == "string":
            if target is None:
                raise _error(token.line, _("syntax error"))
            target.append(token.value)
            needs_string = False
            continue
        if needs_string:
            raise _error(token.line, _("syntax error"))
        if token.kind == "comment":
            if current is not None and current.msgid is None:
                raise _error(token.line, _("syntax error"))
            if current is not None and not current.complete:
                raise _error(current.keyword_line, _("an entry without msgstr"))
            finish()
            target = None
            if comments is None:
                comments = (token.line, [])
            comments[1].extend(token.value)
            continue
        keyword = token.value
        if keyword in ("msgctxt", "msgid") and (current is None or current.complete):
            finish()
            line, flags = comments or (token.line, [])
            current = _Entry(line=line, flags=flags, obsolete=token.obsolete, keyword_line=token.line)
            comments = None
        elif current is None:
            raise _error(token.line, _("syntax error"))
        if current.obsolete != token.obsolete:
            raise _error(token.line, _("obsolete (#~) and current lines mixed in one entry"))
        target = []
        needs_string = True
        if keyword == "msgctxt":
            if current.msgid is not None:
                raise _error(current.keyword_line, _("an entry without msgstr"))
            if current.msgctxt is not None:
                raise _error(token.line, _("syntax error"))
            current.msgctxt = target
        elif keyword == "msgid":
            if current.msgid is not None:
                raise _error(current.keyword_line, _("an entry without msgstr"))
            current.msgid = target
            current.keyword_line = token.line
        elif keyword == "msgid_plural":
            if current.msgid is None or current.msgid_plural is not None or current.complete:
                raise _error(token.line, _("syntax error"))
            current.msgid_plural = target
        elif token.index is None:
            if current.msgid is None or current.msgid_plural is not None or current.complete:
                raise _error(token.line, _("syntax error"))
            current.msgstr = target
        else:
            if current.msgid is None or current.msgstr is not None:
                raise _error(token.line, _("syntax error"))
            if current.msgid_plural is None:
                raise _error(current.keyword_line, _("plural forms (msgstr[N]) without msgid_plural"))
            expected = len(current.plural_forms)
            if token.index != expected:
                message = (
                    _("the first plural form is not msgstr[0]")
                    if expected == 0
                    else _("plural form msgstr[%(index)s] out of order") % {"index": token.index}
                )
                raise _error(token.line, message)
            current.plural_forms[token.index] = target
    if needs_string:
        raise _error(last_line, _("syntax error"))
    finish()
    return entries


def _metadata(header):
    """The header's fields, read as polib reads them."""
    metadata = {}
    key = None
    for line in header.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _check(entries):
    seen = {}
    header = None
    for entry in entries:
        key = (None if entry.msgctxt is None else "".join(entry.msgctxt), "".join(entry.msgid))
        if key in seen:
            raise _error(
                entry.keyword_line,
                _("a second definition of the entry first defined at line %(first)s") % {"first": seen[key]},
            )
        seen[key] = entry.keyword_line
        if key == (None, "") and not entry.obsolete:
            header = entry
    if header is None or not "".join(header.msgstr or []):
        raise POSyntaxError(None, _('Malformed PO file: it has no header entry (msgid "").'))
    metadata = _metadata("".join(header.msgstr))
    plural_forms = metadata.get("Plural-Forms", "")
    nplurals = NPLURALS.search(plural_forms)
    for entry in entries:
        if entry.obsolete or entry is header:
            continue
        if entry.msgid_plural is not None:
            if nplurals is None or not PLURAL.search(plural_forms):
                raise _error(
                    entry.keyword_line,
                    _("plural forms while the header has no Plural-Forms with nplurals and plural"),
                )
            if len(entry.plural_forms) != int(nplurals.group(1)):
                raise _error(
                    entry.keyword_line,
                    _("%(count)s plural forms where the header's Plural-Forms says nplurals=%(nplurals)s")
                    % {"count": len(entry.plural_forms), "nplurals": nplurals.group(1)},
                )
        if "fuzzy" in entry.flags:
            continue
        msgid = "".join(entry.msgid)
        translations = [entry.msgstr] if entry.msgstr is not None else list(entry.plural_forms.values())
        for parts in translations:
            msgstr = "".join(parts)
            if not msgstr:
                continue
            if msgid.startswith("\n") != msgstr.startswith("\n"):
                raise _error(entry.keyword_line, _("msgid and msgstr do not both begin with a line break"))
            if msgid.endswith("\n") != msgstr.endswith("\n"):
                raise _error(entry.keyword_line, _("msgid and msgstr do not both end with a line break"))
    return header, metadata


def read_po(text):
    """The ``polib.POFile`` that ``text`` holds, or ``POSyntaxError`` at the first thing msgfmt would refuse.

    Each entry's ``linenum`` is the line it starts on (its first comment, else its first
    keyword), as polib counts.
    """
    entries = _entries(text)
    header, metadata = _check(entries)
    po = polib.POFile()
    po.metadata = metadata
    po.metadata_is_fuzzy = "fuzzy" in header.flags
    for entry in entries:
        if entry is header:
            continue
        po.append(
            polib.POEntry(
                msgctxt=None if entry.msgctxt is None else "".join(entry.msgctxt),
                msgid="".join(entry.msgid),
                msgid_plural="".join(entry.msgid_plural) if entry.msgid_plural is not None else "",
                msgstr="".join(entry.msgstr) if entry.msgstr is not None else "",
                msgstr_plural={index: "".join(parts) for index, parts in entry.plural_forms.items()},
                flags=list(entry.flags),
                obsolete=bool(entry.obsolete),
                linenum=entry.line,
            )
        )
    return po
