"""Manuscripts the import refuses: a form error in the admin, a non-zero exit from the command,
and nothing written anywhere, neither in the database nor in the media storage."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from tests.factories import ChapterPageFactory
from tests.manuscripts import docx_bytes, png_bytes, rewrite_zip, simple_docx, zipped
from tests.storage.test_uploads import stored_files

from .snapshot import database_snapshot

pytestmark = pytest.mark.django_db

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def media_name(data):
    import zipfile

    return next(
        name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if name.startswith("word/media/")
    )


def with_media(content):
    data = simple_docx()
    return rewrite_zip(data, change={media_name(data): lambda _old: content})


def linked_image_docx():
    """The image's relationship points to a web address (TargetMode External), as Word's "Link to file" writes."""
    data = simple_docx()
    name = media_name(data).split("/", 1)[1]

    def link(rels):
        return rels.replace(
            f'Target="{name}"'.encode(), b'Target="https://example.org/tracker.png" TargetMode="External"'
        )

    return rewrite_zip(
        data,
        change={
            "word/_rels/document.xml.rels": link,
            "word/document.xml": lambda xml: xml.replace(b"r:embed=", b"r:link="),
        },
        remove={media_name(data)},
    )


def zip_bomb():
    """A .docx carrying a part that unpacks to 5 MB from a few kilobytes."""
    return rewrite_zip(simple_docx(), add={"word/media/padding.bin": b"\x00" * (5 * 1024 * 1024)})


def odt_named_docx():
    return zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"}
    )


CASES = {
    "text-named-docx": (
        "contribution.docx",
        lambda: b"Ceci n'est pas un document Word.\n",
        "not a Word document",
    ),
    "old-doc": ("contribution.doc", lambda: OLE, "older Word document (.doc)"),
    "doc-named-docx": ("contribution.docx", lambda: OLE, "older Word document (.doc)"),
    "password-protected": (
        "contribution.docx",
        lambda: OLE + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
        "protected by a password",
    ),
    "docm-named-docx": (
        "contribution.docx",
        lambda: rewrite_zip(
            simple_docx(),
            change={"[Content_Types].xml": lambda xml: xml.replace(MAIN_TYPE.encode(), MACRO_TYPE.encode())},
        ),
        "carries macros (.docm)",
    ),
    "docm": ("contribution.docm", simple_docx, "carries macros (.docm)"),
    "odt": ("contribution.odt", odt_named_docx, "OpenDocument text (.odt)"),
    "odt-named-docx": ("contribution.docx", odt_named_docx, "OpenDocument text (.odt)"),
    "truncated": ("contribution.docx", lambda: simple_docx()[:1500], "The file is damaged"),
    "broken-xml": (
        "contribution.docx",
        lambda: rewrite_zip(simple_docx(), change={"word/document.xml": lambda xml: xml[: len(xml) // 2]}),
        "The file is damaged",
    ),
    "zip-bomb": ("contribution.docx", zip_bomb, "refused as a zip bomb"),
    "image-not-an-image": (
        "contribution.docx",
        lambda: with_media(b"GIF89a mais pas vraiment"),
        "is not an image",
    ),
    "image-svg": (
        "contribution.docx",
        lambda: with_media(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "SVG image",
    ),
    "image-linked-from-outside": ("contribution.docx", linked_image_docx, "linked from outside the file"),
    "markdown-image-from-the-web": (
        "chapitre.md",
        lambda: b"# Titre\n\n![Pixel espion](https://example.org/pixel.png)\n",
        "linked from outside the file",
    ),
    "markdown-image-missing": (
        "chapitre.md",
        lambda: b"![Une image](images/absente.png)\n",
        "is not in the upload",
    ),
    "zip-image-outside-the-zip": (
        "chapitre.zip",
        lambda: zipped({"texte.md": b"![Une image](../../etc/passwd)\n"}),
        "is not in the zip",
    ),
    "zip-two-markdown-files": (
        "chapitre.zip",
        lambda: zipped({"un.md": b"# Un\n", "deux.md": b"# Deux\n"}),
        "must hold one Markdown file (.md); it holds 2",
    ),
    "markdown-not-utf8": ("chapitre.md", lambda: "Écrit en Latin-1".encode("latin-1"), "not UTF-8 text"),
    "pdf": ("chapitre.pdf", lambda: b"%PDF-1.7\n", "Import a Word document (.docx), a Markdown file (.md)"),
}


@pytest.fixture
def chapter():
    page = ChapterPageFactory(title="Chapitre", body=[{"type": "paragraph", "value": "<p>Texte.</p>"}])
    page.save_revision().publish()
    return page


def url(page):
    return reverse("cms_import_manuscript", args=[page.pk])


@pytest.mark.parametrize(("name", "build", "message"), CASES.values(), ids=CASES.keys())
def test_the_admin_refuses_a_bad_manuscript_and_writes_nothing(
    english_admin_client, chapter, name, build, message
):
    assert english_admin_client.get(url(chapter)).status_code == 200
    before, files = database_snapshot(), stored_files()

    response = english_admin_client.post(url(chapter), {"file": SimpleUploadedFile(name, build())})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert escape(message) in response.content.decode()
    assert "token" not in response.context
    assert database_snapshot() == before
    assert stored_files() == files


@pytest.mark.parametrize(("name", "build", "message"), CASES.values(), ids=CASES.keys())
def test_the_command_refuses_a_bad_manuscript_and_writes_nothing(chapter, tmp_path, name, build, message):
    path = tmp_path / name
    path.write_bytes(build())
    before, files = database_snapshot(), stored_files()

    with pytest.raises(CommandError) as refused:
        call_command("import_manuscript", chapter.slug, str(path))

    assert message in str(refused.value)
    assert database_snapshot() == before
    assert stored_files() == files


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("BOOK_MANUSCRIPT_MAX_BYTES", 2000, "more than the 0.0 MB accepted"),
        ("BOOK_MANUSCRIPT_MAX_IMAGE_BYTES", 50, "Image 1 (image-1.png) weighs"),
        (
            "WAGTAILIMAGES_MAX_IMAGE_PIXELS",
            100,
            "Image 1 (image-1.png) has 1200 pixels, more than the 100 accepted",
        ),
        ("BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES", 5000, "would unpack to"),
        ("BOOK_MANUSCRIPT_MAX_ENTRIES", 3, "more than the 3 accepted"),
    ],
)
def test_the_limits_come_from_the_settings(english_admin_client, chapter, settings, setting, value, message):
    setattr(settings, setting, value)
    assert english_admin_client.get(url(chapter)).status_code == 200
    before, files = database_snapshot(), stored_files()

    response = english_admin_client.post(url(chapter), {"file": SimpleUploadedFile("a.docx", simple_docx())})

    assert list(response.context["form"].errors) == ["file"]
    assert escape(message) in response.content.decode()
    assert database_snapshot() == before
    assert stored_files() == files


def test_a_storage_failure_while_confirming_leaves_nothing_half_written(
    english_admin_client, chapter, monkeypatch
):
    def two_images(document):
        for colour in ((255, 0, 0), (0, 0, 255)):
            document.add_picture(io.BytesIO(png_bytes(colour=colour)))

    response = english_admin_client.post(
        url(chapter), {"file": SimpleUploadedFile("a.docx", docx_bytes(two_images))}
    )
    token = response.context["token"]
    before, files = database_snapshot(), stored_files()

    from wagtail.images import get_image_model

    storage_class = get_image_model()._meta.get_field("file").storage.__class__  # through the lazy wrapper
    original = storage_class._save
    saved = []

    def fail_on_the_second(self, name, content):
        if saved:
            raise OSError("disk full")
        saved.append(name)
        return original(self, name, content)

    monkeypatch.setattr(storage_class, "_save", fail_on_the_second)

    response = english_admin_client.post(url(chapter), {"token": token})

    assert response.status_code == 200
    assert "The media storage does not answer, so nothing was saved." in response.content.decode()
    assert saved  # the first image was written, then removed
    assert database_snapshot() == before
    assert stored_files() == files

    # Once the storage answers again, the same preview can still be confirmed.
    monkeypatch.undo()
    assert english_admin_client.post(url(chapter), {"token": token}).status_code == 302
    assert len(stored_files()) == len(files) + 2


def test_a_corrupt_zip_stream_is_refused_even_when_its_directory_looks_right(english_admin_client, chapter):
    """An entry whose compressed data is damaged (its directory intact) fails its checksum: a damaged file."""
    data = bytearray(simple_docx())
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    for offset in range(start + 40, start + 80):
        data[offset] ^= 0x5A
    assert english_admin_client.get(url(chapter)).status_code == 200
    before = database_snapshot()

    response = english_admin_client.post(url(chapter), {"file": SimpleUploadedFile("a.docx", bytes(data))})

    assert list(response.context["form"].errors) == ["file"]
    assert database_snapshot() == before
