"""The reader renders the demo book from the API, in every language, as a reader would read it."""

import re

import requests


def api(cms, path, **params):
    response = requests.get(f"{cms.url}/api/v1/{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def chapter_with(cms, *types):
    """The key of a published French chapter whose body has blocks of all of ``types``."""
    for summary in api(cms, "chapters/", locale="fr", page_size=100)["results"]:
        chapter = api(cms, f"chapters/{summary['key']}/", locale="fr")
        if set(types) <= {block["type"] for block in chapter["body"]}:
            return chapter
    raise AssertionError(f"no demo chapter has {types}")


def html_tag(html):
    return re.search(r"<html[^>]*>", html).group(0)


def test_the_home_page_shows_the_cover_the_summary_and_the_table_of_contents(cms, reader):
    book = api(cms, "books/", locale="fr")["results"][0]
    detail = api(cms, f"books/{book['key']}/", locale="fr")

    page = reader.get("/fr/")

    assert page.status_code == 200
    assert html_tag(page.text) == '<html lang="fr" dir="ltr">'
    assert f"<h1>{detail['title']}</h1>" in page.text
    assert "Sommaire" in page.text  # the interface speaks French
    assert 'type="image/webp"' in page.text and detail["cover"]["renditions"]["webp"]["url"] in page.text
    for part in detail["toc"]:
        assert f'id="part-{part["key"]}"' in page.text
        for chapter in part["chapters"]:
            assert f'href="/fr/chapters/{chapter["key"]}/"' in page.text
    assert 'href="/en/"' in page.text  # the English edition is published
    assert "Download the book" not in page.text and "Télécharger" not in page.text


def test_a_chapter_renders_every_kind_of_block(cms, reader):
    with_image = chapter_with(cms, "image", "note", "quote", "bibliography_entry", "heading")
    with_interview = chapter_with(cms, "interview", "embed", "note")

    page = reader.get(f"/fr/chapters/{with_image['key']}/").text
    image = next(block for block in with_image["body"] if block["type"] == "image")["value"]
    renditions = image["image"]["renditions"]
    assert (
        f'<source type="image/webp" srcset="{renditions["webp"]["url"]} {renditions["webp"]["width"]}w"'
        in page
    )
    assert f"{renditions['small']['url']} {renditions['small']['width']}w" in page
    assert f"{renditions['medium']['url']} {renditions['medium']['width']}w" in page
    assert f'alt="{image["image"]["alt"]}"' in page
    if image["image"]["credit"]:
        assert f'<span class="credit">{image["image"]["credit"]}</span>' in page
    quote = next(block for block in with_image["body"] if block["type"] == "quote")["value"]
    assert f"<blockquote><p>{quote['text']}</p></blockquote>" in page
    heading = next(block for block in with_image["body"] if block["type"] == "heading")["value"]
    assert f'<{heading["level"]} id="{heading["anchor"]}">{heading["text"]}</{heading["level"]}>' in page
    entry = next(block for block in with_image["body"] if block["type"] == "bibliography_entry")["value"]
    assert f"<cite>{entry['title']}</cite>" in page
    # Footnotes link both ways: the call to its note, the note back to its call.
    for note in (block["value"] for block in with_image["body"] if block["type"] == "note"):
        assert f'href="#{note["anchor"]}" id="{note["reference_anchor"]}"' in page
        assert f'<li id="{note["anchor"]}" value="{note["number"]}">' in page
        assert f'href="#{note["reference_anchor"]}"' in page
    for credit in with_image["contributors"]:
        assert f'href="/fr/contributors/{credit["key"]}/"' in page

    page = reader.get(f"/fr/chapters/{with_interview['key']}/").text
    turn = next(block for block in with_interview["body"] if block["type"] == "interview")["value"]
    assert '<dl class="interview">' in page and turn["question"] in page
    embed = next(block for block in with_interview["body"] if block["type"] == "embed")["value"]
    assert f'<a href="{embed["url"]}">{embed["title"]}</a>' in page
    assert "<iframe" not in page


def test_contributors_themes_cities_and_sectors_lead_to_their_chapters(cms, reader):
    chapter = chapter_with(cms, "paragraph")
    credit = chapter["contributors"][0]
    page = reader.get(f"/fr/contributors/{credit['key']}/")
    assert page.status_code == 200
    assert f"<h1>{credit['title']}</h1>" in page.text
    assert f'href="/fr/chapters/{chapter["key"]}/"' in page.text

    for kind, reference in (
        ("themes", chapter["themes"][0]),
        ("cities", chapter["city"]),
        ("sectors", chapter["sectors"][0]),
    ):
        listing = reader.get(f"/fr/{kind}/")
        assert listing.status_code == 200
        assert f'href="/fr/{kind}/{reference["key"]}/"' in listing.text
        page = reader.get(f"/fr/{kind}/{reference['key']}/")
        assert page.status_code == 200, kind
        assert f"<h1>{reference['title']}</h1>" in page.text
        assert f'href="/fr/chapters/{chapter["key"]}/"' in page.text, kind

    listing = reader.get("/fr/contributors/")
    assert f'href="/fr/contributors/{credit["key"]}/"' in listing.text


def test_search_finds_chapters_and_links_them(cms, reader):
    expected = api(cms, "search/", q="public", locale="fr")["results"]
    assert expected

    page = reader.get("/fr/search/", params={"q": "public"})

    assert page.status_code == 200
    assert f'href="/fr/chapters/{expected[0]["key"]}/"' in page.text
    assert 'value="public"' in page.text
    empty = reader.get("/fr/search/")
    assert empty.status_code == 200 and 'class="results"' not in empty.text


def test_arabic_pages_are_right_to_left_and_say_they_show_another_language(cms, reader):
    chapter = chapter_with(cms, "note")

    for path in ("/ar/", f"/ar/chapters/{chapter['key']}/", "/ar/themes/", "/ar/search/?q=public"):
        page = reader.get(path)
        assert page.status_code == 200, path
        assert html_tag(page.text) == '<html lang="ar" dir="rtl">', path
        # Nothing is published in Arabic: the French is shown, marked as French, and said so in Arabic.
        assert 'lang="fr" dir="ltr"' in page.text, path
        assert "لم تُنشر هذه الصفحة بعد" in page.text, path
        assert 'href="/fr/' in page.text, path

    french = reader.get(f"/fr/chapters/{chapter['key']}/").text
    assert 'class="notice"' not in french
    assert html_tag(french) == '<html lang="fr" dir="ltr">'


def test_a_page_links_to_its_other_published_languages(cms, reader):
    chapter = next(
        api(cms, f"chapters/{summary['key']}/", locale="fr")
        for summary in api(cms, "chapters/", locale="fr", page_size=100)["results"]
        if summary["translations"]
    )
    languages = {translation["locale"] for translation in chapter["translations"]}

    page = reader.get(f"/fr/chapters/{chapter['key']}/").text
    links = set(re.findall(r'<a href="/([a-z-]+)/chapters/' + chapter["key"] + r'/" lang="\1"', page))
    assert links == languages

    english = reader.get(f"/en/chapters/{chapter['key']}/").text
    assert html_tag(english) == '<html lang="en" dir="ltr">'
    assert 'class="notice"' not in english
    assert f'<a href="/fr/chapters/{chapter["key"]}/" lang="fr"' in english


def test_the_language_choice_lists_the_api_locales(cms, reader):
    page = reader.get("/", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    for locale in api(cms, "locales/")["results"]:
        assert (
            f'<a href="/{locale["code"]}/" lang="{locale["code"]}" dir="{locale["direction"]}"' in page.text
        )
    assert "Choisir une langue" in page.text


def test_editions_are_offered_when_the_book_lists_them(cms, relay, reader):
    def with_editions(path, document):
        if path.startswith("/api/v1/books/") and "toc" in document:
            return {
                **document,
                "editions": [{"format": "epub", "url": "https://cdn.example.org/book-fr.epub", "size": 2048}],
            }
        return None

    relay.rewrite = with_editions

    page = reader.get("/fr/").text

    assert 'href="https://cdn.example.org/book-fr.epub"' in page
    assert "Télécharger le livre" in page


def test_links_in_the_text_lead_to_the_readers_pages_by_what_they_name(cms, relay, reader):
    chapter = chapter_with(cms, "paragraph")
    contributor = chapter["contributors"][0]
    part = chapter["part"]["key"]
    api_url = f"{cms.url}/api/v1"
    links = (
        f'<p><a href="{api_url}/contributors/{contributor["key"]}/?locale=fr" data-kind="contributor" '
        f'data-key="{contributor["key"]}" data-locale="fr" data-slug="x">Bio</a> '
        f'<a href="{api_url}/chapters/?locale=en&amp;part={part}" data-kind="part" data-key="{part}" '
        f'data-locale="en" data-slug="y">Part</a> '
        f'<a href="{api_url}/themes/?locale=en" data-kind="themes" data-locale="en">Themes</a> '
        '<a href="https://example.org/">Elsewhere</a></p>'
    )

    def with_links(path, document):
        if path == f"/api/v1/chapters/{chapter['key']}/":
            return {**document, "body": [{"type": "paragraph", "id": "p", "value": links}, *document["body"]]}
        return None

    relay.rewrite = with_links

    page = reader.get(f"/en/chapters/{chapter['key']}/").text

    assert f'<a href="/en/contributors/{contributor["key"]}/" hreflang="fr">Bio</a>' in page
    assert f'<a href="/en/#part-{part}">Part</a>' in page
    assert '<a href="/en/themes/">Themes</a>' in page
    assert '<a href="https://example.org/">Elsewhere</a>' in page
    assert "/api/v1/" not in page.split('<div class="body">', 1)[1]
