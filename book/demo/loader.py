"""Puts the demo book into the database, adding only what is missing.

Everything the loader makes gets a translation key derived from a fixed
namespace and the item's key in ``content``, so a later load recognises it
even after an editor renamed it or changed its slug. Nothing that already
exists is modified: an editor's work always wins over the demo.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from ..models import (
    BookPage,
    ChapterContributor,
    ChapterPage,
    ChapterSector,
    ChapterTheme,
    City,
    ContributorIndexPage,
    ContributorPage,
    PartPage,
    Sector,
    ThemeIndexPage,
    ThemePage,
)
from . import content

IMAGES_DIR = Path(__file__).resolve().parent / "images"

# Never change: the translation keys of every demo item are derived from it.
DEMO_NAMESPACE = uuid.UUID("6d1f3b0e-4c52-4d3a-9a8e-2f6b7c1d9e40")


def demo_key(kind, key):
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


@dataclass
class Tally:
    label: str
    created: int = 0
    present: int = 0


class DemoBookLoader:
    """Loads the demo book once; call ``load()`` inside a transaction."""

    def __init__(self):
        self.tallies = {}
        self.created = []
        self.notes = []
        self.stored_files = []
        self.images = {}
        self.sectors = {}
        self.cities = {}
        self.contributors = {}
        self.themes = {}

    def load(self):
        self.ensure_locales()
        self.locale = Locale.get_default()
        # Indexing references once per new object, rather than on each of its saves,
        # makes the load several times faster.
        with disable_reference_index_auto_update():
            self.load_images()
            self.load_snippets()
            root = Page.get_first_root_node()
            book, book_created = self.ensure_book(root)
            self.load_contributors(book)
            self.load_themes(book)
            self.load_parts(book)
        for instance in self.created:
            if ReferenceIndex.is_indexed(type(instance)):
                ReferenceIndex.create_or_update_for_object(instance)
        self.point_default_site_at(book, root, force=book_created)
        self.remove_stock_welcome_page(root)
        return book

    def tally(self, kind, label):
        return self.tallies.setdefault(kind, Tally(label))

    def ensure_locales(self):
        tally = self.tally("languages", _("Languages"))
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            _locale, created = Locale.objects.get_or_create(language_code=code)
            if created:
                tally.created += 1
            else:
                tally.present += 1

    def load_images(self):
        tally = self.tally("images", _("Images"))
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=content.IMAGE_COLLECTION_NAME).first()
        if collection is None:
            collection = root.add_child(name=content.IMAGE_COLLECTION_NAME)
        Image = get_image_model()
        for spec in content.IMAGES:
            image = Image.objects.filter(collection=collection, title=spec["title"]).first()
            if image is None:
                image = self.store_image(Image, collection, spec)
                tally.created += 1
            else:
                tally.present += 1
            self.images[spec["key"]] = image

    def store_image(self, Image, collection, spec):
        """Writes through the model's storage (local files or S3 alike), never to MEDIA_ROOT itself."""
        with (IMAGES_DIR / spec["file"]).open("rb") as handle:
            file = ImageFile(handle, name=spec["file"])
            image = Image(
                title=spec["title"],
                collection=collection,
                file=file,
                file_size=file.size,
                file_hash=hash_filelike(handle),
            )
            image.save()
        self.created.append(image)
        self.stored_files.append((image.file.storage, image.file.name))
        return image

    def discard_stored_files(self):
        """Removes the files a failed load wrote, since the rollback cannot."""
        for storage, name in self.stored_files:
            storage.delete(name)
        self.stored_files = []

    def load_snippets(self):
        tally = self.tally("sectors", _("Sectors"))
        for position, spec in enumerate(content.SECTORS, start=1):
            self.sectors[spec["key"]] = self.ensure_snippet(
                tally,
                Sector,
                spec["key"],
                name=spec["name"],
                description=f"Description d’exemple du secteur « {spec['name']} ».",
                sort_order=position,
            )
        tally = self.tally("cities", _("Cities"))
        for spec in content.CITIES:
            self.cities[spec["key"]] = self.ensure_snippet(
                tally,
                City,
                spec["key"],
                name=spec["name"],
                country=spec["country"],
                creative_field=spec["creative_field"],
            )

    def ensure_snippet(self, tally, model, key, **fields):
        translation_key = demo_key(model._meta.model_name, key)
        existing = (
            model.objects.filter(locale=self.locale)
            .filter(Q(translation_key=translation_key) | Q(slug=key))
            .first()
        )
        if existing is not None:
            tally.present += 1
            return existing
        snippet = model(locale=self.locale, translation_key=translation_key, slug=key, live=False, **fields)
        snippet.save()
        snippet.save_revision().publish()
        self.created.append(snippet)
        tally.created += 1
        return snippet

    def ensure_page(self, tally, parent, model, key, slug, build):
        """The page known by ``key``, or by ``slug`` under ``parent``; built and published if neither."""
        translation_key = demo_key("page", key)
        page = model.objects.filter(locale=self.locale, translation_key=translation_key).first()
        if page is None:
            page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is not None:
            tally.present += 1
            return page, False
        page = build()
        page.slug = slug
        page.locale = self.locale
        page.translation_key = translation_key
        page.live = False
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(page)
        tally.created += 1
        return page, True

    def ensure_book(self, root):
        spec = content.BOOK

        def build():
            return BookPage(
                title=spec["title"],
                subtitle=spec["subtitle"],
                summary=spec["summary"],
                cover_image=self.images[spec["cover"]],
                cover_credit=spec["cover_credit"],
                editorial_direction=spec["editorial_direction"],
                editors=spec["editors"],
                publisher=spec["publisher"],
                supporters=[("supporter", {"name": name, "url": ""}) for name in spec["supporters"]],
                licence=spec["licence"],
                publication_date=spec["publication_date"],
            )

        return self.ensure_page(
            self.tally("book", _("Book")), root, BookPage, spec["key"], spec["slug"], build
        )

    def point_default_site_at(self, book, root, force):
        """Serves the book unless an editor gave the site a home page of their own since the first load."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=book, is_default_site=True, site_name=book.title
            )
            self.notes.append(_("Created the default site, serving the book."))
            return
        if site.root_page_id == book.pk:
            return
        welcome = self.stock_welcome_page(root)
        if force or site.root_page_id in {root.pk, welcome.pk if welcome else None}:
            site.root_page = book
            site.save()
            self.notes.append(_("The default site now serves the book."))
        else:
            self.notes.append(_("The default site serves another page, chosen by an editor; left as it is."))

    def stock_welcome_page(self, root):
        """Wagtail's placeholder home page, if no one has touched it."""
        return (
            Page.objects.child_of(root)
            .filter(
                content_type=ContentType.objects.get_for_model(Page),
                title=content.WAGTAIL_WELCOME_PAGE_TITLE,
                numchild=0,
            )
            .first()
        )

    def remove_stock_welcome_page(self, root):
        welcome = self.stock_welcome_page(root)
        if welcome is None or Site.objects.filter(root_page=welcome).exists():
            return
        welcome.delete()
        self.notes.append(_("Removed Wagtail's stock welcome page."))

    def load_contributors(self, book):
        index, _created = self.ensure_page(
            self.tally("indexes", _("Index pages")),
            book,
            ContributorIndexPage,
            content.CONTRIBUTOR_INDEX["key"],
            content.CONTRIBUTOR_INDEX["slug"],
            lambda: ContributorIndexPage(
                title=content.CONTRIBUTOR_INDEX["title"],
                introduction=content.CONTRIBUTOR_INDEX["introduction"],
            ),
        )
        tally = self.tally("contributors", _("Contributors"))
        for spec in content.CONTRIBUTORS:

            def build(spec=spec):
                portrait = self.images.get(spec.get("portrait"))
                return ContributorPage(
                    title=spec["name"],
                    professions=spec["professions"],
                    city=self.cities.get(spec.get("city")),
                    portrait=portrait,
                    portrait_credit=content.SAMPLE_CREDIT if portrait else "",
                    biography=content.contributor_biography(spec),
                    links=[("link", link) for link in content.contributor_links(spec)],
                )

            self.contributors[spec["key"]], _created = self.ensure_page(
                tally, index, ContributorPage, f"contributor:{spec['key']}", slugify(spec["name"]), build
            )

    def load_themes(self, book):
        index, _created = self.ensure_page(
            self.tally("indexes", _("Index pages")),
            book,
            ThemeIndexPage,
            content.THEME_INDEX["key"],
            content.THEME_INDEX["slug"],
            lambda: ThemeIndexPage(
                title=content.THEME_INDEX["title"], introduction=content.THEME_INDEX["introduction"]
            ),
        )
        tally = self.tally("themes", _("Themes"))
        for spec in content.THEMES:
            self.themes[spec["key"]], _created = self.ensure_page(
                tally,
                index,
                ThemePage,
                f"theme:{spec['key']}",
                spec["slug"],
                lambda spec=spec: ThemePage(title=spec["title"], description=spec["description"]),
            )

    def load_parts(self, book):
        parts = self.tally("parts", _("Parts"))
        chapters = self.tally("chapters", _("Chapters"))
        for part_spec in content.PARTS:
            part, _created = self.ensure_page(
                parts,
                book,
                PartPage,
                part_spec["key"],
                part_spec["slug"],
                lambda spec=part_spec: PartPage(
                    title=spec["title"], subtitle=spec["subtitle"], introduction=spec["introduction"]
                ),
            )
            for spec in part_spec["chapters"]:
                self.ensure_page(
                    chapters,
                    part,
                    ChapterPage,
                    spec["key"],
                    spec["slug"],
                    lambda spec=spec: self.build_chapter(spec),
                )

    def build_chapter(self, spec):
        image_spec = next((image for image in content.IMAGES if image["key"] == spec.get("image")), None)
        writer = content.BodyWriter(
            spec,
            image=self.images[image_spec["key"]] if image_spec else None,
            image_alt_text=image_spec["alt"] if image_spec else "",
        )
        chapter = ChapterPage(
            title=spec["title"],
            subtitle=content.CHAPTER_SUBTITLE,
            summary=content.chapter_summary(spec),
            city=self.cities[spec["city"]],
            body=writer.body(),
            original_language=spec.get("original_language", ""),
        )
        # A demo body that the editor's form would refuse must fail the load, not reach the admin.
        chapter.body.stream_block.clean(chapter.body)
        chapter.contributor_links = [
            ChapterContributor(contributor=self.contributors[key], role=role, sort_order=position)
            for position, (key, role) in enumerate(spec["contributors"])
        ]
        chapter.theme_links = [
            ChapterTheme(theme=self.themes[key], sort_order=position)
            for position, key in enumerate(spec["themes"])
        ]
        chapter.sector_links = [
            ChapterSector(sector=self.sectors[key], sort_order=position)
            for position, key in enumerate(spec["sectors"])
        ]
        return chapter
