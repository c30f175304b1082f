"""The book's one allow-list of addresses, and the blocks that use it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from book.blocks import BibliographyEntryBlock, EmbedBlock
from book.links import link_href, public_html, public_url, url_problem
from book.models.pages import LinkBlock, SupporterBlock

REFUSED_EVERYWHERE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x00javascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "&#x6a;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "&amp;#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.org/",
    "tel:+33100000000",
    "&#104;ttps://example.org/",
    " https://example.org/",
]


@pytest.mark.parametrize("url", REFUSED_EVERYWHERE)
def test_hidden_and_foreign_schemes_are_refused_in_fields_and_in_links(url):
    assert public_url(url) is None
    assert public_url(url, mailto=True, relative=True) is None
    assert link_href(url) is None


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=c&d=e#f", "http://example.org", "HTTPS://EXAMPLE.ORG/"]
)
def test_web_addresses_pass(url):
    assert public_url(url) == url
    assert link_href(url) == url


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("mailto:someone@example.org", "unsafe_url_scheme"),
        ("/media/images/a.jpg", "relative_url"),
        ("#note-1", "relative_url"),
        ("https://", "url_without_host"),
        ("http:alert(1)", "url_without_host"),
    ],
)
def test_a_url_field_takes_only_full_web_addresses(url, code):
    assert url_problem(url).code == code
    assert link_href(url) is not None or code == "url_without_host"


def test_a_message_names_the_refused_scheme():
    with translation.override("en"):
        assert url_problem("&#x6a;avascript:alert(1)").messages == [
            "“javascript:” addresses are not accepted: only http:// and https:// are."
        ]
        assert url_problem("data:x", mailto=True).messages == [
            "“data:” addresses are not accepted: only http://, https:// and mailto: are."
        ]


def test_rich_text_keeps_web_mail_and_site_links_and_drops_the_others():
    html = (
        '<p><a href="https://example.org/">web</a> <a href="mailto:a@example.org">mail</a> '
        '<a href="#note-1">note</a> <a href="java&#9;script:alert(1)">tab</a> '
        '<a href="tel:+331">phone</a> <a href="data:text/html,x">data</a></p>'
    )

    assert public_html.clean(html) == (
        '<p><a href="https://example.org/">web</a> <a href="mailto:a@example.org">mail</a> '
        '<a href="#note-1">note</a> <a>tab</a> <a>phone</a> <a>data</a></p>'
    )


@pytest.mark.parametrize(
    ("block", "value"),
    [
        (LinkBlock(), {"label": "Site", "url": "ftp://files.example.org/cv.pdf"}),
        (SupporterBlock(), {"name": "Soutien", "url": "ftp://files.example.org/"}),
        (
            BibliographyEntryBlock(),
            {"author": "A", "title": "T", "publisher": "", "year": None, "url": "ftp://files.example.org/"},
        ),
        (EmbedBlock(), {"url": "ftp://vimeo.com/1", "title": "", "caption": ""}),
    ],
)
def test_the_blocks_refuse_what_the_allow_list_refuses(block, value):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            block.clean(block.to_python(value))
        message = str(refused.value.block_errors["url"])

    assert "“ftp:”" in message


def test_an_embed_names_the_scheme_rather_than_an_invalid_url():
    block = EmbedBlock()
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            block.clean(
                block.to_python(
                    {"url": "javascript:alert(1)//https://vimeo.com/1", "title": "", "caption": ""}
                )
            )
        message = str(refused.value.block_errors["url"])

    assert "“javascript:”" in message
