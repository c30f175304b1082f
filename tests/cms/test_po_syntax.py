"""The strict PO reader: it refuses what ``msgfmt --check`` refuses, with the line, and reads the rest as polib does."""

import shutil
import subprocess

import polib
import pytest
from django.utils import translation

from cms.localization.pofile import POSyntaxError, read_po

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
PLURAL_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
# The header above takes lines 1-5: an entry after it starts on line 6.

REFUSED = {
    "unclosed quote": (HEADER + 'msgid "a"\nmsgstr "field experiments\n', "line 7: unclosed quote"),
    "unclosed quote at the end of the file": (HEADER + 'msgid "a"\nmsgstr "b', "line 7: unclosed quote"),
    "unclosed quote in a continuation": (
        HEADER + 'msgid "a"\nmsgstr ""\n"field\n"experiments"\n',
        "line 8: unclosed quote",
    ),
    "text after a string": (HEADER + 'msgid "a"\nmsgstr "b" c\n', "line 7: unknown keyword 'c'"),
    "unknown keyword": (HEADER + 'msgid "a"\nmsgstr "b"\nnot a PO line\n', "line 8: unknown keyword 'not'"),
    "keyword in capitals": (HEADER + 'MSGID "a"\nmsgstr "b"\n', "line 6: unknown keyword 'MSGID'"),
    "unknown escape": (HEADER + 'msgid "a"\nmsgstr "b\\q"\n', "line 7: invalid escape sequence '\\q'"),
    "unicode escape": (HEADER + 'msgid "a"\nmsgstr "\\u00e9"\n', "line 7: invalid escape sequence '\\u'"),
    "hex escape without digits": (
        HEADER + 'msgid "a"\nmsgstr "\\x"\n',
        "line 7: invalid escape sequence '\\x'",
    ),
    "escaped apostrophe": (
        HEADER + 'msgid "a"\nmsgstr "l\\\'eau"\n',
        "line 7: invalid escape sequence '\\''",
    ),
    "msgid without msgstr": (
        HEADER + 'msgid "a"\n\nmsgid "c"\nmsgstr "d"\n',
        "line 6: an entry without msgstr",
    ),
    "msgid without msgstr at the end": (HEADER + 'msgid "a"\n', "line 6: an entry without msgstr"),
    "msgstr without msgid": (HEADER + 'msgstr "b"\n', "line 6: syntax error"),
    "two msgstr": (HEADER + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', "line 8: syntax error"),
    "keyword without its string": (HEADER + 'msgid\nmsgstr "b"\n', "line 7: syntax error"),
    "msgctxt twice": (HEADER + 'msgctxt "x"\nmsgctxt "y"\nmsgid "a"\nmsgstr "b"\n', "line 7: syntax error"),
    "msgctxt without msgid": (HEADER + 'msgctxt "x"\nmsgstr "b"\n', "line 7: syntax error"),
    "comment inside an entry": (
        HEADER + 'msgctxt "x"\n# a note\nmsgid "a"\nmsgstr "b"\n',
        "line 7: syntax error",
    ),
    "comment between a string and its continuation": (
        HEADER + 'msgid "a" # note\n"c"\nmsgstr "b"\n',
        "line 6: an entry without msgstr",
    ),
    "duplicate entry": (
        HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
        "line 9: a second definition of the entry first defined at line 6",
    ),
    "duplicate of an obsolete entry": (
        HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
        "line 9: a second definition of the entry first defined at line 6",
    ),
    "obsolete and current lines in one entry": (
        HEADER + '#~ msgid "a"\nmsgstr "b"\n',
        "line 7: obsolete (#~) and current lines mixed in one entry",
    ),
    "unclosed quote in an obsolete entry": (
        HEADER + '#~ msgid "a"\n#~ msgstr "b\n',
        "line 7: unclosed quote",
    ),
    "unclosed quote in a previous msgid": (
        HEADER + '#| msgid "a\nmsgid "a"\nmsgstr "b"\n',
        "line 6: unclosed quote",
    ),
    "unknown keyword in a previous msgid": (
        HEADER + '#| nonsense\nmsgid "a"\nmsgstr "b"\n',
        "line 6: unknown keyword 'nonsense'",
    ),
    "msgid ends with a line break, msgstr not": (
        HEADER + 'msgid "a\\n"\nmsgstr "b"\n',
        "line 6: msgid and msgstr do not both end with a line break",
    ),
    "msgstr begins with a line break, msgid not": (
        HEADER + 'msgid "a"\nmsgstr "\\nb"\n',
        "line 6: msgid and msgstr do not both begin with a line break",
    ),
    "plural form without msgid_plural": (
        HEADER + 'msgid "a"\nmsgstr[0] "b"\n',
        "line 6: plural forms (msgstr[N]) without msgid_plural",
    ),
    "plural msgid with a plain msgstr": (
        PLURAL_HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n',
        "line 8: syntax error",
    ),
    "first plural form not 0": (
        PLURAL_HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n',
        "line 8: the first plural form is not msgstr[0]",
    ),
    "plural forms out of order": (
        PLURAL_HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "bs"\n',
        "line 9: plural form msgstr[2] out of order",
    ),
    "fewer plural forms than the header says": (
        PLURAL_HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
        "line 6: 1 plural forms where the header's Plural-Forms says nplurals=2",
    ),
    "plural forms without Plural-Forms": (
        HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "bs"\n',
        "line 6: plural forms while the header has no Plural-Forms with nplurals and plural",
    ),
}

# msgfmt copies these bytes into the compiled catalog as they are; as text they would be garbage.
STRICTER = {
    "escapes that are not UTF-8": (
        HEADER + 'msgid "a"\nmsgstr "\\377"\n',
        "line 7: escape sequences that are not UTF-8 text",
    ),
}

REFUSED_WHOLE = {
    "no header": 'msgid "a"\nmsgstr "b"\n',
    "an empty header": 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n',
    "a header with a context": 'msgctxt "c"\nmsgid ""\nmsgstr "Language: en\\n"\n',
    "nothing but a comment": "# a comment\n",
    "nothing": "",
}

ACCEPTED = {
    "a plain entry": HEADER + 'msgid "a"\nmsgstr "b"\n',
    "an untranslated entry": HEADER + 'msgid "a"\nmsgstr ""\n',
    "strings continued over several lines": HEADER + 'msgid ""\n"a"\n"b"\nmsgstr "c" "d"\n',
    "a keyword and its string on different lines": HEADER + 'msgid\n"a"\nmsgstr "b"\n',
    "indented lines and tabs": HEADER + '  msgid\t"a"\n\tmsgstr "b"\n',
    "no space before a string": HEADER + 'msgid"a"\nmsgstr"b"\n',
    "a comment after the last string": HEADER + 'msgid "a"\nmsgstr "b" # done\n',
    "Windows line ends": (HEADER + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n"),
    "every escape msgfmt knows": HEADER
    + 'msgid "a"\nmsgstr "\\a\\b\\f\\t\\v\\r\\\\\\"\\101\\x42\\303\\251"\n',
    "comments of every kind": (
        HEADER + "# translator\n#. extracted\n#: file.py:1\n#, fuzzy, python-format\n"
        '#| msgctxt "old"\n#| msgid "old"\nmsgctxt "x"\nmsgid "a"\nmsgstr "b"\n'
    ),
    "a fuzzy entry whose line breaks differ": HEADER + '#, fuzzy\nmsgid "a\\n"\nmsgstr "b"\n',
    "an untranslated entry ending with a line break": HEADER + 'msgid "a\\n"\nmsgstr ""\n',
    "the same msgid in two contexts": HEADER
    + 'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "y"\nmsgid "a"\nmsgstr "b"\n',
    "obsolete entries": HEADER + '#~| msgid "older"\n#~ msgid "z"\n#~ msgstr "b"\n',
    "plural forms": PLURAL_HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr [1] "bs"\n',
    "a fuzzy header after an entry": 'msgid "a"\nmsgstr "b"\n\n#, fuzzy\n' + HEADER,
    "only a header": HEADER,
}


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def refusal(text):
    with pytest.raises(POSyntaxError) as refused:
        read_po(text)
    return refused.value


@pytest.mark.parametrize("case", [*REFUSED, *STRICTER], ids=str)
def test_a_broken_file_is_refused_at_its_line(case):
    text, message = {**REFUSED, **STRICTER}[case]

    error = refusal(text)

    assert error.message == f"Malformed PO file, {message}."
    assert error.line == int(message.split(":")[0].removeprefix("line "))


@pytest.mark.parametrize("case", REFUSED_WHOLE, ids=str)
def test_a_file_without_a_header_is_refused(case):
    error = refusal(REFUSED_WHOLE[case])

    assert error.message == 'Malformed PO file: it has no header entry (msgid "").'
    assert error.line is None


@pytest.mark.parametrize("case", ACCEPTED, ids=str)
def test_a_well_formed_file_is_read(case):
    assert isinstance(read_po(ACCEPTED[case]), polib.POFile)


def test_escapes_are_read_as_msgfmt_reads_them():
    [entry] = read_po(ACCEPTED["every escape msgfmt knows"])

    assert entry.msgstr == '\a\b\f\t\v\r\\"ABé'


def test_what_it_reads_is_what_polib_reads_of_a_well_formed_file():
    text = (
        HEADER.replace('"Language: en\\n"\n', '"Language: en\\n"\n"X-Record: {\\"a\\": \\"b\\"}\\n"\n')
        + "# translator\n#, fuzzy\n"
        + 'msgctxt "body.1"\nmsgid "Un <b>mot</b>."\nmsgstr "A <b>word</b>."\n\n'
        + 'msgctxt "body.1"\nmsgid ""\n"Deux "\n"lignes."\nmsgstr "Two \\"lines\\".\\t"\n\n'
        + 'msgid "a"\nmsgstr ""\n\n#~ msgid "gone"\n#~ msgstr "parti"\n'
    )

    ours, theirs = read_po(text), polib.pofile(text)

    assert ours.metadata == theirs.metadata
    fields = ("msgctxt", "msgid", "msgstr", "flags", "obsolete", "linenum")
    assert [[getattr(entry, name) for name in fields] for entry in ours] == [
        [getattr(entry, name) for name in fields] for entry in theirs
    ]


def test_a_deeply_nested_translation_is_only_text_to_the_reader():
    text = HEADER + f'msgid "a"\nmsgstr "{"<b>" * 200_000}"\n'

    [entry] = read_po(text)

    assert len(entry.msgstr) == 600_000


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_check_agrees_on_every_case(tmp_path):
    """Each file refused here is refused by ``msgfmt --check``, and each file accepted here is accepted by it."""
    cases = {**{name: text for name, (text, _message) in REFUSED.items()}, **REFUSED_WHOLE, **ACCEPTED}
    disagreements = []
    for number, (name, text) in enumerate(cases.items()):
        path = tmp_path / f"{number}.po"
        path.write_text(text, encoding="utf-8", newline="")
        checked = subprocess.run(
            [MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
        )
        try:
            read_po(text)
            refused = False
        except POSyntaxError:
            refused = True
        if refused != (checked.returncode != 0):
            disagreements.append((name, refused, checked.stderr))

    assert disagreements == []
