import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex

from book.blocks import ChapterBodyBlock
from book.models import (
    BookPage,
    ChapterPage,
    City,
    ContributorIndexPage,
    ContributorPage,
    PartPage,
    Sector,
    ThemeIndexPage,
    ThemePage,
)
from book.progress import ProgressBar
from book.synthetic import BLOCK_TYPES, SyntheticBookBuilder
from book.text import footnote_references
from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.django_db


def generate(**options):
    stderr = io.StringIO()
    stdout = io.StringIO()
    call_command("generate_book", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def book_for(slug="synthetic-book"):
    return BookPage.objects.get(slug=slug)


def chapters_of(book):
    return ChapterPage.objects.descendant_of(book).order_by("path")


def test_book_is_built_under_the_root_as_parts_of_ordered_chapters():
    generate(chapters=25, parts=3, blocks=10)

    book = book_for()
    assert book.get_parent().pk == Page.get_first_root_node().pk
    assert book.locale == Locale.get_default()
    children = [page.specific_class for page in book.get_children()]
    assert children == [ContributorIndexPage, ThemeIndexPage, PartPage, PartPage, PartPage]

    parts = PartPage.objects.child_of(book).order_by("path")
    per_part = [[c.slug for c in ChapterPage.objects.child_of(part).order_by("path")] for part in parts]
    assert [len(slugs) for slugs in per_part] == [8, 8, 9]
    assert [slug for slugs in per_part for slug in slugs] == [f"chapitre-{number}" for number in range(1, 26)]

    contributor_index = ContributorIndexPage.objects.child_of(book).get()
    assert ContributorPage.objects.child_of(contributor_index).count() == 7
    theme_index = ThemeIndexPage.objects.child_of(book).get()
    assert ThemePage.objects.child_of(theme_index).count() == 3


def test_parts_default_to_one_per_twenty_chapters():
    generate(chapters=41, blocks=2)

    assert PartPage.objects.child_of(book_for()).count() == 3


def test_every_block_type_appears_in_each_long_body():
    generate(chapters=4, blocks=12)

    for chapter in chapters_of(book_for()):
        assert {child.block_type for child in chapter.body} == set(BLOCK_TYPES)
        assert len(chapter.body) == 12


def test_short_bodies_still_use_every_block_type_across_the_book():
    generate(chapters=3, blocks=3)

    types = {child.block_type for chapter in chapters_of(book_for()) for child in chapter.body}
    assert types == set(BLOCK_TYPES)


def test_bodies_pass_the_admin_validation_and_note_references_match_notes():
    generate(chapters=5, blocks=30)

    block = ChapterBodyBlock()
    for chapter in chapters_of(book_for()):
        block.clean(chapter.body)
        notes = [child.value["number"] for child in chapter.body if child.block_type == "note"]
        references = [
            number
            for child in chapter.body
            for number in footnote_references(ChapterBodyBlock.referencing_text(child))
        ]
        assert notes
        assert sorted(references) == notes


def test_every_page_is_live_with_a_published_revision_and_history():
    generate(chapters=6, blocks=10)

    book = book_for()
    pages = book.get_descendants(inclusive=True).specific()
    assert len(pages) == 1 + 2 + 5 + 3 + 1 + 6
    for page in pages:
        assert page.live
        assert not page.has_unpublished_changes
        assert page.first_published_at is not None
        assert page.last_published_at is not None
        assert page.latest_revision_id is not None
        assert page.live_revision_id == page.latest_revision_id
        actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        assert actions == {"wagtail.create", "wagtail.publish"}
    assert BookPage.objects.live().filter(pk=book.pk).exists()


def test_revisions_carry_the_chapter_with_its_credits():
    generate(chapters=3, blocks=10)

    chapter = chapters_of(book_for()).first()
    restored = chapter.latest_revision.as_object()
    assert restored.title == chapter.title
    assert list(restored.body.raw_data) == list(chapter.body.raw_data)
    assert [link.contributor_id for link in restored.contributor_links.all()] == [
        link.contributor_id for link in chapter.contributor_links.order_by("sort_order")
    ]
    assert [link.theme_id for link in restored.theme_links.all()] == [
        link.theme_id for link in chapter.theme_links.order_by("sort_order")
    ]


def test_word_count_is_the_one_the_model_computes():
    generate(chapters=3, blocks=15)

    for chapter in chapters_of(book_for()):
        assert chapter.word_count > 100
        assert chapter.word_count == chapter.body.stream_block.word_count(chapter.body)


def test_chapters_are_credited_and_classified():
    generate(chapters=8, blocks=10)

    for chapter in chapters_of(book_for()):
        roles = list(chapter.contributor_links.order_by("sort_order").values_list("role", flat=True))
        assert 1 <= len(roles) <= 3
        assert roles[0] in {"author", "interviewee"}
        assert 1 <= chapter.theme_links.count() <= 2
        assert chapter.sector_links.count() == 1
        assert chapter.city is not None and chapter.city.live


def test_cities_and_sectors_are_live_snippets_with_revisions():
    generate(chapters=2, blocks=8)

    for model, count in ((City, 10), (Sector, 4)):
        snippets = model.objects.filter(slug__startswith="synthetic-book-")
        assert snippets.count() == count
        for snippet in snippets:
            assert snippet.live
            assert snippet.live_revision_id is not None


def test_a_handful_of_stored_images_is_shared_by_the_chapters():
    generate(chapters=10, blocks=30)

    images = get_image_model().objects.filter(collection__name="Livre synthétique (synthetic-book)")
    assert images.count() == 6
    for image in images:
        assert default_storage.exists(image.file.name)
        assert image.width == 160 and image.file_hash
    used = {
        child.value["image"].pk
        for chapter in chapters_of(book_for())
        for child in chapter.body
        if child.block_type == "image"
    }
    assert used <= {image.pk for image in images}
    assert len(used) > 1
    chapter = chapters_of(book_for()).first()
    assert ReferenceIndex.get_references_for_object(chapter).filter(model_path__startswith="body.").exists()


def test_new_pages_are_searchable_and_later_saves_are_indexed_again():
    generate(chapters=3, blocks=8)

    chapter = chapters_of(book_for()).last()
    assert chapter in ChapterPage.objects.live().search(chapter.title)

    later = ChapterPageFactory(title="Zygomorphe")
    assert later in ChapterPage.objects.search("Zygomorphe")


def test_same_seed_writes_the_same_text_and_another_seed_does_not():
    def text_of(slug):
        return [
            (
                chapter.title,
                chapter.summary,
                [child.render_as_block() for child in chapter.body if child.block_type == "paragraph"],
            )
            for chapter in chapters_of(book_for(slug))
        ]

    generate(chapters=4, blocks=12, seed=7, slug="first")
    generate(chapters=4, blocks=12, seed=7, slug="second")
    generate(chapters=4, blocks=12, seed=8, slug="third")

    assert text_of("first") == text_of("second")
    assert text_of("first") != text_of("third")


def test_existing_slug_is_refused_without_replace():
    generate(chapters=2, blocks=8)

    with pytest.raises(CommandError) as error:
        generate(chapters=3, blocks=8)

    assert "synthetic-book" in str(error.value)
    assert "--replace" in str(error.value)
    assert chapters_of(book_for()).count() == 2


def test_replace_deletes_the_previous_book_with_its_images(django_capture_on_commit_callbacks):
    generate(chapters=5, blocks=8)
    old_book = book_for()
    old_chapter = chapters_of(old_book).first()
    old_files = list(get_image_model().objects.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        stdout, _stderr = generate(chapters=3, blocks=8, replace=True)

    assert not Page.objects.filter(pk=old_book.pk).exists()
    book = book_for()
    assert chapters_of(book).count() == 3
    assert ChapterPage.objects.count() == 3
    assert ContributorPage.objects.count() == 5
    assert get_image_model().objects.count() == 6
    assert City.objects.count() == 10
    assert not any(default_storage.exists(name) for name in old_files)
    assert not ReferenceIndex.get_references_for_object(old_chapter).exists()
    assert "synthetic-book" in stdout


def test_replace_leaves_other_books_alone():
    generate(chapters=2, blocks=8, slug="kept")
    generate(chapters=2, blocks=8, slug="kept-too")

    generate(chapters=1, blocks=8, slug="kept", replace=True)

    assert chapters_of(book_for("kept-too")).count() == 2
    assert City.objects.filter(slug__startswith="kept-too-").count() == 10


def test_a_page_that_is_not_a_book_is_never_replaced():
    Page.get_first_root_node().add_child(instance=Page(title="Autre", slug="autre"))

    with pytest.raises(CommandError, match="autre"):
        generate(chapters=1, slug="autre", replace=True)

    assert Page.objects.filter(slug="autre").exists()


def test_a_failure_leaves_no_half_written_book(monkeypatch):
    def fail(self, links):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SyntheticBookBuilder, "_save_links", fail)
    with pytest.raises(RuntimeError):
        generate(chapters=3, blocks=8)

    assert not BookPage.objects.exists()
    assert not ChapterPage.objects.exists()
    assert not City.objects.exists()
    assert not get_image_model().objects.exists()
    assert not default_storage.listdir("original_images")[1]


@pytest.mark.parametrize(
    ("options", "mentions"),
    [
        ({"chapters": 0}, "--chapters"),
        ({"chapters": -3}, "--chapters"),
        ({"chapters": 5, "blocks": 0}, "--blocks"),
        ({"chapters": 5, "parts": 6}, "--parts"),
        ({"chapters": 5, "slug": "pas un slug"}, "pas un slug"),
    ],
)
def test_invalid_options_are_refused_with_a_clear_error(options, mentions):
    with pytest.raises(CommandError, match=mentions):
        generate(**options)

    assert not BookPage.objects.exists()


def test_chapters_option_is_required():
    with pytest.raises(CommandError, match="--chapters"):
        generate()


def test_progress_is_reported_every_five_percent_when_not_a_terminal():
    _stdout, stderr = generate(chapters=40, blocks=2)

    chapter_lines = [line for line in stderr.splitlines() if line.startswith(("Chapters", "Chapitres"))]
    assert len(chapter_lines) == 21
    assert chapter_lines[-1].split(":", 1)[1].split()[:2] == ["100%", "40/40"]
    assert "/s]" in chapter_lines[-1]


class TerminalStream(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_redraws_one_line_in_place_on_a_terminal():
    out = TerminalStream()
    now = [0.0]
    bar = ProgressBar(OutputWrapper(out), "Chapters", 200, clock=lambda: now[0])

    for _i in range(200):
        now[0] += 0.01
        bar.update()
    bar.close()

    text = out.getvalue()
    assert text.count("\n") == 1
    assert 15 <= text.count("\r") <= 25
    last = text.rsplit("\r", 1)[1]
    assert "100%" in last and "200/200" in last and "[100.0/s]" in last
    assert "|" + "#" * 30 + "|" in last


def test_help_is_printed_in_the_language_of_the_run():
    from django.utils import translation

    from book.management.commands.generate_book import Command

    helps = {}
    for language in ("en", "fr"):
        with translation.override(language):
            helps[language] = Command().create_parser("manage.py", "generate_book").format_help()
    assert "--chapters" in helps["en"] and "--chapters" in helps["fr"]
    assert "Generate a large synthetic book" in helps["en"]
