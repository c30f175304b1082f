"""Markup typed into every text field an editor fills: stored as text, shown escaped, served safely.

Each field gets the same payload through the admin's own forms. The admin pages that
show the fields (edit, explorer listing, history, the translation overview and queue)
must show it escaped, never as markup; the public API delivers plain-text fields as the
JSON strings they are (its clients escape them) and rich text without scripts, event
handlers or javascript: URLs, including rich text written to the database directly.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from book.models import ChapterPage, City, ContributorPage, Sector, ThemePage
from tests.api.conftest import api
from tests.cms.test_admin_editing import add_chapter_url, chapter_form_data, edit_url
from tests.factories import (
    BookPageFactory,
    ContributorIndexPageFactory,
    PartPageFactory,
    ThemeIndexPageFactory,
)

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = escape(PAYLOAD)
PUBLISH = {"action-publish": "action-publish"}


def marked(label):
    return f"{label} {PAYLOAD}"


def posted(response):
    assert response.status_code == 302, response.context and response.context["form"].errors
    return response


@pytest.fixture
def written(english_admin_client):
    """A chapter, a contributor, a theme, a city and a sector, every text field carrying the payload."""
    Locale.objects.get_or_create(language_code="en")
    client = english_admin_client
    book = BookPageFactory(title="Le livre")
    part = PartPageFactory(parent=book, title="Première partie")
    contributors = ContributorIndexPageFactory(parent=book)
    themes = ThemeIndexPageFactory(parent=book)
    image = Image.objects.create(title="Atelier", file=get_test_image_file())

    posted(
        client.post(
            reverse("wagtailsnippets_book_city:add"),
            {
                "name": marked("Ville"),
                "slug": "ville",
                "country": marked("Pays"),
                "creative_field": "film",
                **PUBLISH,
            },
        )
    )
    posted(
        client.post(
            reverse("wagtailsnippets_book_sector:add"),
            {
                "name": marked("Secteur"),
                "slug": "secteur",
                "description": marked("Description"),
                "sort_order": "1",
                **PUBLISH,
            },
        )
    )
    city, sector = City.objects.get(slug="ville"), Sector.objects.get(slug="secteur")
    posted(
        client.post(
            reverse("wagtailadmin_pages:add", args=("book", "themepage", themes.pk)),
            nested_form_data(
                {
                    "title": marked("Thème"),
                    "slug": "theme",
                    "description": rich_text(f"<p>{escape(marked('Description'))}</p>"),
                    "comments": inline_formset([]),
                    **PUBLISH,
                }
            ),
        )
    )
    posted(
        client.post(
            reverse("wagtailadmin_pages:add", args=("book", "contributorpage", contributors.pk)),
            nested_form_data(
                {
                    "title": marked("Nom"),
                    "slug": "nom",
                    "sort_name": "",
                    "professions": marked("écrivaine"),
                    "city": city.pk,
                    "portrait": "",
                    "portrait_credit": marked("Crédit"),
                    "biography": rich_text(f"<p>{escape(marked('Biographie'))}</p>"),
                    "links": streamfield(
                        [("link", {"label": marked("Lien"), "url": "https://example.org/"})]
                    ),
                    "comments": inline_formset([]),
                    **PUBLISH,
                }
            ),
        )
    )
    theme, contributor = ThemePage.objects.get(slug="theme"), ContributorPage.objects.get(slug="nom")
    body = [
        ("heading", {"level": "h2", "text": marked("Intertitre")}),
        ("paragraph", rich_text(f"<p>{escape(marked('Paragraphe'))}[^1]</p>")),
        ("quote", {"text": marked("Citation"), "attribution": marked("Autrice")}),
        (
            "image",
            {
                "image": image.pk,
                "alt_text": marked("Alt"),
                "caption": marked("Légende"),
                "credit": marked("Crédit"),
            },
        ),
        ("note", {"number": "1", "text": rich_text(f"<p>{escape(marked('Note'))}</p>")}),
        (
            "bibliography_entry",
            {
                "author": marked("Auteur"),
                "title": marked("Titre"),
                "publisher": marked("Éditeur"),
                "year": "",
                "url": "",
            },
        ),
        (
            "interview",
            {"question": marked("Question"), "answer": rich_text(f"<p>{escape(marked('Réponse'))}</p>")},
        ),
    ]
    posted(
        client.post(
            add_chapter_url(part),
            chapter_form_data(
                marked("Chapitre"),
                "chapitre",
                body=body,
                contributors=[(contributor, "author")],
                themes=[theme],
                sectors=[sector],
                city=city,
                subtitle=marked("Sous-titre"),
                summary=marked("Résumé"),
                **PUBLISH,
            ),
        )
    )
    chapter = ChapterPage.objects.get(slug="chapitre")
    # A second revision, so that the history lists the title more than once.
    posted(
        client.post(
            edit_url(chapter),
            chapter_form_data(
                marked("Chapitre"),
                "chapitre",
                body=body,
                city=city,
                subtitle=marked("Sous-titre"),
                summary=marked("Résumé"),
            ),
        )
    )
    return {
        "part": part,
        "chapter": chapter,
        "contributor": contributor,
        "theme": theme,
        "city": city,
        "sector": sector,
    }


def test_the_fields_are_stored_as_typed_and_the_rich_text_without_markup(written):
    chapter = written["chapter"]
    assert chapter.title == marked("Chapitre")
    assert chapter.body[2].value["text"] == marked("Citation")
    assert written["city"].name == marked("Ville")
    # Typed as text in the editor, the payload is text in the stored rich text, escaped.
    assert ESCAPED in chapter.body[1].value.source
    assert "<script" not in chapter.body[1].value.source
    assert "<script" not in written["contributor"].biography


def admin_pages(written):
    chapter, city, sector = written["chapter"], written["city"], written["sector"]
    return {
        "chapter edit": (
            reverse("wagtailadmin_pages:edit", args=(chapter.pk,)),
            ["Chapitre", "Sous-titre", "Résumé"],
        ),
        "explorer": (reverse("wagtailadmin_explore", args=(written["part"].pk,)), ["Chapitre"]),
        "history": (reverse("wagtailadmin_pages:history", args=(chapter.pk,)), ["Chapitre"]),
        "contributor edit": (
            reverse("wagtailadmin_pages:edit", args=(written["contributor"].pk,)),
            ["Nom", "écrivaine", "Crédit"],
        ),
        "theme edit": (reverse("wagtailadmin_pages:edit", args=(written["theme"].pk,)), ["Thème"]),
        "city edit": (reverse("wagtailsnippets_book_city:edit", args=(city.pk,)), ["Ville", "Pays"]),
        "sector edit": (
            reverse("wagtailsnippets_book_sector:edit", args=(sector.pk,)),
            ["Secteur", "Description"],
        ),
        "city listing": (reverse("wagtailsnippets_book_city:list"), ["Ville"]),
        "translations": (reverse("localization:grid"), ["Chapitre", "Nom", "Thème", "Ville", "Secteur"]),
        "queue en": (
            reverse("localization:queue", args=["en"]),
            ["Chapitre", "Nom", "Thème", "Ville", "Secteur"],
        ),
    }


@pytest.mark.parametrize(
    "page",
    [
        "chapter edit",
        "explorer",
        "history",
        "contributor edit",
        "theme edit",
        "city edit",
        "sector edit",
        "city listing",
        "translations",
        "queue en",
    ],
)
def test_the_admin_shows_the_payload_escaped(english_admin_client, written, page):
    url, labels = admin_pages(written)[page]

    response = english_admin_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert PAYLOAD not in html
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html
    for label in labels:
        assert escape(marked(label)) in html, label


def chapter_json(client, chapter):
    response = client.get(api("chapter-detail", ref=chapter.translation_key), {"locale": "fr"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


class Markup(HTMLParser):
    """The elements and attributes of an HTML fragment, as a browser's parser sees them."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


def assert_safe_html(html, text=None):
    markup = Markup(html)
    assert not {"script", "style", "iframe"} & set(markup.tags), html
    assert not [name for name, _value in markup.attributes if name.startswith("on")], html
    assert not [value for _name, value in markup.attributes if "script:" in (value or "").lower()], html
    if text is not None:
        assert escape(text) in html


def test_the_api_serves_plain_text_as_strings_and_rich_text_without_markup(client, written):
    data = chapter_json(client, written["chapter"])
    blocks = {block["type"]: block["value"] for block in data["body"]}

    assert (data["title"], data["subtitle"]) == (marked("Chapitre"), marked("Sous-titre"))
    assert blocks["heading"]["text"] == marked("Intertitre")
    assert (blocks["quote"]["text"], blocks["quote"]["attribution"]) == (
        marked("Citation"),
        marked("Autrice"),
    )
    assert blocks["image"]["caption"] == marked("Légende")
    assert (blocks["image"]["image"]["alt"], blocks["image"]["image"]["credit"]) == (
        marked("Alt"),
        marked("Crédit"),
    )
    bibliography = blocks["bibliography_entry"]
    assert (bibliography["author"], bibliography["title"], bibliography["publisher"]) == (
        marked("Auteur"),
        marked("Titre"),
        marked("Éditeur"),
    )
    assert blocks["interview"]["question"] == marked("Question")
    assert_safe_html(blocks["paragraph"], marked("Paragraphe"))
    assert_safe_html(blocks["note"]["text"], marked("Note"))
    assert_safe_html(blocks["interview"]["answer"], marked("Réponse"))

    contributor = client.get(api("contributor-detail", ref=written["contributor"].translation_key)).json()
    assert (contributor["title"], contributor["professions"]) == (marked("Nom"), [marked("écrivaine")])
    assert_safe_html(contributor["biography"], marked("Biographie"))
    theme = client.get(api("theme-detail", ref=written["theme"].translation_key)).json()
    assert theme["title"] == marked("Thème")
    assert_safe_html(theme["description"], marked("Description"))
    assert [city["name"] for city in client.get(api("city-list")).json()["results"]] == [marked("Ville")]
    assert [sector["name"] for sector in client.get(api("sector-list")).json()["results"]] == [
        marked("Secteur")
    ]


STORED = (
    '<p data-block-key="a1">Avant<script>alert(1)</script> '
    '<a href="javascript:alert(1)" onclick="alert(1)">lien</a> '
    '<a href="https://example.org/" onmouseover="alert(1)">ailleurs</a>'
    '<img src="x" onerror="alert(1)"><b style="x" onclick="alert(1)">gras</b>'
    '<iframe src="https://example.org/"></iframe><style>p{}</style></p>'
    '<p><a href="&#106;avascript:alert(1)">encodé</a> après</p>'
)
CLEANED = (
    # The image written as markup is not one of the book's: it is dropped with its handler.
    '<p>Avant <a>lien</a> <a href="https://example.org/">ailleurs</a><b>gras</b></p>'
    "<p><a>encodé</a> après</p>"
)


def test_rich_text_written_to_the_database_directly_comes_out_without_scripts(client, written):
    chapter, contributor, theme = written["chapter"], written["contributor"], written["theme"]
    body = list(chapter.body.raw_data)
    for block in body:
        if block["type"] == "paragraph":
            block["value"] = STORED
        elif block["type"] in ("note", "interview"):
            block["value"]["text" if block["type"] == "note" else "answer"] = STORED
    chapter.body = body
    chapter.save_revision().publish()
    contributor.biography = STORED
    contributor.save_revision().publish()
    theme.description = STORED
    theme.save_revision().publish()

    blocks = {block["type"]: block["value"] for block in chapter_json(client, chapter)["body"]}
    biography = client.get(api("contributor-detail", ref=contributor.translation_key)).json()["biography"]
    description = client.get(api("theme-detail", ref=theme.translation_key)).json()["description"]

    assert_safe_html(blocks["paragraph"])
    assert blocks["paragraph"] == CLEANED
    assert blocks["note"]["text"] == CLEANED
    assert blocks["interview"]["answer"] == CLEANED
    assert biography == CLEANED
    assert description == CLEANED
