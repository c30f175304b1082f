"""manage.py build_editions: builds what it is asked, says how it went, fails loudly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from book.models import Edition

from .conftest import use_builder

# The builders are stood in for: these tests are about storing, scheduling and serving builds.
pytestmark = pytest.mark.usefixtures("small_builders")


def build_editions(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("build_editions", *args, stdout=out)
    return out.getvalue()


def test_builds_the_chosen_language_and_format_with_plain_progress(book):
    output = build_editions("--locale", "en", "--format", "epub")

    assert output.splitlines() == [output.splitlines()[0]]
    assert output.startswith("[1/1] AI and creation (en, epub): ")
    assert "\r" not in output
    [edition] = Edition.objects.all()
    assert (edition.locale, edition.format, edition.state) == (book.english, "epub", Edition.State.CURRENT)


def test_builds_every_language_and_format_by_default(book):
    lines = build_editions().splitlines()

    assert [line.split(":")[0] for line in lines] == [
        "[1/4] AI and creation (en, epub)",
        "[2/4] AI and creation (en, pdf)",
        "[3/4] IA et création (fr, epub)",
        "[4/4] IA et création (fr, pdf)",
    ]
    assert "incomplete" in lines[1]


def test_one_book_by_its_key(book):
    build_editions("--book", str(book.book.translation_key), "--locale", "fr")

    assert Edition.objects.filter(state=Edition.State.CURRENT).count() == 2


def test_failure_exits_non_zero_with_the_reason(book, monkeypatch):
    use_builder(monkeypatch, "pdf", "crashing")

    with pytest.raises(
        CommandError,
        match=r"1 of 2 editions could not be built:\nIA et création \(fr, pdf\): RuntimeError: The printer caught fire.",
    ):
        build_editions("--locale", "fr")
    assert Edition.objects.get(format="epub").state == Edition.State.CURRENT


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locale", "xx"], "Unknown locale “xx”"),
        (["--book", "not-a-key"], "is not a book key"),
        (["--book", "00000000-0000-0000-0000-000000000001"], "No published book matches"),
    ],
)
def test_bad_arguments_are_named(book, args, message):
    with pytest.raises(CommandError, match=message):
        build_editions(*args)
    assert not Edition.objects.exists()
