"""A language's PO files uploaded from the queue or given to import_locale: bad input changes nothing.

Every refusal names each problem (in the queue's messages, or on the command's error
output) and leaves the whole database and the media storage as they were.
tests/cms/test_po_locale.py proves the checks themselves on import_locale(); these tests
go through the two ways in that people use.
"""

import json
from io import StringIO

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from cms.localization.po import MANIFEST_NAME
from cms.localization.sync import sync_locale
from tests.cms.test_po_locale import (
    BOLD,
    book,
    chapter_file,
    entry_line,
    exported,
    po_names,
    read_zip,
    translate_po,
    with_source,
    write_zip,
)
from tests.cms.test_sync import revise
from tests.storage.test_uploads import stored_files

from .snapshot import database_snapshot

pytestmark = pytest.mark.django_db

__all__ = ["book"]

REJECTED = "Nothing was imported; fix these problems and upload again:"


def malformed(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = b'msgid "x"\nmsgstr "y"\nnot a PO line\n'
    return write_zip(members).getvalue(), [(name, "Malformed PO file, line 3: unknown keyword 'not'.")]


def not_a_zip(book, settings):
    return b"PK\x03\x04 but nothing of a zip after that", [("", "The file is not a valid zip archive.")]


def zip_bomb(book, settings):
    members = read_zip(exported())
    members["0000-bomb.po"] = b"#" * 5_000_000
    settings.BOOK_PO_IMPORT_MAX_BYTES = 1_000_000
    data = write_zip(members).getvalue()
    assert len(data) < settings.BOOK_PO_IMPORT_MAX_BYTES
    return data, [
        ("0000-bomb.po", "The file is 5000000 bytes once uncompressed; the limit is 1000000 bytes.")
    ]


def latin_1(book, settings):
    members = read_zip(exported())
    name = next(name for name in po_names(members) if "city" in name)
    translated = translate_po(members[name], {"Cannes": "Cannes, côte d'Azur"}).decode()
    members[name] = translated.encode("latin-1")
    position = translated.encode("utf-8").index("ô".encode())
    message = f"The file is not encoded in UTF-8 (invalid byte at position {position})."
    return write_zip(members).getvalue(), [(name, message)]


def utf_16(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = members[name].decode("utf-8").encode("utf-16")
    return write_zip(members).getvalue(), [
        (name, "The file is not encoded in UTF-8 (invalid byte at position 0).")
    ]


def another_locale(book, settings):
    english, spanish = read_zip(exported("en")), read_zip(exported("es"))
    name = chapter_file(english)
    english[name] = spanish[chapter_file(spanish)]
    return write_zip(english).getvalue(), [(name, "This file translates 'Le chapitre' into 'es', not 'en'.")]


def whole_export_of_another_locale(book, settings):
    members = read_zip(exported("es"))
    problems = [(MANIFEST_NAME, "This export is of the language 'es', not 'en'.")] + [
        (name, f"This file translates '{title}' into 'es', not 'en'.")
        for name, title in zip(po_names(members), ["Le chapitre", "Cannes"], strict=True)
    ]
    return write_zip(members).getvalue(), problems


def unknown_item(book, settings):
    members = read_zip(exported())
    members["extra.po"] = members[chapter_file(members)]
    return write_zip(members).getvalue(), [
        ("extra.po", "Unknown item: this file is not listed in the manifest.")
    ]


def deleted_item(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    po = polib.pofile(members[name].decode("utf-8"))
    po.metadata["X-WagtailLocalize-TranslationID"] = "00000000-0000-0000-0000-000000000000"
    members[name] = str(po).encode("utf-8")
    message = "Unknown item: no translation has this file's id (was it deleted?)."
    return write_zip(members).getvalue(), [(name, message)]


def stale_item(book, settings):
    chapter, _city = book
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"La deuxième phrase va changer.": "The second sentence."})
    revise(chapter)
    sync_locale("en")
    po = polib.pofile(members[name].decode("utf-8"))
    [entry] = [entry for entry in po if entry.msgid == "La deuxième phrase va changer."]
    message = (
        "Stale item: the source of 'Le chapitre' changed since this file was exported; 1 entries are no "
        f"longer in it (line {entry.linenum}, {entry.msgctxt}). Export the language again and carry your "
        "translations over."
    )
    return write_zip(members).getvalue(), [(name, message)]


def empty_archive(book, settings):
    return write_zip({}).getvalue(), [("", "The archive is empty: it holds no PO files.")]


def empty_po_file(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = b""
    return write_zip(members).getvalue(), [(name, "The file is empty.")]


def damaged_manifest(book, settings):
    members = read_zip(exported())
    manifest = json.loads(members[MANIFEST_NAME])
    manifest["items"][0]["exported"] = "not a record"
    members[MANIFEST_NAME] = json.dumps(manifest)
    message = "The manifest's record of what this file held when exported is damaged."
    return write_zip(members).getvalue(), [(manifest["items"][0]["file"], message)]


def over_the_limit(book, settings):
    data = exported().getvalue()
    settings.BOOK_PO_IMPORT_MAX_BYTES = len(data) - 1
    return data, [("", f"The file is {len(data)} bytes; the limit is {len(data) - 1} bytes.")]


def several_at_once(book, settings):
    members = read_zip(exported())
    chapter, city = po_names(members)
    members[chapter] = b'msgid "x"\nthis is not PO\n'
    members[city] = "Cannes, côte d'Azur".encode("utf-16")
    members["notes.txt"] = b"to do"
    return write_zip(members).getvalue(), [
        (chapter, "Malformed PO file, line 2: unknown keyword 'this'."),
        (city, "The file is not encoded in UTF-8 (invalid byte at position 0)."),
        ("notes.txt", "Unexpected file: a language export holds only PO files and its manifest."),
    ]


def deeply_nested_manifest(book, settings):
    members = read_zip(exported())
    members[MANIFEST_NAME] = "[" * 200_000 + "]" * 200_000
    return write_zip(members).getvalue(), [(MANIFEST_NAME, "The manifest is not valid JSON.")]


def unclosed_quote(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    text = translate_po(members[name], {"La deuxième phrase va changer.": "Field experiments."}).decode()
    members[name] = text.replace('msgstr "Field experiments."', 'msgstr "Field experiments.').encode()
    line = text.splitlines().index('msgstr "Field experiments."') + 1
    return write_zip(members).getvalue(), [(name, f"Malformed PO file, line {line}: unclosed quote.")]


def mistyped_msgid(book, settings):
    members = read_zip(exported())
    name = chapter_file(members)
    text = translate_po(members[name], {"Le chapitre": "The chapter, revised"}).decode()
    line = entry_line(text, "Le chapitre")
    members[name] = text.replace('msgid "Le chapitre"', 'msgid "Le chapitr"').encode()
    message = (
        "Unknown entries: 1 msgid are not texts of 'Le chapitre' and were not in the file when it was "
        f"exported (line {line}, 'Le chapitr'). A msgid must stay as exported: only msgstr is translated."
    )
    return write_zip(members).getvalue(), [(name, message)]


def markup_dropped(book, settings):
    members, name = with_source(book, BOLD)
    text = translate_po(members[name], {"Des <b>expériences</b> de terrain.": "Field experiments."}).decode()
    line = entry_line(text, "Des <b>expériences</b> de terrain.")
    members[name] = text.encode()
    message = f"Line {line}: the translation's markup does not match its source's: missing </b> <b>."
    return write_zip(members).getvalue(), [(name, message)]


# One item's PO file, as a row of the queue hands it out, and broken in the same ways.
PO_NAME = "chapterpage-le-chapitre-en.po"


def one_item(case):
    case.file_name = PO_NAME
    return case


def item_po(book, language="en"):
    from wagtail_localize.models import Translation

    from cms.localization.po import export_item
    from tests.cms.test_sync import source_of

    translation = Translation.objects.get(source=source_of(book[0]), target_locale__language_code=language)
    return export_item(translation)[1]


@one_item
def malformed_po(book, settings):
    return b'msgid "x"\nmsgstr "y"\nnot a PO line\n', [
        (PO_NAME, "Malformed PO file, line 3: unknown keyword 'not'.")
    ]


@one_item
def unclosed_quote_po(book, settings):
    text = item_po(book).decode()
    text = text.replace(
        'msgid "La deuxième phrase va changer."\nmsgstr ""',
        'msgid "La deuxième phrase va changer."\nmsgstr "Field experiments.',
    )
    line = text.splitlines().index('msgstr "Field experiments.') + 1
    return text.encode(), [(PO_NAME, f"Malformed PO file, line {line}: unclosed quote.")]


@one_item
def deeply_nested_po_header(book, settings):
    po = polib.pofile(item_po(book).decode("utf-8"))
    po.metadata["X-Book-Fingerprints"] = "[" * 200_000
    return str(po).encode("utf-8"), [(PO_NAME, "The file's record of what it held when exported is damaged.")]


@one_item
def po_without_its_fingerprints(book, settings):
    po = polib.pofile(item_po(book).decode("utf-8"))
    del po.metadata["X-Book-Fingerprints"]
    return str(po).encode("utf-8"), [
        (
            PO_NAME,
            "The file does not record what it held when exported (its header has no X-Book-Fingerprints), "
            "so the translations made in the admin since could be overwritten: download the item's PO file "
            "again and carry your translations over.",
        )
    ]


@one_item
def stale_po(book, settings):
    chapter, _city = book
    data = translate_po(item_po(book), {"La deuxième phrase va changer.": "The second sentence."})
    revise(chapter)
    sync_locale("en")
    line = entry_line(data.decode(), "La deuxième phrase va changer.")
    message = (
        "Stale item: the source of 'Le chapitre' changed since this file was exported; 1 entries are no "
        f"longer in it (line {line}, {_context_of(data, 'La deuxième phrase va changer.')}). Export the "
        "language again and carry your translations over."
    )
    return data, [(PO_NAME, message)]


@one_item
def conflicting_po(book, settings):
    from wagtail_localize.models import StringTranslation

    data = translate_po(item_po(book), {"Le chapitre": "The chapter, from the file"})
    StringTranslation.objects.filter(data="The chapter").update(data="The chapter, from the admin")
    line = entry_line(data.decode(), "Le chapitre")
    message = (
        f"Line {line} (title) was changed both in this file and in the admin since the export "
        "(now: 'The chapter, from the admin'); reconcile them and import again."
    )
    return data, [(PO_NAME, message)]


def _context_of(data, msgid):
    [entry] = [entry for entry in polib.pofile(data.decode("utf-8")) if entry.msgid == msgid]
    return entry.msgctxt


@one_item
def latin_1_po(book, settings):
    data = (
        translate_po(item_po(book), {"Le chapitre": "Le chapitre, côté anglais"}).decode().encode("latin-1")
    )
    position = data.index("ô".encode("latin-1"))
    return data, [(PO_NAME, f"The file is not encoded in UTF-8 (invalid byte at position {position}).")]


@one_item
def po_without_its_item(book, settings):
    po = polib.pofile(item_po(book).decode("utf-8"))
    del po.metadata["X-WagtailLocalize-TranslationID"]
    return str(po).encode("utf-8"), [
        (
            PO_NAME,
            "The file does not say which item it translates (its header has no "
            "X-WagtailLocalize-TranslationID): download the item's PO file from the queue again.",
        )
    ]


@one_item
def po_of_another_locale(book, settings):
    return item_po(book, "es"), [(PO_NAME, "This file translates 'Le chapitre' into 'es', not 'en'.")]


@one_item
def po_over_the_limit(book, settings):
    settings.BOOK_PO_IMPORT_MAX_BYTES = 64
    return item_po(book), [(PO_NAME, "The file exceeds the limit of 64 bytes.")]


BAD_UPLOADS = [
    malformed,
    not_a_zip,
    zip_bomb,
    latin_1,
    utf_16,
    another_locale,
    whole_export_of_another_locale,
    unknown_item,
    deleted_item,
    stale_item,
    empty_archive,
    empty_po_file,
    damaged_manifest,
    over_the_limit,
    several_at_once,
    deeply_nested_manifest,
    unclosed_quote,
    mistyped_msgid,
    markup_dropped,
    malformed_po,
    unclosed_quote_po,
    deeply_nested_po_header,
    po_without_its_fingerprints,
    stale_po,
    conflicting_po,
    latin_1_po,
    po_without_its_item,
    po_of_another_locale,
    po_over_the_limit,
]


def line(file, message):
    return f"{file}: {message}" if file else message


def upload(client, data, name="translations-en.zip"):
    return client.post(
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile(name, data, content_type="application/zip")},
        follow=True,
    )


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("bad_upload", BAD_UPLOADS, ids=lambda case: case.__name__.replace("_", "-"))
def test_the_queue_refuses_a_bad_upload_naming_every_problem(
    english_admin_client, book, settings, bad_upload
):
    data, problems = bad_upload(book, settings)
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before, files = database_snapshot(), stored_files()

    response = upload(english_admin_client, data, getattr(bad_upload, "file_name", "translations-en.zip"))

    assert response.redirect_chain == [(reverse("localization:queue", args=["en"]), 302)]
    assert response.status_code == 200
    assert shown_messages(response) == [REJECTED] + [line(file, message) for file, message in problems]
    page = response.content.decode()
    assert all(escape(line(file, message)) in page for file, message in problems)
    assert database_snapshot() == before
    assert stored_files() == files


@pytest.mark.parametrize("bad_upload", BAD_UPLOADS, ids=lambda case: case.__name__.replace("_", "-"))
def test_import_locale_refuses_a_bad_file_naming_every_problem(book, settings, tmp_path, bad_upload):
    data, problems = bad_upload(book, settings)
    path = tmp_path / getattr(bad_upload, "file_name", "en.zip")
    path.write_bytes(data)
    before, files = database_snapshot(), stored_files()
    stderr = StringIO()

    with pytest.raises(CommandError, match=f"nothing was changed: {len(problems)} problems"):
        call_command("import_locale", "en", str(path), stdout=StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == [line(file, message) for file, message in problems]
    assert database_snapshot() == before
    assert stored_files() == files


def test_the_queue_refuses_an_empty_file_and_says_so(english_admin_client, book):
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()

    response = upload(english_admin_client, b"")

    assert shown_messages(response) == [
        "Choose a zip of PO files, or one item's PO file, to upload.",
        "The submitted file is empty.",
    ]
    assert database_snapshot() == before


def test_import_locale_refuses_an_empty_file(book, tmp_path):
    path = tmp_path / "en.zip"
    path.write_bytes(b"")
    before = database_snapshot()
    stderr = StringIO()

    with pytest.raises(CommandError, match="nothing was changed: 1 problems"):
        call_command("import_locale", "en", str(path), stdout=StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == ["The file is not a valid zip archive."]
    assert database_snapshot() == before


def test_a_file_name_carrying_markup_is_shown_escaped_in_the_queue(english_admin_client, book):
    members = read_zip(exported())
    name = "<img src=x onerror=alert(1)>.po"
    members[name] = members[chapter_file(members)]
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()

    response = upload(english_admin_client, write_zip(members).getvalue())

    page = response.content.decode()
    assert name not in page
    assert escape(f"{name}: Unknown item: this file is not listed in the manifest.") in page
    assert database_snapshot() == before


def test_a_good_upload_through_the_queue_changes_the_database(english_admin_client, book):
    """The counterpart of the refusals: the snapshot does see what an import writes."""
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"La deuxième phrase va changer.": "The second sentence."})
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()

    response = upload(english_admin_client, write_zip(members).getvalue())

    assert shown_messages(response)[0].startswith("PO files imported: 1 new and 0 changed translations")
    after = database_snapshot()
    assert after != before
    assert any("The second sentence." in row for row in set(after) - set(before))


# wagtail-localize's translation editor has its own PO download and upload: they are the queue's.

EDITOR_UPLOADS = [
    case for case in BAD_UPLOADS if hasattr(case, "file_name") and case is not po_of_another_locale
]


def chapter_translation(book, language="en"):
    from wagtail_localize.models import Translation

    from tests.cms.test_sync import source_of

    return Translation.objects.get(source=source_of(book[0]), target_locale__language_code=language)


def upload_in_editor(client, translation, data, name=PO_NAME):
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {
            "file": SimpleUploadedFile(name, data, content_type="text/x-gettext-translation"),
            "next": reverse("localization:queue", args=["en"]),
        },
        follow=True,
    )


@pytest.mark.parametrize("bad_upload", EDITOR_UPLOADS, ids=lambda case: case.__name__.replace("_", "-"))
def test_the_translation_editors_upload_refuses_a_bad_file_like_the_queue(
    english_admin_client, book, settings, bad_upload
):
    data, problems = bad_upload(book, settings)
    translation = chapter_translation(book)
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before, files = database_snapshot(), stored_files()

    response = upload_in_editor(english_admin_client, translation, data)

    assert response.redirect_chain == [(reverse("localization:queue", args=["en"]), 302)]
    assert shown_messages(response) == [REJECTED] + [line(file, message) for file, message in problems]
    assert database_snapshot() == before
    assert stored_files() == files


def test_the_translation_editors_upload_refuses_22_megabytes(english_admin_client, book):
    data = item_po(book) + b"#" * (22 * 1024 * 1024)
    translation = chapter_translation(book)
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()

    response = upload_in_editor(english_admin_client, translation, data)

    assert shown_messages(response) == [REJECTED, f"{PO_NAME}: The file exceeds the limit of 20971520 bytes."]
    assert database_snapshot() == before


def test_the_translation_editors_upload_refuses_another_items_file(english_admin_client, book):
    from wagtail_localize.models import Translation

    city = Translation.objects.get(
        source__object_id=book[1].translation_key, target_locale__language_code="en"
    )
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()

    response = upload_in_editor(english_admin_client, city, item_po(book))

    assert shown_messages(response) == [
        REJECTED,
        f"{PO_NAME}: The file translates another item, not 'Cannes': download this item's PO file again.",
    ]
    assert database_snapshot() == before


def test_the_translation_editors_upload_applies_a_good_file(english_admin_client, book):
    from wagtail_localize.models import StringTranslation

    translation = chapter_translation(book)
    data = translate_po(item_po(book), {"La deuxième phrase va changer.": "The second sentence."})
    english_admin_client.get(reverse("localization:queue", args=["en"]))

    response = upload_in_editor(english_admin_client, translation, data)

    assert shown_messages(response) == ["PO file imported: 1 new and 0 changed translations in 1 items."]
    assert StringTranslation.objects.get(data="The second sentence.").tool_name == "PO File"


def test_the_translation_editors_download_is_the_queues_file(english_admin_client, book):
    translation = chapter_translation(book)

    response = english_admin_client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{PO_NAME}"'
    data = b"".join(response.streaming_content)
    po = polib.pofile(data.decode("utf-8"))
    assert po.metadata["X-Book-Fingerprints"]
    # The queue the upload returns to stores its sums on first read: read once, they are in the snapshot.
    english_admin_client.get(reverse("localization:queue", args=["en"]))
    before = database_snapshot()
    response = upload_in_editor(english_admin_client, translation, data)
    assert shown_messages(response) == ["PO file imported: 0 new and 0 changed translations in 0 items."]
    assert database_snapshot() == before


def test_a_translator_of_another_language_cannot_use_the_editors_po_routes(client, book):
    from tests.cms.localization_support import translator

    client.force_login(translator("es"))
    translation = chapter_translation(book)
    before = database_snapshot()

    uploaded = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": SimpleUploadedFile(PO_NAME, translate_po(item_po(book), {"Le chapitre": "Mine"}))},
    )
    downloaded = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))

    # The admin's answer to a permission denied: back to the dashboard, nothing served or written.
    assert [(response.status_code, response.url) for response in (uploaded, downloaded)] == [
        (302, reverse("wagtailadmin_home"))
    ] * 2
    assert database_snapshot() == before
