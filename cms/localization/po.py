"""A whole locale as one zip of PO files, or one item as one PO file, for translators who work offline.

The export holds one PO file per item translated into the locale (wagtail-localize's own
PO, carrying the translation's id) and a ``manifest.json`` naming the locale and, for each
file, the item it translates. The import reads such a zip back. One item's PO file, as the
queue hands it out, carries in its own header what the manifest would say of it (the
translation's id, and the fingerprints below), and is imported the same way. It checks everything
first: the archive (size, member names, zip bombs), the manifest, and every file (encoding,
syntax as strictly as ``msgfmt --check``, see :mod:`.pofile`; the item it belongs to and its
locale; every entry against the item's current source, a msgid the source no longer has
being stale and one the file was never exported with unknown; the markup of every
translation, which must carry its source's tags). Any problem rejects the whole import,
nothing is written and every problem is reported with its file; otherwise all of it is
applied in one transaction and the report says what changed.

Entries marked fuzzy (by Poedit and the gettext tools, a translation the translator is
unsure of) and empty entries are not imported, and an import never deletes a translation.
The manifest keeps a fingerprint of each exported translation, by entry (several entries
share a context: the paragraphs of one text), so an entry the translator left as it was
never undoes an edit made in the admin since the export, and an entry changed on both
sides is reported as a conflict instead of being overwritten. A single PO file without
these fingerprints is refused.
"""

import hashlib
import io
import json
import posixpath
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import polib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.strings import StringValue, validate_translation_links

from .coverage import reviews_of, under_review_message
from .pofile import POSyntaxError, read_po
from .sync import target_locale

MANIFEST_NAME = "manifest.json"
# The header of a single item's PO file that holds the fingerprints a manifest keeps.
FINGERPRINTS_HEADER = "X-Book-Fingerprints"
# What files exported before the fingerprints named each entry carried instead.
OLD_FINGERPRINTS_HEADER = "X-Book-Exported"
ID_HEADER = "X-WagtailLocalize-TranslationID"
FORMAT_NAME = "book-locale-po"
# Version 2: the fingerprints are keyed by entry (context and source text), not by context.
FORMAT_VERSION = 2
# wagtail-localize labels translations imported from PO files with this tool name.
TOOL_NAME = "PO File"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 10_000
# Entries quoted in a stale-file problem, so that a long list stays readable.
QUOTED_ENTRIES = 3
# How much of a text a problem quotes.
QUOTED_CHARS = 60


def max_import_bytes():
    """The largest upload, and the largest uncompressed content, an import accepts."""
    return getattr(settings, "BOOK_PO_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _translations_into(locale):
    """The enabled translations of the source language's items into ``locale``, with what exports read."""
    return Translation.objects.filter(
        target_locale=target_locale(locale),
        enabled=True,
        source__locale__language_code=settings.BOOK_SOURCE_LANGUAGE,
    ).select_related("source", "source__specific_content_type", "target_locale")


def locale_translations(locale):
    """The enabled translations into ``locale``, pages in tree order first, then snippets by name."""
    translations = list(_translations_into(locale))
    paths = dict(
        Page.objects.filter(
            locale__language_code=settings.BOOK_SOURCE_LANGUAGE,
            translation_key__in=[translation.source.object_id for translation in translations],
        ).values_list("translation_key", "path")
    )

    def position(translation):
        path = paths.get(translation.source.object_id)
        model = translation.source.specific_content_type.model
        return (path is None, path or model, translation.source.object_repr, translation.pk)

    return sorted(translations, key=position)


def _digest(text):
    """A short fingerprint of a translation, so that the manifest can tell what a file held when exported."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _entry_key(context, source):
    """The fingerprint naming one entry: a context holds several entries (one per paragraph of a rich text)."""
    return _digest(f"{context or ''}\x04{source}")


def _item_name(translation):
    model = translation.source.specific_content_type.model
    name = slugify(translation.source.object_repr)[:60].strip("-") or "item"
    return f"{model}-{name}"


def _file_name(position, translation):
    return f"{position:04d}-{_item_name(translation)}.po"


def _export_po(translation, locale):
    """The item's PO file for ``locale``, and the fingerprint of each of its translations as exported."""
    po = translation.export_po()
    po.metadata["Language"] = locale.language_code
    exported = {
        _entry_key(entry.msgctxt, entry.msgid): _digest(entry.msgstr) for entry in po if not entry.obsolete
    }
    return po, exported


def item_translation(locale, key):
    """The enabled translation into ``locale`` of the source item whose translation key is ``key``, or None."""
    return _translations_into(locale).filter(source__object_id=key).first()


def export_item(translation):
    """One item's PO file: returns its file name and its content, in UTF-8."""
    locale = translation.target_locale
    po, exported = _export_po(translation, locale)
    po.metadata[FINGERPRINTS_HEADER] = json.dumps(exported, separators=(",", ":"))
    return f"{_item_name(translation)}-{locale.language_code}.po", str(po).encode("utf-8")


def export_locale(locale, fileobj, progress=None):
    """Writes the zip of ``locale`` to the binary file ``fileobj``; returns the manifest written.

    ``progress`` works as in :func:`cms.localization.sync.sync_locale`.
    """
    locale = target_locale(locale)
    translations = locale_translations(locale)
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "source_locale": settings.BOOK_SOURCE_LANGUAGE,
        "locale": locale.language_code,
        "exported_at": timezone.now().isoformat(),
        "items": [],
    }
    bar = (
        progress(_("Export %(locale)s") % {"locale": locale.language_code}, len(translations))
        if progress
        else None
    )
    try:
        with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for position, translation in enumerate(translations, start=1):
                name = _file_name(position, translation)
                po, exported = _export_po(translation, locale)
                archive.writestr(name, str(po).encode("utf-8"))
                manifest["items"].append(
                    {
                        "file": name,
                        "translation": str(translation.uuid),
                        "object": str(translation.source.object_id),
                        "model": translation.source.specific_content_type.model,
                        "title": translation.source.object_repr,
                        "source_updated_at": translation.source.last_updated_at.isoformat(),
                        "exported": exported,
                    }
                )
                if bar:
                    bar.update()
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2))
    finally:
        if bar:
            bar.close()
    return manifest


@dataclass(frozen=True)
class Problem:
    """Why an import was rejected, and the file of the zip it concerns (empty for the zip itself)."""

    file: str
    message: str

    def __str__(self):
        return f"{self.file}: {self.message}" if self.file else self.message


class ImportRejected(Exception):
    """An import found problems and applied nothing; ``problems`` lists every one of them."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class ChangedEntry:
    context: str
    source: str
    old: str
    new: str


@dataclass
class ImportedItem:
    """What an import changes in one item's translation."""

    file: str
    translation: Translation
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    fuzzy: int = 0

    @property
    def title(self):
        return self.translation.source.object_repr

    @property
    def changed(self):
        return self.created + self.updated


@dataclass
class ImportReport:
    locale: object
    items: list = field(default_factory=list)

    @property
    def changed_items(self):
        return [item for item in self.items if item.changed]

    @property
    def created(self):
        return sum(len(item.created) for item in self.items)

    @property
    def updated(self):
        return sum(len(item.updated) for item in self.items)

    def summary(self):
        return _("%(created)s new and %(updated)s changed translations in %(items)s items.") % {
            "created": self.created,
            "updated": self.updated,
            "items": len(self.changed_items),
        }


def _unsafe_name(name):
    """Whether a member name could point outside the folder it is extracted to."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    if len(name) > 1 and name[1] == ":":
        return True
    return any(part == ".." for part in name.split("/"))


def _ignored(name):
    """Members that file archivers add on their own (folders, macOS resource forks, compiled catalogs)."""
    base = posixpath.basename(name)
    return name.endswith("/") or name.startswith("__MACOSX/") or base.startswith("._") or base.endswith(".mo")


def _load_json(text):
    """The JSON value in ``text``, or None when it is not JSON (or nested too deep to read)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _is_record(value):
    """Whether ``value`` is a record of fingerprints as an export writes it."""
    return isinstance(value, dict) and all(isinstance(digest, str) for digest in value.values())


def _shown(value):
    """A value read from an upload, made safe and short enough to quote in a problem."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return "?"
    text = str(value)
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"


class _Tags(HTMLParser):
    """The tags of a text, opening and closing, counted."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[f"<{tag}>"] += 1

    def handle_startendtag(self, tag, attrs):
        self.tags[f"<{tag}/>"] += 1

    def handle_endtag(self, tag):
        self.tags[f"</{tag}>"] += 1


def _markup_difference(source, translation):
    """The tags the translation lacks and those it adds, compared with its source (in any order)."""
    expected, found = _Tags(source).tags, _Tags(translation).tags
    return sorted((expected - found).elements()), sorted((found - expected).elements())


class MarkupMismatch(ValueError):
    """A translation whose tags are not its source's; ``details`` names those missing and those added."""

    def __init__(self, details):
        super().__init__(details)
        self.details = details


def check_translation_markup(source, translation):
    """Raises ``MarkupMismatch`` when the translation lacks or adds tags of its source (``<b>``, a link...),
    ``ValueError`` when its markup is otherwise invalid (a link that is not the source's).

    The same check for every way a segment is translated: PO files and the translation editor.
    """
    missing, unexpected = _markup_difference(source, translation)
    if missing or unexpected:
        details = []
        if missing:
            details.append(_("missing %(tags)s") % {"tags": " ".join(missing)})
        if unexpected:
            details.append(_("unexpected %(tags)s") % {"tags": " ".join(unexpected)})
        raise MarkupMismatch("; ".join(details))
    StringValue.from_translated_html(translation)
    validate_translation_links(source, translation)


def _language_differs(header, language_code):
    """Whether a PO ``Language`` header names another language ('en_GB' is still 'en')."""
    if not header:
        return False
    return header.replace("_", "-").split("-")[0].lower() != language_code.split("-")[0].lower()


@dataclass
class _PendingFile:
    name: str
    po: polib.POFile
    manifest_item: dict


class _ImportValidator:
    def __init__(self, locale, translation=None):
        self.locale = locale
        # When set, the only item the file may translate (an upload from its translation editor).
        self.translation = translation
        self.limit = max_import_bytes()
        self.problems = []

    def problem(self, file, message):
        self.problems.append(Problem(file, message))

    def validate(self, fileobj):
        """The items the import would change, or ``ImportRejected`` listing every problem."""
        archive = self.open_archive(fileobj)
        if archive is None:
            raise ImportRejected(self.problems)
        with archive:
            members = self.check_members(archive)
            manifest = self.read_manifest(archive, members)
            files = self.read_po_files(archive, members, manifest)
        items = self.check_items(files)
        if self.problems:
            raise ImportRejected(self.problems)
        return items

    def validate_po(self, fileobj, name):
        """Like :meth:`validate`, for one item's PO file: its header says which item it translates."""
        data = fileobj.read(self.limit + 1)
        if len(data) > self.limit:
            self.problem(name, _("The file exceeds the limit of %(limit)s bytes.") % {"limit": self.limit})
            raise ImportRejected(self.problems)
        text = self.decode(name, data)
        po = self.parse(name, text) if text is not None else None
        if po is None:
            raise ImportRejected(self.problems)
        declared = po.metadata.get(ID_HEADER)
        if not declared:
            self.problem(
                name,
                _(
                    "The file does not say which item it translates (its header has no %(header)s): "
                    "download the item's PO file from the queue again."
                )
                % {"header": ID_HEADER},
            )
            raise ImportRejected(self.problems)
        if self.translation is not None and declared != str(self.translation.uuid):
            self.problem(
                name,
                _("The file translates another item, not '%(item)s': download this item's PO file again.")
                % {"item": self.translation.source.object_repr},
            )
            raise ImportRejected(self.problems)
        record = po.metadata.get(FINGERPRINTS_HEADER)
        if record is None:
            # Without it, an entry changed both in the file and in the admin could not be told apart.
            self.problem(
                name,
                _(
                    "The file does not record what it held when exported (its header has no %(header)s), "
                    "so the translations made in the admin since could be overwritten: download the "
                    "item's PO file again and carry your translations over."
                )
                % {"header": FINGERPRINTS_HEADER},
            )
            raise ImportRejected(self.problems)
        exported = _load_json(record)
        if not _is_record(exported):
            self.problem(name, _("The file's record of what it held when exported is damaged."))
            raise ImportRejected(self.problems)
        items = self.check_items([_PendingFile(name, po, {"translation": declared, "exported": exported})])
        if self.problems:
            raise ImportRejected(self.problems)
        return items

    def open_archive(self, fileobj):
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
        if size > self.limit:
            self.problem(
                "",
                _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": size, "limit": self.limit},
            )
            return None
        try:
            archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
            self.problem("", _("The file is not a valid zip archive."))
            return None
        if len(archive.infolist()) > MAX_MEMBERS:
            archive.close()
            self.problem("", _("The archive holds more than %(count)s files.") % {"count": MAX_MEMBERS})
            return None
        return archive

    def check_members(self, archive):
        """The members worth reading, by name, once their names and declared sizes are checked."""
        members = {}
        total = 0
        for info in archive.infolist():
            name = info.filename
            if _unsafe_name(name):
                self.problem(name, _("Unsafe file name: it points outside the archive's folder."))
                continue
            if _ignored(name):
                continue
            if name in members:
                self.problem(name, _("The archive holds this file twice."))
                continue
            if info.file_size > self.limit:
                self.problem(
                    name,
                    _("The file is %(size)s bytes once uncompressed; the limit is %(limit)s bytes.")
                    % {"size": info.file_size, "limit": self.limit},
                )
                continue
            total += info.file_size
            members[name] = info
        if total > self.limit:
            self.problem(
                "",
                _("The archive's content is %(size)s bytes once uncompressed; the limit is %(limit)s bytes.")
                % {"size": total, "limit": self.limit},
            )
            return {}
        if not members and not self.problems:
            self.problem("", _("The archive is empty: it holds no PO files."))
        return members

    def read_text(self, archive, info):
        # A member may declare a smaller size than it inflates to; reading one byte past
        # the limit is enough to tell, without inflating a zip bomb.
        try:
            with archive.open(info) as handle:
                data = handle.read(self.limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            self.problem(info.filename, _("The file cannot be read from the archive (damaged or encrypted)."))
            return None
        if len(data) > self.limit:
            self.problem(
                info.filename, _("The file exceeds the limit of %(limit)s bytes.") % {"limit": self.limit}
            )
            return None
        return self.decode(info.filename, data)

    def decode(self, name, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(
                name,
                _("The file is not encoded in UTF-8 (invalid byte at position %(position)s).")
                % {"position": error.start},
            )
            return None
        return text.removeprefix("\ufeff")

    def parse(self, name, text):
        """The PO file in ``text``, or None once the problem is recorded."""
        if not text.strip():
            self.problem(name, _("The file is empty."))
            return None
        try:
            return read_po(text)
        except POSyntaxError as error:
            self.problem(name, error.message)
            return None

    def read_manifest(self, archive, members):
        """The manifest's items by file name; None when there is no usable manifest (already reported)."""
        info = members.get(MANIFEST_NAME)
        if info is None:
            if members:
                self.problem(
                    MANIFEST_NAME, _("The archive has no manifest: it is not an export of a whole language.")
                )
            return None
        text = self.read_text(archive, info)
        if text is None:
            return None
        manifest = _load_json(text)
        if manifest is None:
            self.problem(MANIFEST_NAME, _("The manifest is not valid JSON."))
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
            self.problem(MANIFEST_NAME, _("The manifest is not one of a language export."))
            return None
        if manifest.get("version") != FORMAT_VERSION:
            self.problem(
                MANIFEST_NAME,
                _("Unsupported export version %(version)s: export the language again.")
                % {"version": _shown(manifest.get("version"))},
            )
            return None
        if manifest.get("locale") != self.locale.language_code:
            self.problem(
                MANIFEST_NAME,
                _("This export is of the language '%(exported)s', not '%(locale)s'.")
                % {"exported": _shown(manifest.get("locale")), "locale": self.locale.language_code},
            )
        listed = manifest.get("items")
        if not isinstance(listed, list):
            self.problem(MANIFEST_NAME, _("The manifest does not list the items of the export."))
            return None
        items = {}
        for item in listed:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("file"), str)
                or not isinstance(item.get("translation"), str)
            ):
                self.problem(MANIFEST_NAME, _("The manifest lists an item without a file or a translation."))
                continue
            if not _is_record(item.get("exported")):
                self.problem(
                    item["file"], _("The manifest's record of what this file held when exported is damaged.")
                )
                # Listed, but unusable: its file is not reported again as an unknown item.
                items[item["file"]] = None
                continue
            items[item["file"]] = item
        return items

    def read_po_files(self, archive, members, manifest):
        files = []
        for name, info in members.items():
            if name == MANIFEST_NAME:
                continue
            if not name.endswith(".po"):
                self.problem(
                    name, _("Unexpected file: a language export holds only PO files and its manifest.")
                )
                continue
            text = self.read_text(archive, info)
            po = self.parse(name, text) if text is not None else None
            if po is None or manifest is None:
                # Without a manifest, the files are still checked, but not reported as unknown one by one.
                continue
            if name not in manifest:
                self.problem(name, _("Unknown item: this file is not listed in the manifest."))
                continue
            if manifest[name] is None:
                continue
            files.append(_PendingFile(name, po, manifest[name]))
        return files

    def check_items(self, files):
        ids = {}
        for pending in files:
            # The file's own header says which translation it holds; the manifest is the fallback.
            declared = pending.po.metadata.get(ID_HEADER)
            try:
                ids[pending.name] = uuid.UUID(declared or str(pending.manifest_item["translation"]))
            except ValueError:
                self.problem(pending.name, _("Unknown item: the file's translation id is not valid."))
        translations = Translation.objects.filter(uuid__in=ids.values()).select_related(
            "source", "target_locale", "source__specific_content_type"
        )
        by_uuid = {translation.uuid: translation for translation in translations}
        # An item awaiting review is frozen until the reviewers decide (see .coverage).
        reviews = reviews_of(by_uuid.values())
        seen = {}
        items = []
        for pending in files:
            if pending.name not in ids:
                continue
            translation = by_uuid.get(ids[pending.name])
            if translation is None:
                self.problem(
                    pending.name, _("Unknown item: no translation has this file's id (was it deleted?).")
                )
                continue
            if translation.target_locale_id != self.locale.pk:
                self.problem(
                    pending.name,
                    _("This file translates '%(item)s' into '%(language)s', not '%(locale)s'.")
                    % {
                        "item": translation.source.object_repr,
                        "language": translation.target_locale.language_code,
                        "locale": self.locale.language_code,
                    },
                )
                continue
            if not translation.enabled:
                self.problem(
                    pending.name,
                    _("The translation of '%(item)s' is no longer synchronised: it is edited directly.")
                    % {"item": translation.source.object_repr},
                )
                continue
            if translation.pk in reviews:
                self.problem(
                    pending.name,
                    under_review_message(translation.source.object_repr, reviews[translation.pk]),
                )
                continue
            if str(translation.uuid) != str(pending.manifest_item["translation"]):
                self.problem(pending.name, _("The file's translation id does not match the manifest."))
                continue
            if translation.pk in seen:
                self.problem(
                    pending.name,
                    _("Translates the same item as %(other)s.") % {"other": seen[translation.pk]},
                )
                continue
            seen[translation.pk] = pending.name
            if _language_differs(pending.po.metadata.get("Language"), self.locale.language_code):
                self.problem(
                    pending.name,
                    _("The file is marked as language '%(language)s', not '%(locale)s'.")
                    % {"language": pending.po.metadata["Language"], "locale": self.locale.language_code},
                )
                continue
            item = self.check_entries(pending, translation)
            if item is not None:
                items.append(item)
        return items

    def check_entries(self, pending, translation):
        segments = {
            (context, text): (string_id, context_id)
            for context, text, string_id, context_id in StringSegment.objects.filter(
                source=translation.source
            ).values_list("context__path", "string__data", "string_id", "context_id")
        }
        existing = {
            (row.translation_of_id, row.context_id): row.data
            for row in StringTranslation.objects.filter(
                locale=self.locale, context__object_id=translation.source.object_id
            ).only("translation_of_id", "context_id", "data")
        }
        record = pending.manifest_item.get("exported") or {}
        item = ImportedItem(file=pending.name, translation=translation)
        stale, unknown = [], []
        ok = True
        for entry in pending.po:
            if entry.obsolete:
                continue
            fingerprint = _entry_key(entry.msgctxt, entry.msgid)
            if (entry.msgctxt, entry.msgid) not in segments:
                # Exported so, the source has changed since; never exported so, it was edited or added by hand.
                (stale if fingerprint in record else unknown).append(entry)
                continue
            if not entry.msgstr:
                continue
            if entry.fuzzy:
                item.fuzzy += 1
                continue
            if not self.check_markup(pending.name, entry):
                ok = False
                continue
            old = existing.get(segments[(entry.msgctxt, entry.msgid)])
            if old == entry.msgstr:
                # Already so in the admin (an import applied twice, or the same edit made on both sides).
                item.unchanged += 1
                continue
            at_export = record.get(fingerprint)
            if at_export is not None:
                if _digest(entry.msgstr) == at_export:
                    # Left as exported: whatever was translated in the admin since then stays.
                    item.unchanged += 1
                    continue
                if _digest(old or "") != at_export:
                    self.problem(
                        pending.name,
                        _(
                            "Line %(line)s (%(context)s) was changed both in this file and in the admin "
                            "since the export (now: '%(current)s'); reconcile them and import again."
                        )
                        % {"line": entry.linenum, "context": entry.msgctxt, "current": old or ""},
                    )
                    ok = False
                    continue
            change = ChangedEntry(context=entry.msgctxt, source=entry.msgid, old=old or "", new=entry.msgstr)
            if old is None:
                item.created.append(change)
            else:
                item.updated.append(change)
        if unknown:
            quoted = "; ".join(
                _("line %(line)s, '%(source)s'") % {"line": entry.linenum, "source": _shown(entry.msgid)}
                for entry in unknown[:QUOTED_ENTRIES]
            )
            self.problem(
                pending.name,
                _(
                    "Unknown entries: %(count)s msgid are not texts of '%(item)s' and were not in the file "
                    "when it was exported (%(entries)s). A msgid must stay as exported: only msgstr is "
                    "translated."
                )
                % {"item": translation.source.object_repr, "count": len(unknown), "entries": quoted},
            )
            ok = False
        if stale:
            quoted = "; ".join(
                _("line %(line)s, %(context)s") % {"line": entry.linenum, "context": entry.msgctxt}
                for entry in stale[:QUOTED_ENTRIES]
            )
            self.problem(
                pending.name,
                _(
                    "Stale item: the source of '%(item)s' changed since this file was exported; "
                    "%(count)s entries are no longer in it (%(entries)s). Export the language again "
                    "and carry your translations over."
                )
                % {"item": translation.source.object_repr, "count": len(stale), "entries": quoted},
            )
            ok = False
        return item if ok else None

    def check_markup(self, name, entry):
        """Whether the translation's markup is the source's (same tags, valid links); else records why."""
        try:
            check_translation_markup(entry.msgid, entry.msgstr)
        except MarkupMismatch as mismatch:
            self.problem(
                name,
                _("Line %(line)s: the translation's markup does not match its source's: %(details)s.")
                % {"line": entry.linenum, "details": mismatch.details},
            )
            return False
        except ValueError as error:
            self.problem(
                name,
                _("Line %(line)s: the translation's markup is invalid: %(error)s")
                % {"line": entry.linenum, "error": error},
            )
            return False
        return True


def _apply(item, user):
    po = polib.POFile()
    po.metadata = {ID_HEADER: str(item.translation.uuid)}
    for change in item.changed:
        po.append(polib.POEntry(msgctxt=change.context, msgid=change.source, msgstr=change.new))
    warnings = item.translation.import_po(po, user=user, tool_name=TOOL_NAME)
    if warnings:
        # The source changed between the checks and now: give up on everything.
        raise ImportRejected(
            [
                Problem(
                    item.file, _("The source of '%(item)s' changed during the import.") % {"item": item.title}
                )
            ]
        )


def import_locale(locale, fileobj, user=None, progress=None, name="", translation=None):
    """Imports a zip made by :func:`export_locale` into ``locale``: all of it, or nothing.

    A file whose ``name`` ends in ``.po`` is one item's PO file, as :func:`export_item`
    makes it, and is imported the same way; so is any file when ``translation`` is given,
    and then it must be that translation's.
    Raises ``ImportRejected`` with every problem found; otherwise returns an ``ImportReport``.
    ``progress`` works as in :func:`cms.localization.sync.sync_locale`.
    """
    locale = target_locale(locale)
    validator = _ImportValidator(locale, translation)
    if translation is not None or name.lower().endswith(".po"):
        items = validator.validate_po(fileobj, posixpath.basename(name) or "item.po")
    else:
        items = validator.validate(fileobj)
    report = ImportReport(locale=locale, items=items)
    changed = report.changed_items
    bar = (
        progress(_("Import %(locale)s") % {"locale": locale.language_code}, len(changed))
        if progress
        else None
    )
    try:
        with transaction.atomic():
            for item in changed:
                _apply(item, user)
                if bar:
                    bar.update()
    finally:
        if bar:
            bar.close()
    return report
