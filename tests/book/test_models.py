"""Derived values, the table of contents and the translation declarations of the content model."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError
from wagtail.models import PageViewRestriction
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from book.blocks import ChapterBodyBlock
from book.models import BookPage, ChapterPage, ContributorPage, PartPage
from book.text import count_words, reading_time_minutes
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    ContributorPageFactory,
    PartPageFactory,
)

pytestmark = pytest.mark.django_db

EVERY_BLOCK = [
    ("heading", {"level": "h3", "text": "Un titre de section"}),
    ("paragraph", "<p>Premier paragraphe avec une note[^1].</p>"),
    ("quote", {"text": "Une citation mémorable", "attribution": "Une autrice"}),
    (
        "image",
        {"image": None, "alt_text": "Texte alternatif", "caption": "Une légende", "credit": "Un crédit"},
    ),
    ("embed", {"url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ", "title": "Une vidéo", "caption": ""}),
    ("note", {"number": 1, "text": "<p>Le texte de la note</p>"}),
    (
        "bibliography_entry",
        {"author": "Un auteur", "title": "Un ouvrage", "publisher": "Un éditeur", "year": 2024, "url": ""},
    ),
    ("interview", {"question": "Une question posée", "answer": "<p>Une réponse donnée</p>"}),
]


def test_word_count_is_derived_from_the_body_on_save():
    chapter = ChapterPageFactory(body=[("paragraph", "<p>Un deux trois</p>")])
    assert chapter.word_count == 3

    chapter.body = [
        ("paragraph", "<p>Un deux trois quatre</p>"),
        ("heading", {"level": "h2", "text": "Cinq"}),
    ]
    chapter.save()
    chapter.refresh_from_db()
    assert chapter.word_count == 5


def test_word_count_counts_every_text_block_but_not_references_or_bibliography():
    chapter = ChapterPageFactory(body=EVERY_BLOCK)
    # heading 4 + paragraph 6 (the [^1] marker is not a word) + quote 3+2 + caption 2
    # + embed title 2 + note 4 + interview 3+3 ; bibliography and credits are not reading text.
    assert chapter.word_count == 4 + 6 + 5 + 2 + 2 + 4 + 6


def test_word_count_is_not_editable_in_the_admin():
    assert not ChapterPage._meta.get_field("word_count").editable


def test_reading_time_rounds_up_to_whole_minutes(settings):
    settings.BOOK_READING_SPEED_WPM = 200
    assert reading_time_minutes(0) == 0
    assert reading_time_minutes(1) == 1
    assert reading_time_minutes(200) == 1
    assert reading_time_minutes(201) == 2
    chapter = ChapterPageFactory(body=[("paragraph", "<p>" + "mot " * 450 + "</p>")])
    assert chapter.reading_time == 3


def test_count_words_ignores_markup_and_keeps_elisions_and_compounds_whole():
    assert count_words("<p>L’intelligence <b>artificielle</b> n'est pas peut-être</p>") == 5
    assert count_words("") == 0


def test_contributor_sort_name_is_derived_when_left_empty():
    contributor = ContributorPageFactory(title="Jean-Baptiste Andrea")
    assert contributor.sort_name == "Andrea, Jean-Baptiste"
    typed = ContributorPageFactory(title="Takuya Nomura", sort_name="Nomura Takuya")
    assert typed.sort_name == "Nomura Takuya"


def test_table_of_contents_lists_parts_and_chapters_in_tree_order():
    book = BookPageFactory()
    part_one = PartPageFactory(parent=book, title="Partie 1")
    part_two = PartPageFactory(parent=book, title="Partie 2")
    first = ChapterPageFactory(parent=part_one, title="A")
    second = ChapterPageFactory(parent=part_one, title="B")
    third = ChapterPageFactory(parent=part_two, title="C")
    second.move(first, pos="left")

    toc = book.table_of_contents()

    assert [(part.title, [c.title for c in chapters]) for part, chapters in toc] == [
        ("Partie 1", ["B", "A"]),
        ("Partie 2", ["C"]),
    ]
    assert toc[1][1][0].pk == third.pk


def test_table_of_contents_runs_three_queries_whatever_the_size(django_assert_num_queries):
    book = BookPageFactory()
    for _ in range(3):
        part = PartPageFactory(parent=book)
        for _ in range(4):
            ChapterPageFactory(parent=part)
    with django_assert_num_queries(3):
        book.table_of_contents()


def test_table_of_contents_leaves_out_what_the_public_cannot_read():
    book = BookPageFactory()
    part = PartPageFactory(parent=book)
    ChapterPageFactory(parent=part, title="Publié")
    ChapterPageFactory(parent=part, title="Brouillon", live=False)
    ChapterPageFactory(parent=part, title="Expiré", expire_at=timezone.now() - datetime.timedelta(days=1))
    private = ChapterPageFactory(parent=part, title="Privé")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    hidden_part = PartPageFactory(parent=book, live=False)
    ChapterPageFactory(parent=hidden_part, title="Sous une partie en brouillon")

    public_titles = [c.title for _part, chapters in book.table_of_contents() for c in chapters]
    all_titles = [
        c.title for _part, chapters in book.table_of_contents(include_unpublished=True) for c in chapters
    ]

    assert public_titles == ["Publié"]
    assert set(all_titles) == {"Publié", "Brouillon", "Expiré", "Privé", "Sous une partie en brouillon"}


def test_a_reference_to_a_missing_note_is_refused():
    block = ChapterBodyBlock()
    value = block.to_python([{"type": "paragraph", "value": "<p>Voir la note[^2].</p>"}])
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    assert "note 2" in str(error.value.block_errors[0].messages)


def test_two_notes_with_the_same_number_are_refused():
    block = ChapterBodyBlock()
    note = {"type": "note", "value": {"number": 1, "text": "<p>x</p>"}}
    value = block.to_python([note, note])
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    assert 1 in error.value.block_errors


def test_references_that_match_notes_are_accepted():
    block = ChapterBodyBlock()
    value = block.to_python(
        [
            {"type": "paragraph", "value": "<p>Voir[^1].</p>"},
            {"type": "interview", "value": {"question": "Q ?", "answer": "<p>R[^1]</p>"}},
            {"type": "note", "value": {"number": 1, "text": "<p>La note</p>"}},
        ]
    )
    assert len(block.clean(value)) == 3


def test_an_embed_from_no_known_provider_is_refused():
    block = ChapterBodyBlock()
    value = block.to_python(
        [{"type": "embed", "value": {"url": "https://example.com/video", "title": "", "caption": ""}}]
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def _kinds(model):
    fields = get_translatable_fields(model)
    return (
        {f.field_name for f in fields if isinstance(f, TranslatableField)},
        {f.field_name for f in fields if isinstance(f, SynchronizedField)},
    )


def test_text_is_translated_while_relations_images_and_dates_are_synchronised():
    translated, synchronised = _kinds(ChapterPage)
    assert {"title", "slug", "subtitle", "summary", "body"} <= translated
    assert {"city", "contributor_links", "theme_links", "sector_links"} <= synchronised

    translated, synchronised = _kinds(BookPage)
    assert {"title", "subtitle", "summary", "editorial_direction", "supporters", "licence"} <= translated
    assert {"cover_image", "publication_date", "isbn", "doi"} <= synchronised

    translated, synchronised = _kinds(ContributorPage)
    assert {"title", "professions", "biography", "links", "portrait_credit"} <= translated
    assert {"portrait", "city", "sort_name"} <= synchronised

    translated, _synchronised = _kinds(PartPage)
    assert {"title", "subtitle", "introduction"} <= translated


def test_every_text_of_every_block_type_is_extracted_for_translation():
    chapter = ChapterPageFactory(body=EVERY_BLOCK)
    strings = {s.render_text() for s in extract_segments(chapter) if isinstance(s, StringSegmentValue)}
    expected = {
        "Un titre de section",
        "Premier paragraphe avec une note[^1].",
        "Une citation mémorable",
        "Une autrice",
        "Texte alternatif",
        "Une légende",
        "Un crédit",
        "Une vidéo",
        "Le texte de la note",
        "Un auteur",
        "Un ouvrage",
        "Un éditeur",
        "Une question posée",
        "Une réponse donnée",
    }
    assert expected <= strings, expected - strings
