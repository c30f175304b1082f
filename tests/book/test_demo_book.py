import hashlib
import html
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, ReferenceIndex, Revision, Site
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from book.blocks import ChapterBodyBlock
from book.demo import content
from book.demo.loader import DemoBookLoader
from book.management.commands import load_demo_book
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

NAMED_CONTRIBUTORS = {
    "Jean-Baptiste Andrea",
    "Jean-Michel Jarre",
    "Marco Landi",
    "Alexia Laroche-Joubert",
    "Takuya Nomura",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def project_root(settings, tmp_path):
    """Keeps the demo users' password files, written at the project root, out of the real one."""
    settings.BASE_DIR = tmp_path
    return tmp_path


def load_demo():
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo_book", stdout=out)
    return out.getvalue()


@pytest.fixture
def book():
    load_demo()
    return BookPage.objects.get(locale=Locale.get_default())


def demo_pages(book):
    return Page.objects.descendant_of(book, inclusive=True).specific()


def demo_images():
    return get_image_model().objects.filter(collection__name=content.IMAGE_COLLECTION_NAME)


def database_snapshot():
    pages = Page.objects.order_by("path").values_list(
        "path", "title", "slug", "content_type_id", "live", "latest_revision_id"
    )
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "cities": City.objects.count(),
        "sectors": Sector.objects.count(),
        "locales": Locale.objects.count(),
        "references": ReferenceIndex.objects.count(),
        "sites": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
        "tree": hashlib.sha256(repr(list(pages)).encode()).hexdigest(),
    }


def test_demo_images_are_written_to_the_media_storage(book):
    images = list(demo_images())
    assert 6 <= len(images) <= 8
    for image in images:
        assert image.file.storage.exists(image.file.name)
        assert default_storage.size(image.file.name) == image.file_size
        assert image.width >= 800 and image.file_hash
    used = {book.cover_image_id}
    for chapter in ChapterPage.objects.descendant_of(book):
        used |= {block.value["image"].pk for block in chapter.body if block.block_type == "image"}
    assert used <= {image.pk for image in images}


def test_second_load_changes_and_duplicates_nothing(book):
    before = database_snapshot()
    output = load_demo()
    assert database_snapshot() == before
    assert BookPage.objects.filter(locale=Locale.get_default()).count() == 1
    assert not re.search(r"\b[1-9]\d* created", output)
    assert "already present" in output


def test_editor_changes_survive_a_second_load(book):
    chapter = ChapterPage.objects.descendant_of(book).first()
    original_slug = chapter.slug
    chapter.title = "Titre modifié par la rédaction"
    chapter.slug = "titre-modifie"
    chapter.save_revision().publish()
    theme = ThemePage.objects.descendant_of(book).first()
    theme.description = "<p>Description revue par la rédaction.</p>"
    theme.save_revision()
    chapters_before = ChapterPage.objects.count()

    load_demo()

    chapter.refresh_from_db()
    theme.refresh_from_db()
    assert (chapter.title, chapter.slug) == ("Titre modifié par la rédaction", "titre-modifie")
    assert not ChapterPage.objects.filter(slug=original_slug).exists()
    assert ChapterPage.objects.count() == chapters_before
    assert theme.get_latest_revision_as_object().description == "<p>Description revue par la rédaction.</p>"
    assert theme.has_unpublished_changes


def test_welcome_page_an_editor_changed_is_kept():
    welcome = Page.objects.get(title=content.WAGTAIL_WELCOME_PAGE_TITLE)
    welcome.title = "Accueil de la rédaction"
    welcome.save_revision().publish()

    load_demo()

    assert Page.objects.filter(pk=welcome.pk, title="Accueil de la rédaction").exists()
    assert BookPage.objects.filter(locale=Locale.get_default()).count() == 1


def test_a_failed_load_leaves_no_page_row_or_file(monkeypatch):
    stored = []

    def interrupt_before_parts(loader, book):
        stored.extend(name for _storage, name in loader.stored_files)
        raise RuntimeError("interrupted")

    monkeypatch.setattr(DemoBookLoader, "load_parts", interrupt_before_parts)
    pages_before = Page.objects.count()

    with pytest.raises(RuntimeError):
        load_demo()

    assert stored
    assert not any(default_storage.exists(name) for name in stored)
    assert not demo_images().exists()
    assert not BookPage.objects.exists()
    assert not City.objects.exists()
    assert Page.objects.count() == pages_before


@pytest.fixture
def fake_load(monkeypatch):
    """Replaces the content load by a stub, to watch what the command does around it."""
    calls = []

    def load(loader):
        calls.append("load")
        return BookPage(title="Livre")

    def fake_call_command(name, **options):
        calls.append(name)

    monkeypatch.setattr(DemoBookLoader, "load", load)
    monkeypatch.setattr(load_demo_book, "call_command", fake_call_command)
    return calls


def test_roles_are_set_up_after_the_content_when_setup_roles_exists(fake_load, monkeypatch):
    monkeypatch.setattr(load_demo_book, "get_commands", lambda: {"setup_roles": "cms"})
    load_demo()
    assert fake_load == ["load", "setup_roles"]


def test_load_works_without_a_setup_roles_command(fake_load, monkeypatch):
    monkeypatch.setattr(load_demo_book, "get_commands", lambda: {})
    output = load_demo()
    assert fake_load == ["load"]
    assert "roles and workflows were not set up" in output


def rich_text_lines(source):
    """The plain text of each block-level element of a rich text value."""
    pieces = re.findall(r"<(p|li|h\d)[^>]*>(.*?)</\1>", source, flags=re.S)
    return [normalise(strip_tags(inner)) for _tag, inner in pieces]


def normalise(text):
    return " ".join(html.unescape(text).split())


def block_texts(block, value):
    if isinstance(block, blocks.RichTextBlock):
        return rich_text_lines(value.source)
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return [normalise(value)] if value else []
    if isinstance(block, blocks.StructBlock):
        return [
            text for name, child in block.child_blocks.items() for text in block_texts(child, value[name])
        ]
    return []


@pytest.fixture(scope="class")
def shared_load(django_db_setup, django_db_blocker, tmp_path_factory):
    """One load for a whole test class, rolled back once the class is done.

    Each test of the class runs in a savepoint of its own within this transaction.
    """
    project_root = override_settings(BASE_DIR=tmp_path_factory.mktemp("project"))
    with project_root, django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


class TestDemoContent:
    """What one load of the demo puts in the database; these tests only read it."""

    @pytest.fixture
    def book(self, shared_load, db):
        return BookPage.objects.get(locale=Locale.get_default())

    def test_book_sits_under_the_root_and_the_default_site_serves_it(self, book):
        assert book.get_parent().pk == Page.get_first_root_node().pk
        assert book.locale == Locale.get_default()
        assert book.locale.language_code == settings.LANGUAGE_CODE
        assert Site.objects.get(is_default_site=True).root_page_id == book.pk
        assert not Page.objects.filter(title=content.WAGTAIL_WELCOME_PAGE_TITLE).exists()
        assert book.title and book.subtitle and book.summary and book.editorial_direction and book.licence
        assert book.cover_image is not None and book.cover_credit
        assert [block.value["name"] for block in book.supporters] == content.BOOK["supporters"]
        assert book.publication_date.year in {2025, 2026}
        assert book.isbn == "" and book.doi == ""

    def test_a_locale_exists_for_every_content_language(self, book):
        codes = set(Locale.objects.values_list("language_code", flat=True))
        assert {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES} <= codes

    def test_book_has_its_indexes_themes_sectors_cities_and_contributors(self, book):
        assert ContributorIndexPage.objects.child_of(book).count() == 1
        theme_index = ThemeIndexPage.objects.child_of(book).get()
        themes = ThemePage.objects.child_of(theme_index)
        assert themes.count() == 3
        assert all(theme.description for theme in themes)

        assert set(Sector.objects.filter(locale=book.locale).values_list("name", flat=True)) == {
            "Cinéma",
            "Littérature",
            "Musique",
            "Arts numériques",
        }
        assert City.objects.filter(locale=book.locale).count() == 10
        cannes = City.objects.get(locale=book.locale, name="Cannes")
        assert (cannes.creative_field, cannes.country) == ("film", "France")

        names = set(ContributorPage.objects.descendant_of(book).values_list("title", flat=True))
        assert names >= NAMED_CONTRIBUTORS
        assert len(names) > len(NAMED_CONTRIBUTORS)

    def test_chapters_are_spread_over_parts_and_fully_classified(self, book):
        parts = PartPage.objects.child_of(book)
        assert 3 <= parts.count() <= 4
        chapters = ChapterPage.objects.descendant_of(book)
        assert chapters.count() >= 12
        assert all(ChapterPage.objects.child_of(part).exists() for part in parts)
        for chapter in chapters:
            links = list(chapter.contributor_links.all())
            assert 1 <= len(links) <= 3, chapter.title
            assert all(link.role for link in links)
            assert [link.sort_order for link in links] == list(range(len(links)))
            assert 1 <= chapter.theme_links.count() <= 2
            assert 1 <= chapter.sector_links.count() <= 2
            assert chapter.city is not None
            assert chapter.word_count > 0
            paragraphs = [block for block in chapter.body if block.block_type == "paragraph"]
            assert len(paragraphs) >= 3
        assert len({chapter.word_count for chapter in chapters}) > 1

    def test_chapter_bodies_use_every_block_type_and_pass_validation(self, book):
        used_types = set()
        heading_levels = set()
        for chapter in ChapterPage.objects.descendant_of(book):
            # Raises if a note reference is dangling or an embed has no known provider.
            chapter.body.stream_block.clean(chapter.body)
            for block in chapter.body:
                used_types.add(block.block_type)
                if block.block_type == "heading":
                    heading_levels.add(block.value["level"])
        assert used_types == set(ChapterBodyBlock.base_blocks)
        assert heading_levels == {"h2", "h3", "h4"}

    def test_every_demo_page_and_snippet_is_published_from_a_revision(self, book):
        pages = list(demo_pages(book))
        assert len(pages) >= 1 + 2 + 3 + 5 + 3 + 12
        for page in pages:
            assert page.live, page.title
            assert page.live_revision_id is not None, page.title
            assert page.latest_revision_id == page.live_revision_id, page.title
            assert page.first_published_at is not None
            assert not page.has_unpublished_changes
        for snippet in [*City.objects.all(), *Sector.objects.all()]:
            assert snippet.live and snippet.live_revision_id is not None, snippet
            assert snippet.revisions.exists()

    def test_the_admin_knows_where_each_demo_item_is_used(self, book):
        assert ReferenceIndex.get_references_to(book.cover_image).filter(object_id=str(book.pk)).exists()
        chapter = ChapterPage.objects.descendant_of(book).filter(body__icontains='"image"').first()
        image = next(block.value["image"] for block in chapter.body if block.block_type == "image")
        assert ReferenceIndex.get_references_to(image).filter(object_id=str(chapter.pk)).exists()
        cannes = City.objects.get(locale=book.locale, slug="cannes")
        assert ReferenceIndex.get_references_to(cannes).exists()

    def test_translation_segments_hold_every_text_of_every_chapter(self, book):
        text_block_types = set()
        for chapter in ChapterPage.objects.descendant_of(book):
            segments = {
                normalise(segment.string.render_text())
                for segment in extract_segments(chapter)
                if isinstance(segment, StringSegmentValue)
            }
            for block in chapter.body:
                texts = block_texts(block.block, block.value)
                if texts:
                    text_block_types.add(block.block_type)
                missing = [text for text in texts if text not in segments]
                assert not missing, (chapter.title, block.block_type, missing)
        assert text_block_types == set(ChapterBodyBlock.base_blocks)
