"""How the reader arranges a chapter's blocks and an image's renditions (pure functions, no server)."""

from reader.blocks import body_sections, image_sources

IMAGE = {
    "alt": "",
    "width": 1000,
    "height": 625,
    "renditions": {
        "small": {"url": "https://cdn.example.org/a.width-400.jpg", "width": 400, "height": 250},
        "medium": {"url": "https://cdn.example.org/a.width-800.jpg", "width": 800, "height": 500},
        "large": {"url": "https://cdn.example.org/a.width-1600.jpg", "width": 1000, "height": 625},
        "webp": {"url": "https://cdn.example.org/a.width-800.format-webp.webp", "width": 800, "height": 500},
    },
}


def test_an_image_offers_its_jpeg_sizes_to_img_and_its_webp_to_a_source():
    picture = image_sources(IMAGE)

    assert picture["srcset"] == (
        "https://cdn.example.org/a.width-400.jpg 400w, "
        "https://cdn.example.org/a.width-800.jpg 800w, "
        "https://cdn.example.org/a.width-1600.jpg 1000w"
    )
    assert (picture["src"], picture["width"], picture["height"]) == (
        "https://cdn.example.org/a.width-800.jpg",
        800,
        500,
    )
    assert picture["sources"] == [
        {"type": "image/webp", "srcset": "https://cdn.example.org/a.width-800.format-webp.webp 800w"}
    ]


def test_an_image_without_renditions_is_not_drawn():
    assert image_sources(None) is None
    assert image_sources({**IMAGE, "renditions": {}}) is None


def test_runs_of_notes_references_and_questions_become_one_list_each():
    body = [
        {"type": "paragraph", "value": "<p>a</p>"},
        {"type": "interview", "value": {"question": "q1", "answer": "a1"}},
        {"type": "interview", "value": {"question": "q2", "answer": "a2"}, "lang": "fr"},
        {"type": "heading", "value": {"level": "h2", "text": "Bibliographie"}},
        {"type": "bibliography_entry", "value": {"title": "x"}, "lang": "fr"},
        {"type": "bibliography_entry", "value": {"title": "y"}, "lang": "fr"},
        {"type": "note", "value": {"number": 1}},
    ]

    sections = body_sections({"body": body})

    assert [(section["type"], len(section["blocks"]), section["lang"]) for section in sections] == [
        ("paragraph", 1, None),
        ("interview", 2, None),
        ("heading", 1, None),
        ("bibliography", 2, "fr"),
        ("notes", 1, None),
    ]
