"""A large synthetic book for benchmarks and scale tests.

The book has the shape of the real one (parts, chapters, contributors,
themes, cities, sectors, images, notes) and its text is French-like prose
drawn from a seeded random generator, so two runs with the same options
write the same words. Pages are created the way the admin would leave them
(live, with a published revision, a creation and a publication log entry,
a computed word count), but with the per-page work the admin repeats on
every save done once per batch: revisions, child relations, log entries,
the reference index and the search index.
"""

import io
import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.actions.create import CreateAction
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from .models import (
    BookPage,
    ChapterContributor,
    ChapterPage,
    ChapterSector,
    ChapterTheme,
    City,
    ContributorIndexPage,
    ContributorPage,
    ContributorRole,
    CreativeField,
    PartPage,
    Sector,
    ThemeIndexPage,
    ThemePage,
)

DEFAULT_SLUG = "synthetic-book"
DEFAULT_BLOCKS = 30
CHAPTERS_PER_PART = 20
CITY_COUNT = 10
IMAGE_COUNT = 6
BATCH_SIZE = 100

# Every block type of ChapterBodyBlock, in the order short bodies take them.
BLOCK_TYPES = [
    "heading",
    "paragraph",
    "quote",
    "image",
    "embed",
    "interview",
    "note",
    "bibliography_entry",
]
# How the blocks a chapter has beyond the mandatory ones are drawn: mostly prose.
FILLER_WEIGHTS = {
    "paragraph": 65,
    "heading": 10,
    "quote": 8,
    "image": 7,
    "interview": 8,
    "embed": 2,
}
NOTE_CARRIERS = {"paragraph", "interview"}
# Share of a chapter's paragraphs that refer the reader to another page of the
# book (a contributor, a theme, an earlier chapter), as an edited volume's
# cross-references do.
CROSS_REFERENCE_RATE = 0.5

SECTORS = [
    ("cinema", "Cinéma"),
    ("litterature", "Littérature"),
    ("musique", "Musique"),
    ("arts-numeriques", "Arts numériques"),
]
COUNTRIES = [
    "France",
    "Japon",
    "Brésil",
    "Canada",
    "Corée du Sud",
    "Sénégal",
    "Italie",
    "Espagne",
    "Mexique",
    "Inde",
]

# Nouns with their gender; plurals follow the regular rules of ``plural``.
NOUNS = [
    ("algorithme", "m"),
    ("artiste", "m"),
    ("film", "m"),
    ("récit", "m"),
    ("public", "m"),
    ("modèle", "m"),
    ("réseau", "m"),
    ("langage", "m"),
    ("outil", "m"),
    ("processus", "m"),
    ("regard", "m"),
    ("spectateur", "m"),
    ("écran", "m"),
    ("studio", "m"),
    ("geste", "m"),
    ("corpus", "m"),
    ("savoir", "m"),
    ("territoire", "m"),
    ("patrimoine", "m"),
    ("auteur", "m"),
    ("musicien", "m"),
    ("son", "m"),
    ("rythme", "m"),
    ("texte", "m"),
    ("roman", "m"),
    ("montage", "m"),
    ("scénario", "m"),
    ("archive", "f"),
    ("droit", "m"),
    ("atelier", "m"),
    ("dialogue", "m"),
    ("imaginaire", "m"),
    ("création", "f"),
    ("œuvre", "f"),
    ("image", "f"),
    ("musique", "f"),
    ("machine", "f"),
    ("ville", "f"),
    ("pratique", "f"),
    ("question", "f"),
    ("mémoire", "f"),
    ("culture", "f"),
    ("voix", "f"),
    ("intelligence", "f"),
    ("diffusion", "f"),
    ("écriture", "f"),
    ("lecture", "f"),
    ("plateforme", "f"),
    ("donnée", "f"),
    ("collaboration", "f"),
    ("expérience", "f"),
    ("forme", "f"),
    ("histoire", "f"),
    ("scène", "f"),
    ("chanson", "f"),
    ("mutation", "f"),
    ("invention", "f"),
    ("politique", "f"),
    ("interprétation", "f"),
    ("salle", "f"),
]
ADJECTIVES = [
    ("numérique", "numérique"),
    ("créatif", "créative"),
    ("nouveau", "nouvelle"),
    ("collectif", "collective"),
    ("artistique", "artistique"),
    ("culturel", "culturelle"),
    ("humain", "humaine"),
    ("ouvert", "ouverte"),
    ("inédit", "inédite"),
    ("sonore", "sonore"),
    ("visuel", "visuelle"),
    ("fragile", "fragile"),
    ("profond", "profonde"),
    ("singulier", "singulière"),
    ("libre", "libre"),
    ("local", "locale"),
    ("mondial", "mondiale"),
    ("contemporain", "contemporaine"),
    ("partagé", "partagée"),
    ("imprévu", "imprévue"),
    ("patient", "patiente"),
    ("automatique", "automatique"),
]
# Third person singular and plural of transitive verbs.
VERBS = [
    ("transforme", "transforment"),
    ("interroge", "interrogent"),
    ("révèle", "révèlent"),
    ("déplace", "déplacent"),
    ("accompagne", "accompagnent"),
    ("prolonge", "prolongent"),
    ("invente", "inventent"),
    ("questionne", "questionnent"),
    ("éclaire", "éclairent"),
    ("renouvelle", "renouvellent"),
    ("construit", "construisent"),
    ("ouvre", "ouvrent"),
    ("traduit", "traduisent"),
    ("partage", "partagent"),
    ("imagine", "imaginent"),
    ("modifie", "modifient"),
    ("bouscule", "bousculent"),
    ("nourrit", "nourrissent"),
    ("redéfinit", "redéfinissent"),
    ("rencontre", "rencontrent"),
]
CONNECTORS = [
    "Ainsi,",
    "Pourtant,",
    "Dans ce contexte,",
    "Au fil des années,",
    "De plus,",
    "En somme,",
    "Pour autant,",
    "Depuis longtemps,",
    "Aujourd’hui,",
    "À l’inverse,",
    "D’une ville à l’autre,",
]
PREPOSITIONS = ["dans", "avec", "pour", "entre", "sans", "vers", "par", "sur", "selon", "contre"]
FIRST_NAMES = [
    "Camille",
    "Louise",
    "Hugo",
    "Inès",
    "Mathis",
    "Jeanne",
    "Yasmine",
    "Théo",
    "Amina",
    "Lucas",
    "Sofia",
    "Takuya",
    "Mei",
    "Diego",
    "Aïcha",
    "Joon-ho",
    "Elena",
    "Rafael",
    "Priya",
    "Olivier",
    "Nadia",
    "Kenji",
    "Marta",
    "Samuel",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Fontaine",
    "Nakamura",
    "Diallo",
    "García",
    "Rossi",
    "Kim",
    "Sharma",
    "Tremblay",
    "Silva",
    "Mercier",
    "Benali",
    "Okafor",
    "Duval",
    "Lambert",
    "Rousseau",
    "Ferreira",
    "Sato",
    "Navarro",
    "Petit",
]
PROFESSIONS = [
    "écrivain",
    "cinéaste",
    "compositrice",
    "musicien",
    "chercheuse",
    "productrice",
    "scénariste",
    "artiste numérique",
    "journaliste",
    "photographe",
    "ingénieur",
    "éditrice",
]
CITY_SYLLABLES = ["val", "mor", "bel", "lan", "ver", "rou", "mont", "cas", "bri", "nel", "sor", "fa", "lis"]
CITY_ENDINGS = ["ne", "ac", "ville", "ent", "ieu", "ay", "ois", "elle"]
VOWELS = tuple("aeiouyéèêàâîôûœh")


def plural(word):
    """French plural of a regular noun or adjective."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("eau"):
        return word + "x"
    if word.endswith("al") and word != "festival":
        return word[:-2] + "aux"
    return word + "s"


def capitalize(text):
    return text[:1].upper() + text[1:]


class FrenchText:
    """Deterministic French-like prose drawn from a seeded ``random.Random``."""

    def __init__(self, rng, link_targets=()):
        self.rng = rng
        # Ids of the pages that rich text may link to.
        self.link_targets = list(link_targets)

    def noun_phrase(self, definite=None, adjective=None):
        rng = self.rng
        noun, gender = rng.choice(NOUNS)
        is_plural = rng.random() < 0.3
        if definite is None:
            definite = rng.random() < 0.7
        if adjective is None:
            adjective = rng.random() < 0.5
        masculine = gender == "m"
        if is_plural:
            noun = plural(noun)
            article = "les" if definite else "des"
        elif definite:
            article = "l’" if noun.startswith(VOWELS) else ("le" if masculine else "la")
        else:
            article = "un" if masculine else "une"
        words = f"{article}{noun}" if article.endswith("’") else f"{article} {noun}"
        if adjective:
            adj = rng.choice(ADJECTIVES)[0 if masculine else 1]
            words = f"{words} {plural(adj) if is_plural else adj}"
        return words, is_plural

    def complement(self):
        """A ``de`` complement, with the article contracted as French does."""
        phrase, _is_plural = self.noun_phrase(definite=True)
        if phrase.startswith("le "):
            return "du " + phrase[3:]
        if phrase.startswith("les "):
            return "des " + phrase[4:]
        return "de " + phrase

    def clause(self):
        subject, is_plural = self.noun_phrase()
        verb = self.rng.choice(VERBS)[1 if is_plural else 0]
        obj, _is_plural = self.noun_phrase()
        return f"{subject} {verb} {obj}"

    def sentence(self):
        rng = self.rng
        text = self.clause()
        roll = rng.random()
        if roll < 0.35:
            text = f"{text} {rng.choice(PREPOSITIONS)} {self.noun_phrase()[0]}"
        elif roll < 0.55:
            text = f"{text} {self.complement()}"
        elif roll < 0.7:
            text = f"{text}, et {self.clause()}"
        if rng.random() < 0.25:
            return f"{rng.choice(CONNECTORS)} {text}."
        return capitalize(text) + "."

    def sentences(self, low, high):
        return " ".join(self.sentence() for _i in range(self.rng.randint(low, high)))

    def title(self):
        phrase, _is_plural = self.noun_phrase(definite=True)
        return capitalize(f"{phrase} {self.complement()}")

    def question(self):
        if self.rng.random() < 0.5:
            return f"Que pensez-vous {self.complement()}\u00a0?"
        return f"Selon vous, {self.clause()}\u00a0?"

    def person_name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def city_name(self):
        syllables = [self.rng.choice(CITY_SYLLABLES) for _i in range(self.rng.randint(1, 2))]
        return capitalize("".join(syllables) + self.rng.choice(CITY_ENDINGS))

    def block_key(self):
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _i in range(5))

    def block_id(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def rich_text(self, paragraphs=1, low=3, high=7, notes=()):
        """Rich text as the admin stores it, with ``[^N]`` references spread over its sentences."""
        notes = list(notes)
        html = []
        for number in range(paragraphs):
            sentences = [self.sentence() for _i in range(self.rng.randint(low, high))]
            if self.rng.random() < 0.3:
                position = self.rng.randrange(len(sentences))
                sentences[position] = f"<i>{sentences[position]}</i>"
            if self.rng.random() < 0.15:
                position = self.rng.randrange(len(sentences))
                target = f"https://example.org/ressources/{self.rng.randint(1, 9999)}"
                sentences[position] = f'<a href="{target}">{sentences[position]}</a>'
            if self.link_targets and self.rng.random() < CROSS_REFERENCE_RATE:
                position = self.rng.randrange(len(sentences))
                page_id = self.rng.choice(self.link_targets)
                sentences[position] = f'<a linktype="page" id="{page_id}">{sentences[position]}</a>'
            share = notes if number == paragraphs - 1 else notes[: len(notes) // (paragraphs - number)]
            notes = notes[len(share) :]
            for note in share:
                position = self.rng.randrange(len(sentences))
                sentences[position] = sentences[position] + f"[^{note}]"
            html.append(f'<p data-block-key="{self.block_key()}">{" ".join(sentences)}</p>')
        return "".join(html)


def block_plan(rng, blocks, chapter_number):
    """The block types of one chapter body, in order.

    A body of eight blocks or more has every type: a heading and a paragraph
    open it, notes and bibliography entries close it. Shorter bodies take the
    types in turn from chapter to chapter, so that the book still has them all.
    """
    if blocks < len(BLOCK_TYPES):
        start = (chapter_number - 1) * blocks
        return [BLOCK_TYPES[(start + offset) % len(BLOCK_TYPES)] for offset in range(blocks)]
    notes = max(1, blocks // 10)
    bibliography = max(1, blocks // 15)
    fillers = blocks - notes - bibliography - 6
    middle = ["quote", "image", "embed", "interview"] + rng.choices(
        list(FILLER_WEIGHTS), weights=list(FILLER_WEIGHTS.values()), k=fillers
    )
    rng.shuffle(middle)
    return ["heading", "paragraph", *middle] + ["note"] * notes + ["bibliography_entry"] * bibliography


@dataclass(frozen=True)
class BookSpec:
    """What to generate: the options of the ``generate_book`` command."""

    chapters: int
    blocks: int = DEFAULT_BLOCKS
    seed: int = 0
    slug: str = DEFAULT_SLUG
    parts: int | None = None

    @property
    def part_count(self):
        return self.parts or -(-self.chapters // CHAPTERS_PER_PART)

    @property
    def contributor_count(self):
        return max(5, -(-self.chapters // 4))

    @property
    def theme_count(self):
        return 3 + self.chapters // 200

    def city_slugs(self):
        return [f"{self.slug}-ville-{number}" for number in range(1, CITY_COUNT + 1)]

    def sector_slugs(self):
        return [f"{self.slug}-{sector}" for sector, _name in SECTORS]

    @property
    def collection_name(self):
        return f"Livre synthétique ({self.slug})"


@dataclass
class BuildResult:
    book: BookPage
    counts: dict = field(default_factory=dict)
    stored_files: list = field(default_factory=list)


def _no_progress(label, total):
    return _NullProgress()


class _NullProgress:
    def update(self, count=1):
        pass

    def close(self):
        pass


@contextmanager
def deferred_search_indexing():
    """Stop indexing objects as they are saved; the caller indexes them in bulk afterwards."""
    disconnected = [
        model
        for model in search_index.get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def find_existing(spec, locale):
    """What a previous run with the same slug left: the page, the images' collection, the snippets.

    Returns a dict with ``page`` (any page with that slug under the root, in
    any language), ``collection``, ``cities`` and ``sectors`` (querysets),
    or ``None`` when nothing is there.
    """
    root = Page.get_first_root_node()
    page = root.get_children().filter(slug=spec.slug).first()
    collection = Collection.get_first_root_node().get_children().filter(name=spec.collection_name).first()
    cities = City.objects.filter(locale=locale, slug__in=spec.city_slugs())
    sectors = Sector.objects.filter(locale=locale, slug__in=spec.sector_slugs())
    if page is None and collection is None and not cities.exists() and not sectors.exists():
        return None
    return {"page": page, "collection": collection, "cities": cities, "sectors": sectors}


def _remove_page_references(ids):
    page_type = ContentType.objects.get_for_model(Page)
    for start in range(0, len(ids), BATCH_SIZE * 5):
        chunk = ids[start : start + BATCH_SIZE * 5]
        ReferenceIndex.objects.filter(base_content_type=page_type, object_id__in=chunk).delete()
        ReferenceIndex.objects.filter(to_content_type=page_type, to_object_id__in=chunk).delete()


def delete_existing(existing):
    """Delete a previous synthetic book, in every language, with its images, cities and sectors."""
    page = existing["page"]
    if page is not None:
        for translation in page.get_translations(inclusive=True):
            ids = [str(pk) for pk in translation.get_descendants(inclusive=True).values_list("pk", flat=True)]
            # Removing the references of thousands of pages one page at a time would take most of
            # the deletion's time; they go in a few queries below instead.
            with disable_reference_index_auto_update():
                translation.delete()
            _remove_page_references(ids)
    for model, queryset in ((City, existing["cities"]), (Sector, existing["sectors"])):
        keys = list(queryset.values_list("translation_key", flat=True))
        model.objects.filter(translation_key__in=keys).delete()
    collection = existing["collection"]
    if collection is not None:
        for image in get_image_model().objects.filter(collection=collection):
            image.delete()
        collection.delete()


class SyntheticBookBuilder:
    """Writes one synthetic book; call ``build`` inside a transaction."""

    def __init__(self, spec, progress=None):
        self.spec = spec
        self.progress = progress or _no_progress
        self.locale = Locale.get_default()
        self.text = FrenchText(random.Random(f"{spec.seed}:book"))
        self.result = BuildResult(book=None)
        self._pending = []
        self._created = {}
        self._chapter_ids = []

    def build(self):
        with deferred_search_indexing(), disable_reference_index_auto_update():
            images = self._create_images()
            cities, sectors = self._create_collections()
            book = self._create_book(images)
            self.result.book = book
            contributors = self._create_contributors(book, cities, images)
            themes = self._create_themes(book)
            self._create_parts_and_chapters(book, contributors, themes, cities, sectors, images)
        self._index_created()
        return self.result

    def _rng(self, *parts):
        return random.Random(":".join(str(part) for part in (self.spec.seed, *parts)))

    # Media and snippets: a handful of objects, created as the admin would.

    def _create_images(self):
        from PIL import Image as PILImage
        from PIL import ImageDraw

        root = Collection.get_first_root_node()
        collection = root.add_child(instance=Collection(name=self.spec.collection_name))
        image_model = get_image_model()
        images = []
        for number in range(1, IMAGE_COUNT + 1):
            rng = self._rng("image", number)
            picture = PILImage.new("RGB", (160, 120), tuple(rng.randrange(256) for _i in range(3)))
            draw = ImageDraw.Draw(picture)
            for _i in range(4):
                x, y = rng.randrange(120), rng.randrange(80)
                draw.rectangle(
                    (x, y, x + rng.randint(10, 40), y + rng.randint(10, 40)),
                    fill=tuple(rng.randrange(256) for _j in range(3)),
                )
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG")
            image = image_model(
                title=f"Illustration synthétique {number}",
                collection=collection,
                file=ImageFile(buffer, name=f"{self.spec.slug}-{number}.png"),
            )
            image._set_image_file_metadata()
            image.save()
            self.result.stored_files.append((image.file.storage, image.file.name))
            ReferenceIndex.create_or_update_for_object(image)
            images.append(image)
        self._track(images)
        return images

    def _create_collections(self):
        rng = self._rng("collections")
        text = FrenchText(rng)
        fields = list(CreativeField.values)
        cities = []
        for number, slug in enumerate(self.spec.city_slugs()):
            city = City(
                name=text.city_name(),
                slug=slug,
                country=COUNTRIES[number % len(COUNTRIES)],
                creative_field=fields[number % len(fields)],
                locale=self.locale,
            )
            cities.append(CreateAction(city, publish=True).execute(skip_permission_checks=True))
        sectors = []
        for position, (slug, (_key, name)) in enumerate(zip(self.spec.sector_slugs(), SECTORS, strict=True)):
            sector = Sector(
                name=name,
                slug=slug,
                description=text.sentences(1, 2),
                sort_order=position,
                locale=self.locale,
            )
            sectors.append(CreateAction(sector, publish=True).execute(skip_permission_checks=True))
        for snippet in [*cities, *sectors]:
            ReferenceIndex.create_or_update_for_object(snippet)
        self._track(cities)
        self._track(sectors)
        return cities, sectors

    # Pages: created one by one in the tree, published in batches.

    def _add_page(self, parent, page):
        now = timezone.now()
        page.locale = self.locale
        # Saved as a draft, as the admin does before publishing: Page.save then checks only the
        # title and slug instead of running full_clean, a query per foreign key.
        page.live = False
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
        page.draft_title = page.title
        parent.add_child(instance=page)
        self._pending.append(page)
        return page

    def _publish_pending(self):
        """Give each new page its published revision, log entry and references, as publishing would."""
        pages, self._pending = self._pending, []
        if not pages:
            return
        base_type = ContentType.objects.get_for_model(Page)
        for page in pages:
            page.live = True
        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=ContentType.objects.get_for_model(page),
                base_content_type=base_type,
                object_id=str(page.pk),
                created_at=page.latest_revision_created_at,
                content=page.serializable_data(),
                object_str=str(page),
            )
            for page in pages
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(pages, ["live", "latest_revision", "live_revision"])
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page),
                label=page.get_admin_display_title(),
                action="wagtail.publish",
                timestamp=page.last_published_at,
                data={},
                page_id=page.pk,
                revision=revision,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
        )
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        self._track(pages)

    def _track(self, objects):
        for obj in objects:
            self._created.setdefault(type(obj), []).append(obj.pk)

    def _create_book(self, images):
        text = self.text
        book = BookPage(
            title=f"Livre synthétique : {text.title().lower()}",
            slug=self.spec.slug,
            subtitle=text.title(),
            summary=text.sentences(3, 5),
            cover_image=images[0],
            cover_credit=f"Image : {text.person_name()}",
            editorial_direction=text.sentences(2, 3),
            supporters=[
                {"type": "supporter", "value": {"name": text.title(), "url": ""}, "id": text.block_id()}
                for _i in range(2)
            ],
            licence="CC BY-SA 4.0",
            publication_date=date(2025, 1, 1),
        )
        self._add_page(Page.get_first_root_node(), book)
        self._publish_pending()
        return book

    def _create_contributors(self, book, cities, images):
        text = self.text
        index_page = self._add_page(
            book,
            ContributorIndexPage(title="Contributeurs", slug="contributeurs", introduction=text.rich_text()),
        )
        count = self.spec.contributor_count
        bar = self.progress(_("Contributors"), count)
        contributors = []
        for number in range(1, count + 1):
            rng = self._rng("contributor", number)
            prose = FrenchText(rng)
            name = prose.person_name()
            contributor = ContributorPage(
                title=name,
                slug=f"contributeur-{number}",
                professions=", ".join(rng.sample(PROFESSIONS, rng.randint(1, 2))),
                city=rng.choice(cities),
                portrait=images[number % len(images)],
                portrait_credit=f"Photo : {prose.person_name()}",
                biography=prose.rich_text(paragraphs=rng.randint(1, 2)),
                links=[
                    {
                        "type": "link",
                        "value": {"label": "Site personnel", "url": f"https://example.org/auteurs/{number}"},
                        "id": prose.block_id(),
                    }
                ],
            )
            contributors.append(self._add_page(index_page, contributor))
            if len(self._pending) >= BATCH_SIZE:
                self._publish_pending()
            bar.update()
        self._publish_pending()
        bar.close()
        return contributors

    def _create_themes(self, book):
        text = self.text
        index_page = self._add_page(
            book, ThemeIndexPage(title="Thèmes", slug="themes", introduction=text.rich_text())
        )
        themes = [
            self._add_page(
                index_page,
                ThemePage(title=text.title(), slug=f"theme-{number}", description=text.rich_text(2)),
            )
            for number in range(1, self.spec.theme_count + 1)
        ]
        self._publish_pending()
        return themes

    def _create_parts_and_chapters(self, book, contributors, themes, cities, sectors, images):
        spec = self.spec
        bar = self.progress(_("Chapters"), spec.chapters)
        links = []
        number = 0
        for part_number in range(1, spec.part_count + 1):
            text = FrenchText(self._rng("part", part_number))
            part = self._add_page(
                book,
                PartPage(
                    title=text.title(),
                    slug=f"partie-{part_number}",
                    subtitle=text.title(),
                    introduction=text.rich_text(),
                ),
            )
            end = part_number * spec.chapters // spec.part_count
            while number < end:
                number += 1
                chapter, chapter_links = self._chapter(number, contributors, themes, cities, sectors, images)
                self._add_page(part, chapter)
                self._chapter_ids.append(chapter.pk)
                links.append((chapter, chapter_links))
                if len(links) >= BATCH_SIZE:
                    self._save_links(links)
                    links = []
                    self._publish_pending()
                bar.update()
        self._save_links(links)
        self._publish_pending()
        bar.close()
        self.result.counts.update(
            chapters=spec.chapters,
            parts=spec.part_count,
            contributors=len(contributors),
            themes=len(themes),
            cities=len(cities),
            sectors=len(sectors),
            images=len(images),
        )

    def _save_links(self, links):
        """Write the chapters' contributors, themes and sectors in three queries, and keep them on the
        pages so that their revisions carry them."""
        by_model = {ChapterContributor: [], ChapterTheme: [], ChapterSector: []}
        for chapter, chapter_links in links:
            for objects in chapter_links.values():
                for position, obj in enumerate(objects):
                    obj.chapter = chapter
                    obj.sort_order = position
                    by_model[type(obj)].append(obj)
        for model, objects in by_model.items():
            model.objects.bulk_create(objects)
        for chapter, chapter_links in links:
            for relation, objects in chapter_links.items():
                setattr(chapter, relation, objects)

    def _chapter(self, number, contributors, themes, cities, sectors, images):
        rng = self._rng("chapter", number)
        # Cross-references lead to the contributors, the themes and the chapters written so far.
        targets = [page.pk for page in (*contributors, *themes)] + self._chapter_ids
        text = FrenchText(rng, link_targets=targets)
        plan = block_plan(rng, self.spec.blocks, number)
        body = self._body(text, rng, plan, images)

        primary = contributors[(number - 1) % len(contributors)]
        others = rng.sample([c for c in contributors if c is not primary], k=rng.randint(0, 2))
        if "interview" in plan:
            roles = [ContributorRole.INTERVIEWEE, ContributorRole.INTERVIEWER]
        else:
            roles = [ContributorRole.AUTHOR, ContributorRole.CO_AUTHOR]
        roles.append(rng.choice([ContributorRole.TRANSLATOR, ContributorRole.ILLUSTRATOR]))
        chapter = ChapterPage(
            title=text.title(),
            slug=f"chapitre-{number}",
            subtitle=text.title(),
            summary=text.sentences(2, 3),
            city=rng.choice(cities),
            body=body,
        )
        links = {
            "contributor_links": [
                ChapterContributor(contributor=person, role=role)
                for person, role in zip([primary, *others], roles, strict=False)
            ],
            "theme_links": [ChapterTheme(theme=theme) for theme in rng.sample(themes, k=rng.randint(1, 2))],
            "sector_links": [ChapterSector(sector=rng.choice(sectors))],
        }
        return chapter, links

    def _body(self, text, rng, plan, images):
        note_count = plan.count("note")
        carriers = [position for position, kind in enumerate(plan) if kind in NOTE_CARRIERS]
        references = {}
        if carriers:
            for note in range(1, note_count + 1):
                carrier = carriers[(note - 1) * len(carriers) // note_count]
                references.setdefault(carrier, []).append(note)
        body = []
        next_note = 1
        for position, kind in enumerate(plan):
            notes = references.get(position, ())
            if kind == "heading":
                value = {
                    "level": "h2" if position == 0 else rng.choice(["h2", "h3", "h3"]),
                    "text": text.title(),
                }
            elif kind == "paragraph":
                value = text.rich_text(notes=notes)
            elif kind == "quote":
                value = {"text": text.sentences(1, 3), "attribution": text.person_name()}
            elif kind == "image":
                image = rng.choice(images)
                value = {
                    "image": image.pk,
                    "alt_text": text.sentence(),
                    "caption": text.title(),
                    "credit": f"Photo : {text.person_name()}",
                }
            elif kind == "embed":
                video = "".join(rng.choice("abcdefghijkABCDEFGHIJK0123456789_-") for _i in range(11))
                value = {
                    "url": f"https://www.youtube.com/watch?v={video}",
                    "title": text.title(),
                    "caption": text.sentence(),
                }
            elif kind == "interview":
                value = {
                    "question": text.question(),
                    "answer": text.rich_text(paragraphs=rng.randint(1, 2), notes=notes),
                }
            elif kind == "note":
                value = {"number": next_note, "text": text.rich_text(low=1, high=2)}
                next_note += 1
            else:
                value = {
                    "author": f"{rng.choice(LAST_NAMES)}, {rng.choice(FIRST_NAMES)}",
                    "title": text.title(),
                    "publisher": f"Éditions {rng.choice(LAST_NAMES)}",
                    "year": rng.randint(1960, 2025),
                    "url": f"https://example.org/livres/{rng.randint(1, 99999)}"
                    if rng.random() < 0.5
                    else "",
                }
            body.append({"type": kind, "value": value, "id": text.block_id()})
        return body

    def _index_created(self):
        """Index the new objects in every search backend, a chunk of each model at a time."""
        backends = list(get_search_backends(with_auto_update=True))
        total = sum(len(pks) for pks in self._created.values())
        bar = self.progress(_("Search index"), total)
        for model, pks in self._created.items():
            if not search_index.class_is_indexed(model):
                bar.update(len(pks))
                continue
            for start in range(0, len(pks), BATCH_SIZE):
                chunk = pks[start : start + BATCH_SIZE]
                objects = list(model.get_indexed_objects().filter(pk__in=chunk))
                for backend in backends:
                    backend.add_bulk(model, objects)
                bar.update(len(chunk))
        bar.close()
