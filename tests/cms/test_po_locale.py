"""A whole locale as PO files: export, offline translation, and an import that is all or nothing."""

import io
import json
import zipfile
from io import StringIO

import polib
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from cms.localization.po import MANIFEST_NAME, ImportRejected, export_item, export_locale, import_locale
from cms.localization.sync import sync_locale

from .test_sync import FIRST, SECOND, revise, source_of, translate, translated_book, translation_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the messages in English; the project's default language is French."""
    with translation.override("en"):
        yield


@pytest.fixture
def book():
    chapter, city = translated_book("en", "es")
    english = Locale.objects.get(language_code="en")
    translate(source_of(chapter), english, "Le chapitre", "The chapter")
    return chapter, city


def exported(locale="en"):
    buffer = io.BytesIO()
    export_locale(locale, buffer)
    buffer.seek(0)
    return buffer


def read_zip(buffer):
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def po_names(members):
    return sorted(name for name in members if name.endswith(".po"))


def chapter_file(members):
    return next(name for name in po_names(members) if "chapterpage" in name)


def translate_po(data, translations):
    """What a translator does in a PO editor: fills in msgstr for the msgids given."""
    po = polib.pofile(data.decode("utf-8"))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
    return str(po).encode("utf-8")


def rejected_problems(buffer, locale="en"):
    before = translation_rows()
    with pytest.raises(ImportRejected) as rejected:
        import_locale(locale, buffer)
    assert translation_rows() == before, "a rejected import changed the database"
    return [(problem.file, problem.message) for problem in rejected.value.problems]


def test_export_has_one_po_per_translated_item_and_a_manifest(book):
    members = read_zip(exported())

    manifest = json.loads(members[MANIFEST_NAME])
    assert manifest["locale"] == "en"
    assert manifest["source_locale"] == "fr"
    assert [item["title"] for item in manifest["items"]] == ["Le chapitre", "Cannes"]
    assert sorted(item["file"] for item in manifest["items"]) == po_names(members)
    chapter_po = polib.pofile(members[chapter_file(members)].decode("utf-8"))
    translation = Translation.objects.get(source=source_of(book[0]), target_locale__language_code="en")
    assert chapter_po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    assert chapter_po.metadata["Language"] == "en"
    assert {entry.msgid: entry.msgstr for entry in chapter_po} == {
        "Le chapitre": "The chapter",
        "le-chapitre": "",
        "La première phrase reste la même.": "",
        "La deuxième phrase va changer.": "",
    }


def test_round_trip_applies_the_translations_and_reports_what_changed(book):
    chapter, _city = book
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(
        members[name],
        {
            "Le chapitre": "The chapter, revised",
            "La première phrase reste la même.": "The first sentence stays the same.",
        },
    )

    report = import_locale("en", write_zip(members))

    english = Locale.objects.get(language_code="en")
    translation = Translation.objects.get(source=source_of(chapter), target_locale=english)
    assert translation.get_progress() == (4, 2)
    stored = dict(
        StringTranslation.objects.filter(locale=english).values_list("translation_of__data", "data")
    )
    assert stored["Le chapitre"] == "The chapter, revised"
    assert stored["La première phrase reste la même."] == "The first sentence stays the same."
    assert StringTranslation.objects.get(data="The first sentence stays the same.").tool_name == "PO File"
    [item] = report.changed_items
    assert item.file == name
    assert [(change.source, change.new) for change in item.created] == [
        ("La première phrase reste la même.", "The first sentence stays the same.")
    ]
    assert [(change.old, change.new) for change in item.updated] == [("The chapter", "The chapter, revised")]
    assert (report.created, report.updated) == (1, 1)


def test_importing_an_untouched_export_changes_nothing(book):
    before = translation_rows()

    report = import_locale("en", exported())

    assert report.changed_items == []
    assert translation_rows() == before


def test_fuzzy_and_empty_entries_are_not_imported(book):
    members = read_zip(exported())
    name = chapter_file(members)
    po = polib.pofile(members[name].decode("utf-8"))
    for entry in po:
        if entry.msgid == "La première phrase reste la même.":
            entry.msgstr = "A guess."
            entry.flags.append("fuzzy")
        if entry.msgid == "Le chapitre":
            entry.msgstr = ""
    members[name] = str(po).encode("utf-8")

    report = import_locale("en", write_zip(members))

    assert report.changed_items == []
    assert [item.fuzzy for item in report.items if item.file == name] == [1]
    assert StringTranslation.objects.filter(data="The chapter").exists()
    assert not StringTranslation.objects.filter(data="A guess.").exists()


def test_import_into_another_locale_is_rejected(book):
    problems = rejected_problems(exported("en"), locale="es")

    files = {file for file, _message in problems}
    assert MANIFEST_NAME in files
    assert any("not 'es'" in message for file, message in problems if file.endswith(".po"))


def test_po_of_another_locale_slipped_into_the_zip_is_rejected(book):
    english = read_zip(exported("en"))
    spanish = read_zip(exported("es"))
    name = chapter_file(english)
    english[name] = spanish[chapter_file(spanish)]

    problems = rejected_problems(write_zip(english))

    assert any(file == name and "into 'es', not 'en'" in message for file, message in problems)


def test_unknown_items_are_rejected(book):
    members = read_zip(exported())
    members["extra.po"] = members[chapter_file(members)]
    manifest = json.loads(members[MANIFEST_NAME])
    manifest["items"][1]["translation"] = "00000000-0000-0000-0000-000000000000"
    members[MANIFEST_NAME] = json.dumps(manifest)
    city_file = manifest["items"][1]["file"]
    po = polib.pofile(members[city_file].decode("utf-8"))
    del po.metadata["X-WagtailLocalize-TranslationID"]
    members[city_file] = str(po).encode("utf-8")

    problems = rejected_problems(write_zip(members))

    assert ("extra.po", "Unknown item: this file is not listed in the manifest.") in problems
    assert any(file == city_file and message.startswith("Unknown item") for file, message in problems)


def test_a_file_exported_before_the_source_changed_is_stale(book):
    chapter, _city = book
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(
        members[name], {"La deuxième phrase va changer.": "The second sentence will change."}
    )
    revise(chapter)
    sync_locale("en")

    problems = rejected_problems(write_zip(members))

    assert len(problems) == 1
    file, message = problems[0]
    assert file == name
    assert message.startswith("Stale item")
    assert "1 entries are no longer in it" in message


def test_a_file_exported_before_a_sync_that_only_added_text_still_imports(book):
    chapter, _city = book
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"La première phrase reste la même.": "The first stays."})
    revise(chapter, FIRST, SECOND, "<p>Un ajout.</p>")
    sync_locale("en")

    report = import_locale("en", write_zip(members))

    assert report.created == 1
    assert StringTranslation.objects.filter(data="The first stays.").exists()


def test_malformed_and_wrongly_encoded_po_files_are_rejected(book):
    members = read_zip(exported())
    names = po_names(members)
    members[names[0]] = b'msgid "x"\nmsgstr "y"\nnot a PO line\n'
    # What an editor saving in Latin-1 writes for "Cannes, côte d'Azur".
    members[names[1]] = (
        translate_po(members[names[1]], {"Cannes": "Cannes, côte d'Azur"}).decode().encode("latin-1")
    )

    problems = dict(rejected_problems(write_zip(members)))

    assert problems[names[0]] == "Malformed PO file, line 3: unknown keyword 'not'."
    assert problems[names[1]].startswith("The file is not encoded in UTF-8")


def test_invalid_markup_in_a_translation_is_rejected(book):
    chapter, _city = book
    revise(chapter, '<p>Un <a href="https://example.org/">lien</a>.</p>')
    sync_locale("en")
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {'Un <a id="a1">lien</a>.': 'A <a id="a9">link</a>.'})

    problems = rejected_problems(write_zip(members))

    assert [file for file, _message in problems] == [name]
    assert "markup is invalid" in problems[0][1]


def test_oversized_upload_is_rejected(book, settings):
    buffer = exported()
    settings.BOOK_PO_IMPORT_MAX_BYTES = len(buffer.getvalue()) - 1

    problems = rejected_problems(buffer)

    assert problems == [
        ("", f"The file is {len(buffer.getvalue())} bytes; the limit is {len(buffer.getvalue()) - 1} bytes.")
    ]


def test_zip_bomb_member_is_rejected_without_inflating_it(book, settings):
    members = read_zip(exported())
    members["0000-bomb.po"] = b"#" * 5_000_000
    buffer = write_zip(members)
    settings.BOOK_PO_IMPORT_MAX_BYTES = 1_000_000
    assert len(buffer.getvalue()) < settings.BOOK_PO_IMPORT_MAX_BYTES

    problems = rejected_problems(buffer)

    assert (
        "0000-bomb.po",
        "The file is 5000000 bytes once uncompressed; the limit is 1000000 bytes.",
    ) in problems


def test_member_that_lies_about_its_size_is_rejected(book):
    members = read_zip(exported())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("0000-liar.po", b"#" * 50_000)
        # A crafted archive declares a tiny size for a member that inflates to much more.
        archive.getinfo("0000-liar.po").file_size = 100
    buffer.seek(0)

    problems = rejected_problems(buffer)

    assert [file for file, _message in problems] == ["0000-liar.po"]


def test_path_traversal_member_names_are_rejected(book):
    members = read_zip(exported())
    members["../outside.po"] = members[chapter_file(members)]
    members["/absolute.po"] = members[chapter_file(members)]

    problems = rejected_problems(write_zip(members))

    unsafe = {file for file, message in problems if message.startswith("Unsafe file name")}
    assert unsafe == {"../outside.po", "/absolute.po"}


def test_every_problem_is_reported_at_once(book):
    members = read_zip(exported())
    names = po_names(members)
    members[names[0]] = b"\xff\xfe not utf-8"
    members[names[1]] = b'msgid "x"\nthis is not PO\n'
    members["../evil.po"] = b""

    problems = rejected_problems(write_zip(members))

    assert {file for file, _message in problems} == {names[0], names[1], "../evil.po"}


def test_not_a_zip_and_a_zip_without_manifest_are_rejected(book):
    assert rejected_problems(io.BytesIO(b"not a zip")) == [("", "The file is not a valid zip archive.")]
    members = read_zip(exported())
    del members[MANIFEST_NAME]

    problems = rejected_problems(write_zip(members))

    assert (
        MANIFEST_NAME,
        "The archive has no manifest: it is not an export of a whole language.",
    ) in problems


def test_archiver_litter_is_ignored(book):
    members = read_zip(exported())
    members["__MACOSX/._0001-chapterpage-le-chapitre.po"] = b"\x00\x05\x16\x07"
    members["0001-chapterpage-le-chapitre.mo"] = b"\xde\x12\x04\x95"

    report = import_locale("en", write_zip(members))

    assert report.changed_items == []


def test_export_and_import_commands_round_trip(book, tmp_path):
    path = tmp_path / "en.zip"
    stderr = StringIO()

    call_command("export_locale", "en", str(path), stdout=StringIO(), stderr=stderr)

    assert "Export en: 100%" in stderr.getvalue()
    members = read_zip(io.BytesIO(path.read_bytes()))
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"La deuxième phrase va changer.": "The second sentence."})
    path.write_bytes(write_zip(members).getvalue())
    stdout = StringIO()

    call_command("import_locale", "en", str(path), stdout=stdout, stderr=StringIO())

    assert f"{name} (Le chapitre): 1 new, 0 changed translations" in stdout.getvalue()
    assert StringTranslation.objects.filter(data="The second sentence.").exists()


def test_import_command_lists_problems_and_fails(book, tmp_path):
    path = tmp_path / "en.zip"
    members = read_zip(exported())
    members["../evil.po"] = b""
    path.write_bytes(write_zip(members).getvalue())
    stderr = StringIO()

    with pytest.raises(CommandError, match="nothing was changed: 1 problems"):
        call_command("import_locale", "en", str(path), stdout=StringIO(), stderr=stderr)

    assert "../evil.po: Unsafe file name" in stderr.getvalue()


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("export_locale", ["xx", "{tmp}/out.zip"], "Unknown language 'xx'"),
        ("export_locale", ["fr", "{tmp}/out.zip"], "'fr' is the source language"),
        ("export_locale", ["en", "{tmp}/missing/out.zip"], "No such folder"),
        ("import_locale", ["en", "{tmp}/missing.zip"], "No such file"),
        ("import_locale", ["fr", "{tmp}/missing.zip"], "'fr' is the source language"),
    ],
)
def test_commands_explain_wrong_arguments(book, tmp_path, command, arguments, message):
    arguments = [argument.format(tmp=tmp_path) for argument in arguments]
    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments, stdout=StringIO(), stderr=StringIO())


def test_entries_left_as_exported_never_undo_an_edit_made_in_the_admin_since(book):
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"La première phrase reste la même.": "The first stays."})
    StringTranslation.objects.filter(data="The chapter").update(data="The chapter, as edited in the admin")

    report = import_locale("en", write_zip(members))

    assert report.created == 1
    assert report.updated == 0
    assert StringTranslation.objects.filter(data="The chapter, as edited in the admin").exists()


def test_entry_changed_in_the_file_and_in_the_admin_is_a_conflict(book):
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"Le chapitre": "The chapter, from the file"})
    StringTranslation.objects.filter(data="The chapter").update(data="The chapter, from the admin")

    problems = rejected_problems(write_zip(members))

    assert [file for file, _message in problems] == [name]
    assert "changed both in this file and in the admin" in problems[0][1]
    assert "The chapter, from the admin" in problems[0][1]


# One item's PO file, as the queue hands it out.


def chapter_po(book):
    translation = Translation.objects.get(source=source_of(book[0]), target_locale__language_code="en")
    name, content = export_item(translation)
    return name, polib.pofile(content.decode("utf-8"))


def import_po(po, name="chapter.po"):
    return import_locale("en", io.BytesIO(str(po).encode("utf-8")), name=name)


def rejected_po(data, name="chapter.po"):
    before = translation_rows()
    with pytest.raises(ImportRejected) as rejected:
        import_locale("en", io.BytesIO(data), name=name)
    assert translation_rows() == before, "a rejected import changed the database"
    return [str(problem) for problem in rejected.value.problems]


def test_one_items_po_file_carries_its_item_and_what_it_held(book):
    name, po = chapter_po(book)

    assert name == "chapterpage-le-chapitre-en.po"
    assert po.metadata["Language"] == "en"
    assert po.metadata["X-WagtailLocalize-TranslationID"]
    # One fingerprint per entry, even where several entries share a context (the paragraphs of one text).
    assert len(json.loads(po.metadata["X-Book-Fingerprints"])) == len(po)


def test_one_items_po_file_round_trips(book):
    _name, po = chapter_po(book)
    for entry in po:
        if entry.msgid == "La première phrase reste la même.":
            entry.msgstr = "The first sentence stays the same."

    report = import_po(po)

    [item] = report.changed_items
    assert item.file == "chapter.po"
    assert [change.new for change in item.created] == ["The first sentence stays the same."]
    assert StringTranslation.objects.filter(data="The first sentence stays the same.").exists()
    # The same file again: what it says is what the admin holds now, nothing to change or reconcile.
    assert import_po(po).changed_items == []


def test_one_items_po_file_never_undoes_an_admin_edit_and_reports_conflicts(book):
    _name, po = chapter_po(book)
    StringTranslation.objects.filter(data="The chapter").update(data="The chapter, as edited in the admin")

    assert import_po(po).changed_items == []
    assert StringTranslation.objects.filter(data="The chapter, as edited in the admin").exists()

    for entry in po:
        if entry.msgid == "Le chapitre":
            entry.msgstr = "The chapter, from the file"
    [problem] = rejected_po(str(po).encode("utf-8"))
    assert "changed both in this file and in the admin" in problem


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda po: po.metadata.pop("X-WagtailLocalize-TranslationID"), "does not say which item"),
        (lambda po: po.metadata.update({"X-Book-Fingerprints": "{not json"}), "record of what it held"),
        (lambda po: po.metadata.update({"X-Book-Fingerprints": '{"a": [1]}'}), "record of what it held"),
        (lambda po: po.metadata.update({"X-Book-Fingerprints": "[" * 200_000}), "record of what it held"),
        (
            lambda po: po.metadata.update({"X-Book-Exported": po.metadata.pop("X-Book-Fingerprints")}),
            "does not record what it held when exported",
        ),
        (lambda po: po.metadata.update({"X-WagtailLocalize-TranslationID": "nope"}), "id is not valid"),
        (
            lambda po: po.metadata.update({"X-WagtailLocalize-TranslationID": "0" * 32}),
            "no translation has this file's id",
        ),
    ],
)
def test_a_po_file_whose_header_is_damaged_is_rejected(book, mangle, message):
    _name, po = chapter_po(book)
    mangle(po)

    [problem] = rejected_po(str(po).encode("utf-8"))

    assert problem.startswith("chapter.po: ")
    assert message in problem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b'msgid "x"\nmsgstr "y"\nnot a PO line\n', "Malformed PO file, line 3: unknown keyword 'not'."),
        ('msgid "é"\nmsgstr ""\n'.encode("latin-1"), "not encoded in UTF-8"),
    ],
)
def test_a_malformed_po_file_is_rejected(book, data, message):
    [problem] = rejected_po(data)

    assert message in problem


def test_an_oversized_po_file_is_rejected(book, settings):
    settings.BOOK_PO_IMPORT_MAX_BYTES = 100
    _name, po = chapter_po(book)

    [problem] = rejected_po(str(po).encode("utf-8"))

    assert "exceeds the limit of 100 bytes" in problem


def test_import_command_takes_one_items_po_file(book, tmp_path):
    _name, po = chapter_po(book)
    for entry in po:
        if entry.msgid == "La deuxième phrase va changer.":
            entry.msgstr = "The second sentence will change."
    path = tmp_path / "chapter.po"
    path.write_text(str(po), encoding="utf-8")
    out = StringIO()

    call_command("import_locale", "en", str(path), stdout=out, stderr=StringIO())

    assert "1 new and 0 changed translations in 1 items" in out.getvalue()
    assert StringTranslation.objects.filter(data="The second sentence will change.").exists()


# Files a translator broke by hand: refused with the line, before anything is read into the admin.

BOLD = "<p>Des <b>expériences</b> de terrain.</p>"
TWO_PARAGRAPHS = "<p>La première phrase reste la même.</p><p>Une autre phrase.</p>"


def entry_line(text, msgid):
    """The line an entry starts on (its msgctxt, just above its msgid), as problems cite it."""
    lines = text.splitlines()
    at = lines.index(f'msgid "{msgid}"')
    assert lines[at - 1].startswith("msgctxt ")
    return at


def with_source(book, *paragraphs):
    """The chapter's source revised to ``paragraphs`` and synced into English, then exported."""
    chapter, _city = book
    revise(chapter, *paragraphs)
    sync_locale("en")
    members = read_zip(exported())
    return members, chapter_file(members)


def test_an_unclosed_quote_is_refused_instead_of_cutting_the_translation(book):
    members = read_zip(exported())
    name = chapter_file(members)
    text = translate_po(members[name], {"La deuxième phrase va changer.": "Field experiments."}).decode()
    line = text.splitlines().index('msgstr "Field experiments."') + 1
    members[name] = text.replace('msgstr "Field experiments."', 'msgstr "Field experiments.').encode()

    problems = rejected_problems(write_zip(members))

    assert problems == [(name, f"Malformed PO file, line {line}: unclosed quote.")]
    assert not StringTranslation.objects.filter(data__startswith="Field experiment").exists()


def test_an_unclosed_quote_in_one_items_po_file_is_refused(book):
    _name, po = chapter_po(book)
    text = str(po).replace(
        'msgid "La deuxième phrase va changer."\nmsgstr ""',
        'msgid "La deuxième phrase va changer."\nmsgstr "Field experiments.',
    )
    line = text.splitlines().index('msgstr "Field experiments.') + 1

    assert rejected_po(text.encode("utf-8")) == [
        f"chapter.po: Malformed PO file, line {line}: unclosed quote."
    ]


def test_an_entry_msgfmt_would_refuse_is_refused_with_its_line(book):
    members = read_zip(exported())
    name = chapter_file(members)
    text = members[name].decode()
    line = text.splitlines().index('msgid "Le chapitre"') + 1
    members[name] = text.replace(
        'msgid "Le chapitre"', 'msgid "Le chapitre"\nmsgstr "The chapter"', 1
    ).encode()

    problems = rejected_problems(write_zip(members))

    assert problems == [(name, f"Malformed PO file, line {line + 2}: syntax error.")]


def test_a_mistyped_msgid_is_unknown_not_stale(book):
    members = read_zip(exported())
    name = chapter_file(members)
    text = translate_po(members[name], {"La deuxième phrase va changer.": "The second sentence."}).decode()
    line = entry_line(text, "La deuxième phrase va changer.")
    members[name] = text.replace("La deuxième phrase va changer.", "La deuxieme phrase va changer.").encode()

    problems = rejected_problems(write_zip(members))

    assert problems == [
        (
            name,
            "Unknown entries: 1 msgid are not texts of 'Le chapitre' and were not in the file when it was "
            f"exported (line {line}, 'La deuxieme phrase va changer.'). A msgid must stay as exported: only "
            "msgstr is translated.",
        )
    ]


def test_a_translation_that_drops_the_sources_tags_is_refused(book):
    members, name = with_source(book, BOLD)
    text = translate_po(members[name], {"Des <b>expériences</b> de terrain.": "Field experiments."}).decode()
    line = entry_line(text, "Des <b>expériences</b> de terrain.")
    members[name] = text.encode()

    problems = rejected_problems(write_zip(members))

    assert problems == [
        (name, f"Line {line}: the translation's markup does not match its source's: missing </b> <b>.")
    ]


def test_a_translation_with_other_tags_than_its_source_is_refused(book):
    members, name = with_source(book, BOLD)
    members[name] = translate_po(
        members[name], {"Des <b>expériences</b> de terrain.": "<i>Field</i> experiments."}
    )

    [(file, message)] = rejected_problems(write_zip(members))

    assert file == name
    assert message.endswith("does not match its source's: missing </b> <b>; unexpected </i> <i>.")


def test_a_translation_that_moves_the_sources_tags_is_imported(book):
    members, name = with_source(book, BOLD)
    members[name] = translate_po(
        members[name], {"Des <b>expériences</b> de terrain.": "Field <b>experiments</b>."}
    )

    report = import_locale("en", write_zip(members))

    assert report.created == 1
    assert StringTranslation.objects.filter(data="Field <b>experiments</b>.").exists()


def test_entries_sharing_a_context_keep_their_own_fingerprint(book):
    """Two paragraphs of one text are two entries of one context: an admin edit of one is not a conflict on the other."""
    english = Locale.objects.get(language_code="en")
    chapter, _city = book
    revise(chapter, TWO_PARAGRAPHS)
    sync_locale("en")
    source = source_of(chapter)
    translate(source, english, "La première phrase reste la même.", "The first sentence.")
    translate(source, english, "Une autre phrase.", "Another sentence.")
    members = read_zip(exported())
    name = chapter_file(members)
    members[name] = translate_po(members[name], {"Une autre phrase.": "One more sentence."})
    StringTranslation.objects.filter(data="The first sentence.").update(data="The first sentence, edited.")

    report = import_locale("en", write_zip(members))

    assert [(change.old, change.new) for change in report.changed_items[0].updated] == [
        ("Another sentence.", "One more sentence.")
    ]
    assert StringTranslation.objects.filter(data="The first sentence, edited.").exists()


def test_an_export_of_the_previous_format_is_refused(book):
    members = read_zip(exported())
    manifest = json.loads(members[MANIFEST_NAME])
    manifest["version"] = 1
    members[MANIFEST_NAME] = json.dumps(manifest)

    problems = rejected_problems(write_zip(members))

    assert problems == [(MANIFEST_NAME, "Unsupported export version 1: export the language again.")]
