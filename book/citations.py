"""How a chapter is cited: its CSL-JSON, and the BibTeX, RIS and formatted text written from it.

``chapter_csl`` describes a chapter as one CSL-JSON item (type ``chapter``, in
the book of its language); every other form is written from that item alone,
so that the formats never disagree. The formatted text follows APA (7th
edition), with the terms of the French adaptation for French (« Dans », « dir. »,
« s. d. », « et ») and the English ones for every other language.

The chapter's address is given by the caller (``url``): the book knows its
pages, not the addresses readers reach them at. A DOI, when the chapter has
one, stands in its place.
"""

import json
import re
from dataclasses import dataclass

import bibtexparser
from anyascii import anyascii
from bibtexparser import model

from .models import ContributorRole

# The CSL name variable of each role a chapter credits; the roles not listed are left out.
CSL_ROLES = {
    ContributorRole.AUTHOR: "author",
    ContributorRole.CO_AUTHOR: "author",
    # An interview is cited under the name of the person interviewed.
    ContributorRole.INTERVIEWEE: "author",
    ContributorRole.INTERVIEWER: "interviewer",
    ContributorRole.TRANSLATOR: "translator",
    ContributorRole.ILLUSTRATOR: "illustrator",
}
DOI_RESOLVER = "https://doi.org/"

FORMATS = ("bibtex", "ris", "csl-json", "text")


@dataclass(frozen=True)
class Credit:
    """A contributor as the chapter credits them: the name shown, the name sorted, the role."""

    name: str
    sort_name: str
    role: str


def one_line(value):
    """Text as a citation holds it: on one line, without surrounding spaces."""
    return " ".join(str(value or "").split())


def csl_name(name, sort_name=""):
    """A CSL name: family and given names from "Family, Given", else the name as written
    (an institution, or a name in a single word)."""
    family, comma, given = one_line(sort_name).partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": one_line(name) or one_line(sort_name)}


def book_title(book, language):
    """The book's title with its subtitle, separated as the language writes a colon."""
    title, subtitle = one_line(book.title), one_line(book.subtitle)
    if not subtitle:
        return title
    separator = "\u00a0: " if language.lower().startswith("fr") else ": "
    return f"{title}{separator}{subtitle}"


def chapter_csl(chapter, book, credits, *, language, url=""):
    """The CSL-JSON item of ``chapter`` in ``language``.

    ``book`` is the book of the chapter's language (None when unknown);
    ``credits`` the chapter's contributors in order (``Credit``); ``url`` the
    chapter's public address, given when the chapter has no DOI.
    """
    item = {"id": "", "type": "chapter", "title": one_line(chapter.title)}
    for credit in credits:
        variable = CSL_ROLES.get(credit.role)
        if variable:
            item.setdefault(variable, []).append(csl_name(credit.name, credit.sort_name))
    if book is not None:
        item["container-title"] = book_title(book, language)
        editors = [csl_name(line, line) for line in (book.editors or "").splitlines() if line.strip()]
        if editors:
            item["editor"] = editors
        if one_line(book.publisher):
            item["publisher"] = one_line(book.publisher)
        if book.publication_date:
            date = book.publication_date
            item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
        if one_line(book.isbn):
            item["ISBN"] = one_line(book.isbn)
    item["language"] = language
    doi = one_line(getattr(chapter, "doi", ""))
    if doi:
        item["DOI"] = doi
    elif url:
        item["URL"] = url
    item["id"] = citation_key(item)
    return item


def year_of(item):
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return parts[0][0] if parts[0] else None


def citation_key(item):
    """A key such as ``fictif2025plateau``: first author, year, first long word of the title; ASCII."""

    def ascii_word(text):
        return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())

    names = item.get("author") or item.get("editor") or []
    first = names[0] if names else {}
    who = ascii_word(first.get("family") or (first.get("literal") or "").split(" ")[0])
    words = [ascii_word(word) for word in item.get("title", "").split()]
    what = next((word for word in words if len(word) >= 4), next((word for word in words if word), ""))
    return f"{who}{year_of(item) or ''}{what}" or "chapter"


# Formatted text (APA 7) ----------------------------------------------------------

TERMS = {
    "en": {"in": "In", "editor": "Ed.", "editors": "Eds.", "no_date": "n.d.", "and": "&", "serial": ","},
    "fr": {"in": "Dans", "editor": "dir.", "editors": "dir.", "no_date": "s. d.", "and": "et", "serial": ""},
}


def terms_for(language):
    return TERMS["fr"] if (language or "").lower().startswith("fr") else TERMS["en"]


def initials(given):
    """ "Jean-Baptiste" -> "J.-B.", "Ji-woo" -> "J.-W.", "Hugo Paul" -> "H. P."."""
    words = []
    for word in given.split():
        parts = [part for part in word.split("-") if part]
        words.append("-".join(f"{part[0].upper()}." for part in parts))
    return " ".join(words)


def inverted(name):
    """A name where APA lists authors: "Andrea, J.-B."."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {initials(name['given'])}"


def direct(name):
    """A name where APA lists editors: "J.-B. Andrea"."""
    if "literal" in name:
        return name["literal"]
    return f"{initials(name['given'])} {name['family']}"


def name_list(names, terms, *, serial):
    """Names joined as APA joins them, with the language's "and" before the last."""
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    if len(names) == 1:
        return names[0]
    comma = terms["serial"] if (serial or len(names) > 2) else ""
    return f"{', '.join(names[:-1])}{comma} {terms['and']} {names[-1]}"


def with_period(text):
    return text if text.endswith((".", "?", "!")) else f"{text}."


def as_text(item):
    """The reference of the chapter in APA style (7th edition), in the terms of its language."""
    terms = terms_for(item.get("language"))
    year = year_of(item)
    date = f"({year if year else terms['no_date']})."
    title = with_period(item.get("title", ""))
    authors = [inverted(name) for name in item.get("author", [])]
    # Without an author, APA puts the title first.
    parts = [with_period(name_list(authors, terms, serial=True)), date, title] if authors else [title, date]
    container = item.get("container-title")
    editors = [direct(name) for name in item.get("editor", [])]
    if container:
        if editors:
            role = terms["editors"] if len(editors) > 1 else terms["editor"]
            source = f"{terms['in']} {name_list(editors, terms, serial=False)} ({role}), {container}"
        else:
            source = f"{terms['in']} {container}"
        parts.append(with_period(source))
    publisher = item.get("publisher")
    # APA leaves out a publisher that is also the book's editor.
    if publisher and publisher not in editors:
        parts.append(with_period(publisher))
    if item.get("DOI"):
        parts.append(DOI_RESOLVER + item["DOI"])
    elif item.get("URL"):
        parts.append(item["URL"])
    return " ".join(parts)


# BibTeX ----------------------------------------------------------------------------

BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Characters a verbatim field (url, doi) cannot hold as they are.
VERBATIM_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C"}


def bibtex_text(value):
    """Text as a BibTeX field holds it: LaTeX's special characters escaped, the rest (UTF-8) as it is."""
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES.get(match.group(), "\\" + match.group()), value)


def bibtex_verbatim(value):
    return "".join(VERBATIM_ESCAPES.get(character, character) for character in value)


def bibtex_name(name):
    if "literal" in name:
        # Braced: BibTeX takes an institution's name whole, never as given and family names.
        return "{" + bibtex_text(name["literal"]) + "}"
    return f"{bibtex_text(name['family'])}, {bibtex_text(name['given'])}"


def bibtex_names(names):
    return " and ".join(bibtex_name(name) for name in names)


def as_bibtex(item):
    """The chapter as a BibTeX ``@incollection`` entry (biblatex fields for its date, language, DOI)."""
    fields = []

    def add(key, value):
        if value:
            fields.append(model.Field(key, value))

    add("author", bibtex_names(item.get("author", [])))
    add("title", bibtex_text(item.get("title", "")))
    add("booktitle", bibtex_text(item.get("container-title", "")))
    add("editor", bibtex_names(item.get("editor", [])))
    add("translator", bibtex_names(item.get("translator", [])))
    add("publisher", bibtex_text(item.get("publisher", "")))
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        add("year", str(parts[0][0]))
        add("date", "-".join(f"{part:02d}" for part in parts[0]))
    add("language", bibtex_text(item.get("language", "")))
    add("isbn", bibtex_text(item.get("ISBN", "")))
    add("doi", bibtex_verbatim(item.get("DOI", "")))
    add("url", bibtex_verbatim(item.get("URL", "")))
    library = bibtexparser.Library([model.Entry("incollection", item["id"], fields)])
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    return bibtexparser.write_string(library, bibtex_format=layout)


# RIS ---------------------------------------------------------------------------------


def ris_name(name):
    return name.get("literal") or f"{name['family']}, {name['given']}"


def as_ris(item):
    """The chapter as a RIS record (type CHAP), lines ending in CRLF as the format asks."""
    lines = [("TY", "CHAP")]
    lines += [("AU", ris_name(name)) for name in item.get("author", [])]
    lines += [("ED", ris_name(name)) for name in item.get("editor", [])]
    lines.append(("TI", item.get("title", "")))
    lines.append(("T2", item.get("container-title", "")))
    lines.append(("PB", item.get("publisher", "")))
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        lines.append(("PY", str(parts[0][0])))
        lines.append(("DA", "/".join(f"{part:02d}" for part in parts[0])))
    lines.append(("LA", item.get("language", "")))
    lines.append(("SN", item.get("ISBN", "")))
    lines.append(("DO", item.get("DOI", "")))
    lines.append(("UR", item.get("URL", "")))
    record = [f"{tag}  - {value}" for tag, value in lines if value]
    record.append("ER  - ")
    return "\r\n".join(record) + "\r\n"


def as_csl_json(item):
    """A CSL-JSON document: the list of items, here one."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


WRITERS = {
    "bibtex": as_bibtex,
    "ris": as_ris,
    "csl-json": as_csl_json,
    "text": lambda item: as_text(item) + "\n",
}


def write(item, format):
    """The CSL-JSON ``item`` written in one of ``FORMATS``."""
    return WRITERS[format](item)
