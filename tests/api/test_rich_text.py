"""Rich text comes out as clean public HTML; images come as renditions."""

import json
from urllib.parse import urljoin

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page

from api.http import bump_content_version
from book.models import ChapterPage
from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def chapter_body(client, book, locale="fr"):
    ref = book.first.translation_key
    return client.get(api("chapter-detail", ref=ref), {"locale": locale}).json()["body"]


def set_body(page, blocks):
    page.body = blocks
    page.save_revision().publish()


def make_document(collection=None):
    document = get_document_model()(
        title="Rapport", collection=collection or Collection.get_first_root_node()
    )
    document.file.save("rapport.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    return document


def test_internal_links_become_api_urls_in_the_language_served(client, book):
    set_body(
        book.en_first,
        [
            (
                "paragraph",
                f'<p>See <a linktype="page" id="{book.andrea.pk}">Andrea</a>, '
                f'<a linktype="page" id="{book.practices.pk}">a theme</a> and '
                f'<a linktype="page" id="{book.part_one.pk}">a part</a>.</p>',
            )
        ],
    )
    html = chapter_body(client, book, "en")[0]["value"]
    assert "linktype" not in html
    assert f'href="http://testserver/api/v1/contributors/{book.andrea.translation_key}/?locale=en"' in html
    # The theme has no English version: its link falls back to French.
    assert f'href="http://testserver/api/v1/themes/{book.practices.translation_key}/?locale=fr"' in html
    assert f"chapters/?locale=en&amp;part={book.part_one.translation_key}" in html


def test_internal_links_name_their_target_for_sites_to_map(client, book):
    index = book.andrea.get_parent()
    set_body(
        book.en_first,
        [
            (
                "paragraph",
                f'<p><a linktype="page" id="{book.andrea.pk}">Andrea</a> '
                f'<a linktype="page" id="{book.practices.pk}">a theme</a> '
                f'<a linktype="page" id="{book.part_one.pk}">a part</a> '
                f'<a linktype="page" id="{index.pk}">all</a></p>',
            )
        ],
    )
    html = chapter_body(client, book, "en")[0]["value"]

    andrea, practices, part = book.andrea.translation_key, book.practices.translation_key, book.part_one
    english_slug = Page.objects.get(translation_key=andrea, locale__language_code="en").slug
    assert (
        f'<a href="http://testserver/api/v1/contributors/{andrea}/?locale=en" data-kind="contributor" '
        f'data-key="{andrea}" data-locale="en" data-slug="{english_slug}">Andrea</a>'
    ) in html
    # Served in French, the theme's link says so.
    assert (
        f'data-kind="theme" data-key="{practices}" data-locale="fr" data-slug="{book.practices.slug}"' in html
    )
    assert (
        f'data-kind="part" data-key="{part.translation_key}" data-locale="en" data-slug="{book.en_part_one.slug}"'
        in html
    )
    assert 'locale=en" data-kind="contributors" data-locale="en">all</a>' in html


def test_links_written_by_other_means_cannot_pass_for_internal_ones(client, book):
    set_body(
        book.first,
        [
            (
                "paragraph",
                '<p><a href="https://example.org/" data-kind="chapter" data-key="x">Ailleurs</a></p>',
            )
        ],
    )
    assert chapter_body(client, book)[0]["value"] == '<p><a href="https://example.org/">Ailleurs</a></p>'


def test_document_links_become_public_document_urls(client, book):
    document = make_document()
    set_body(book.first, [("paragraph", f'<p><a linktype="document" id="{document.pk}">Le rapport</a></p>')])
    html = chapter_body(client, book)[0]["value"]
    assert html == f'<p><a href="http://testserver{document.url}">Le rapport</a></p>'


def test_links_to_private_documents_become_plain_text(client, book):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document(private)
    set_body(book.first, [("paragraph", f'<p><a linktype="document" id="{document.pk}">Le rapport</a></p>')])
    assert chapter_body(client, book)[0]["value"] == "<p>Le rapport</p>"


def test_embedded_images_become_renditions(client, book):
    image = wagtail_factories.ImageFactory()
    set_body(
        book.first,
        [
            (
                "paragraph",
                f'<p>Avant</p><embed alt="Un chat" embedtype="image" format="left" id="{image.pk}"/>',
            )
        ],
    )
    html = chapter_body(client, book)[0]["value"]
    assert "<embed" not in html
    assert '<img alt="Un chat" class="richtext-image left"' in html
    assert ".width-800." in html


def test_external_links_are_kept(client, book):
    set_body(book.first, [("paragraph", '<p><a href="https://example.org/">Ailleurs</a></p>')])
    assert chapter_body(client, book)[0]["value"] == '<p><a href="https://example.org/">Ailleurs</a></p>'


def test_footnote_references_link_to_their_notes(client, book):
    set_body(
        book.first,
        [
            ("paragraph", "<p>Une idée[^1] et une autre[^2], encore[^1].</p>"),
            ("interview", {"question": "Pourquoi ?", "answer": "<p>Parce que[^2].</p>"}),
            ("note", {"number": 1, "text": "<p>Première note.</p>"}),
            ("note", {"number": 2, "text": "<p>Seconde note.</p>"}),
        ],
    )
    body = chapter_body(client, book)
    paragraph = body[0]["value"]
    assert "[^" not in paragraph
    assert '<sup class="note-ref"><a href="#note-1" id="note-ref-1">1</a></sup>' in paragraph
    assert '<sup class="note-ref"><a href="#note-2" id="note-ref-2">2</a></sup>' in paragraph
    # A second reference to the same note links to it without repeating the anchor.
    assert paragraph.count('id="note-ref-1"') == 1 and paragraph.count('href="#note-1"') == 2
    assert '<a href="#note-2">2</a>' in body[1]["value"]["answer"]
    assert body[2] == {
        "type": "note",
        "id": body[2]["id"],
        "value": {
            "number": 1,
            "anchor": "note-1",
            "reference_anchor": "note-ref-1",
            "text": "<p>Première note.</p>",
        },
    }


def test_image_blocks_come_with_renditions_including_webp(client, book):
    image = wagtail_factories.ImageFactory(file__width=2000, file__height=1000)
    set_body(
        book.first,
        [("image", {"image": image, "alt_text": "Une salle", "caption": "La salle", "credit": "Photo Y"})],
    )
    value = chapter_body(client, book)[0]["value"]
    # One alt text and one credit: the image's.
    assert set(value) == {"image", "caption"}
    assert value["caption"] == "La salle"
    described = value["image"]
    assert (described["alt"], described["credit"], described["width"], described["height"]) == (
        "Une salle",
        "Photo Y",
        2000,
        1000,
    )
    renditions = described["renditions"]
    assert renditions["small"]["width"] == 400 and renditions["small"]["height"] == 200
    assert renditions["medium"]["width"] == 800
    assert renditions["large"]["width"] == 1600
    assert renditions["webp"]["url"].endswith(".webp")
    # Absolute URLs into the media storage: this site's /media/, or the S3 bucket's own URLs.
    renditions_url = urljoin("http://testserver/", default_storage.url("images/"))
    assert all(rendition["url"].startswith(renditions_url) for rendition in renditions.values())


def test_contributor_portrait_and_book_cover_have_renditions(client, book):
    contributor = client.get(api("contributor-detail", ref="jean-baptiste-andrea")).json()
    assert set(contributor["portrait"]["renditions"]) == {"small", "medium", "large", "webp"}
    cover = client.get(api("book-list")).json()["results"][0]["cover"]
    assert cover["renditions"]["webp"]["url"].endswith(".webp")


def test_no_wagtail_markup_anywhere_in_a_body(client, book):
    image = wagtail_factories.ImageFactory()
    set_body(
        book.first,
        [
            (
                "paragraph",
                '<p><a linktype="page" id="999999">disparu</a> <a linktype="document" id="999999">doc</a>'
                '<embed embedtype="image" id="999999" format="left" alt="x"/></p>',
            ),
            (
                "interview",
                {"question": "Q", "answer": f'<p><a linktype="page" id="{book.jarre.pk}">Jarre</a></p>'},
            ),
            ("note", {"number": 1, "text": f'<p><a linktype="page" id="{book.third.pk}">Partager</a></p>'}),
            ("image", {"image": image, "alt_text": "A", "caption": "", "credit": ""}),
        ],
    )
    response = client.get(api("chapter-detail", ref="ecrire-avec-la-machine"))
    content = response.content.decode()
    assert "linktype" not in content and "<embed" not in content and "embedtype" not in content
    assert response.json()["body"][0]["value"] == "<p>disparu doc</p>"


def foreign_and_own_images(image):
    return (
        '<p>Lu<img src="https://tracker.example.net/p.gif" width="1" height="1">'
        '<IMG/src="https://example.org/photo.jpg" alt="Ailleurs"></p>'
        f'<embed alt="Un chat" embedtype="image" format="left" id="{image.pk}"/>'
    )


def test_images_from_elsewhere_are_dropped_when_served(client, book):
    image = wagtail_factories.ImageFactory()
    set_body(book.first, [("paragraph", "<p>Avant</p>")])
    # Written by other means than a save (an import, older data).
    raw = [{"type": "paragraph", "value": foreign_and_own_images(image), "id": "p"}]
    ChapterPage.objects.filter(pk=book.first.pk).update(body=json.dumps(raw))
    bump_content_version()

    html = chapter_body(client, book)[0]["value"]

    assert "tracker.example.net" not in html and "example.org" not in html
    assert html.count("<img") == 1 and '<img alt="Un chat"' in html


def test_images_from_elsewhere_are_dropped_when_saved(book):
    image = wagtail_factories.ImageFactory()
    set_body(
        book.first,
        [
            ("paragraph", foreign_and_own_images(image)),
            ("interview", {"question": "Q", "answer": '<p>R<img src="https://t.example.net/p.gif"></p>'}),
            ("note", {"number": 1, "text": '<p>N<img src="https://t.example.net/p.gif"></p>'}),
        ],
    )
    book.andrea.biography = '<p>Bio<img src="https://t.example.net/p.gif"></p>'
    book.andrea.save()

    stored = json.dumps(list(ChapterPage.objects.get(pk=book.first.pk).body.raw_data))
    assert "example.net" not in stored and "example.org" not in stored and "Un chat" in stored
    assert type(book.andrea).objects.get(pk=book.andrea.pk).biography == "<p>Bio</p>"


def test_every_heading_has_an_anchor_unique_in_the_chapter_and_kept_across_saves(client, book):
    def heading(text, block_id):
        return {"type": "heading", "value": {"level": "h2", "text": text}, "id": block_id}

    book.first.body = [
        heading("Le cinéma et l'IA", "a"),
        {"type": "note", "value": {"number": 1, "text": "<p>N</p>"}, "id": "n"},
        heading("Le cinéma et l’IA", "b"),
        heading("Note 1", "c"),
        heading("!!!", "d"),
        heading("创作", "e"),
    ]
    book.first.save_revision().publish()
    anchors = [block["value"]["anchor"] for block in chapter_body(client, book) if block["type"] == "heading"]
    assert anchors == ["le-cinéma-et-lia", "le-cinéma-et-lia-2", "note-1-2", "section", "创作"]

    # Saved again with a block added before them: the same anchors.
    book.first.body = [{"type": "paragraph", "value": "<p>Avant</p>", "id": "p"}, *book.first.body.raw_data]
    book.first.save_revision().publish()
    again = [block["value"]["anchor"] for block in chapter_body(client, book) if block["type"] == "heading"]
    assert again == anchors
