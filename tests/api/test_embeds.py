"""Embeds name their provider, and carry its oEmbed title and thumbnail, asked for at publication only."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import api
from tests.webhooks.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIDEO = "https://vimeo.com/76979871"


class StandIn:
    """An oEmbed provider on loopback that counts what it is asked."""

    def __init__(self):
        self.asked = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query)
                stand_in.asked.append(query["url"][0])
                body = json.dumps(
                    {
                        "type": "video",
                        "version": "1.0",
                        "title": "Une ville, un film",
                        "provider_name": "Vimeo",
                        "thumbnail_url": "https://i.vimeocdn.com/video/1.jpg",
                        "html": '<iframe src="https://player.vimeo.com/video/76979871"></iframe>',
                        "width": 640,
                        "height": 360,
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/oembed"


@pytest.fixture
def provider(settings):
    stand_in = StandIn()
    settings.WAGTAILEMBEDS_FINDERS = [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [{"endpoint": stand_in.endpoint, "urls": [r"^https?://(?:www\.)?vimeo\.com/.+$"]}],
        }
    ]
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def publish_with_embed(page):
    page.body = [("embed", {"url": VIDEO, "title": "Extrait", "caption": ""})]
    page.save_revision().publish()


def embed_value(client, book):
    response = client.get(api("chapter-detail", ref=book.first.translation_key))
    assert response.status_code == 200
    return response.json()["body"][0]["value"]


def test_the_provider_describes_an_embed_once_at_publication_never_at_reading(client, book, provider):
    publish_with_embed(book.first)

    # Published, not yet fetched by the worker: the provider's name, from the address alone.
    assert embed_value(client, book) == {
        "url": VIDEO,
        "title": "Extrait",
        "caption": "",
        "provider": "Vimeo",
        "oembed_title": "",
        "thumbnail_url": "",
    }
    assert provider.asked == []

    run_worker()

    value = embed_value(client, book)
    assert (value["provider"], value["oembed_title"], value["thumbnail_url"]) == (
        "Vimeo",
        "Une ville, un film",
        "https://i.vimeocdn.com/video/1.jpg",
    )
    embed_value(client, book)
    client.get(api("chapter-detail", ref=book.first.translation_key), {"locale": "en"})
    assert provider.asked == [VIDEO]

    # Published again: already described, nothing asked.
    book.first.save_revision().publish()
    run_worker()
    assert provider.asked == [VIDEO]


def test_an_unreachable_provider_leaves_the_name_only(client, book, settings):
    settings.WAGTAILEMBEDS_FINDERS = [
        {
            "class": "wagtail.embeds.finders.oembed",
            # A port nothing listens on.
            "providers": [{"endpoint": "http://127.0.0.1:9/oembed", "urls": [r"^https?://vimeo\.com/.+$"]}],
        }
    ]
    publish_with_embed(book.first)
    run_worker()

    value = embed_value(client, book)
    assert (value["provider"], value["oembed_title"], value["thumbnail_url"]) == ("Vimeo", "", "")


@pytest.mark.django_db
def test_reading_embeds_costs_one_query_for_all_of_them(client, book):
    book.first.body = [("embed", {"url": f"{VIDEO}{n}", "title": "", "caption": ""}) for n in range(5)]
    book.first.save_revision().publish()
    with CaptureQueriesContext(connection) as queries:
        embed_value(client, book)
    assert sum("wagtailembeds_embed" in query["sql"] for query in queries.captured_queries) == 1


def test_a_description_makes_only_the_documents_showing_the_embed_obsolete(client, book, provider):
    from api.models import StoredDocument

    publish_with_embed(book.first)
    for chapter in (book.first, book.third):
        assert client.get(api("chapter-detail", ref=chapter.translation_key)).status_code == 200

    def built(chapter):
        return set(
            StoredDocument.objects.filter(key=chapter.translation_key.hex).values_list(
                "shape", "built_seq", "etag"
            )
        )

    elsewhere = built(book.third)
    assert elsewhere

    run_worker()

    assert embed_value(client, book)["oembed_title"] == "Une ville, un film"
    client.get(api("chapter-detail", ref=book.third.translation_key))
    # The other chapter shows no embed: its documents were neither marked nor built again.
    assert built(book.third) == elsewhere
