"""The OpenAPI schema describes the public API and is valid."""

import io
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def test_schema_endpoint_serves_a_valid_openapi_3_document(client):
    response = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = (
        response.json() if response["Content-Type"].endswith("json") else yaml.safe_load(response.content)
    )
    validate(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in [
        "/api/v1/locales/",
        "/api/v1/books/",
        "/api/v1/books/{ref}/",
        "/api/v1/chapters/",
        "/api/v1/chapters/{ref}/",
        "/api/v1/chapters/{ref}/cite/",
        "/api/v1/contributors/{ref}/",
        "/api/v1/themes/{ref}/",
        "/api/v1/cities/{ref}/",
        "/api/v1/sectors/{ref}/",
        "/api/v1/search/",
    ]:
        assert path in paths
    assert all(path.startswith("/api/v1/") for path in paths)


def test_schema_documents_the_error_shape_the_parameters_and_the_body_blocks(client):
    schema = yaml.safe_load(client.get(api("schema")).content)
    chapters = schema["paths"]["/api/v1/chapters/"]["get"]
    names = {parameter["name"] for parameter in chapters["parameters"]}
    assert {
        "locale",
        "page",
        "page_size",
        "theme",
        "sector",
        "city",
        "contributor",
        "part",
        "ordering",
        "search",
    } <= names
    assert chapters["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    blocks = schema["components"]["schemas"]["BodyBlock"]
    assert set(blocks["discriminator"]["mapping"]) == {
        "heading",
        "paragraph",
        "quote",
        "image",
        "embed",
        "note",
        "bibliography_entry",
        "interview",
    }


def test_schema_documents_the_citations(client):
    schema = yaml.safe_load(client.get(api("schema")).content)
    components = schema["components"]["schemas"]
    for name in ["Chapter", "ChapterDetail"]:
        assert components[name]["properties"]["citation"]["$ref"].endswith("/Citation")
    assert {"container-title", "author", "editor", "issued", "DOI", "URL"} <= set(
        components["Citation"]["properties"]
    )
    assert set(components["CSLDate"]["properties"]) == {"date-parts"}
    cite = schema["paths"]["/api/v1/chapters/{ref}/cite/"]["get"]
    (format_parameter,) = [parameter for parameter in cite["parameters"] if parameter["name"] == "format"]
    assert format_parameter["required"] and format_parameter["schema"]["enum"] == [
        "bibtex",
        "csl-json",
        "ris",
        "text",
    ]
    assert set(cite["responses"]["200"]["content"]) == {
        "application/x-bibtex",
        "application/x-research-info-systems",
        "application/vnd.citationstyles.csl+json",
        "text/plain",
    }
    assert cite["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_schema_generates_without_warnings():
    output = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)
    validate(yaml.safe_load(output.getvalue()))


def test_docs_page_is_served(client):
    response = client.get(api("docs"))
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    # Swagger UI comes from the site's own static files, which exist, not from a CDN.
    page = response.content.decode()
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def schema_in(client, language):
    response = client.get(
        api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.json()


def test_the_schema_speaks_the_language_asked_for(client):
    summaries = {
        language: schema_in(client, language)["paths"]["/api/v1/chapters/"]["get"]["summary"]
        for language in ("en", "fr")
    }
    assert summaries == {"en": "List the chapters of one language", "fr": "Liste des chapitres d’une langue"}


def test_the_schema_is_generated_once_per_language(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from api.schema import SchemaView

    SchemaView._generated.clear()
    generated = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        generated.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = schema_in(client, "en")
    assert schema_in(client, "en") == first
    assert len(generated) == 1
    schema_in(client, "fr")
    assert len(generated) == 2


def walk(node, path=""):
    """Every (path, dict) of a JSON document."""
    if isinstance(node, dict):
        yield path, node
        for name, value in node.items():
            yield from walk(value, f"{path}/{name}")
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from walk(value, f"{path}/{position}")


def schema_response(client, **extra):
    return client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json", **extra)


def test_the_schema_is_in_english_by_default_and_in_french_on_request(client):
    english = schema_response(client)
    assert english["Content-Language"] == "en"
    assert (
        english.json()["paths"]["/api/v1/chapters/"]["get"]["summary"] == "List the chapters of one language"
    )
    for french in (
        schema_response(client, HTTP_ACCEPT_LANGUAGE="fr"),
        schema_response(client, data={"lang": "fr"}),
    ):
        assert french["Content-Language"] == "fr"
        assert (
            french.json()["paths"]["/api/v1/chapters/"]["get"]["summary"]
            == "Liste des chapitres d’une langue"
        )
    # ?lang= wins over Accept-Language.
    assert schema_response(client, data={"lang": "en"}, HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"
    refused = schema_response(client, data={"lang": "xx"})
    assert refused.status_code == 400
    assert refused.json()["error"]["parameter"] == "lang" and "en, fr" in refused.json()["error"]["message"]


FRENCH = re.compile(r"[àâçéèêëîïôûùœ’«»]|\b(le|la|les|des|une|du|par|pour)\b", re.IGNORECASE)
INTERNAL = re.compile(r"\bapi\.[a-z]|``|\b[Pp]repare|[Ss]erializer|[Qq]ueryset|\bDRF\b|docstring|\bmodule")


def test_the_english_schema_has_no_french_and_no_notes_about_the_code(client):
    schema = schema_response(client).json()
    texts = [
        (f"{path}/{name}", node[name])
        for path, node in walk(schema)
        for name in ("description", "summary", "title")
        if isinstance(node.get(name), str)
    ]
    assert len(texts) > 100
    assert [(path, text) for path, text in texts if FRENCH.search(text)] == []
    assert [(path, text) for path, text in texts if INTERNAL.search(text)] == []
    french = schema_response(client, data={"lang": "fr"}).json()
    assert [path for path, node in walk(french) if INTERNAL.search(str(node.get("description", "")))] == []


def test_the_schema_is_strict_openapi_3_0(client):
    schema = schema_response(client).json()
    assert schema["openapi"].startswith("3.0")
    # A $ref cannot carry nullable in 3.0: a nullable reference is a oneOf with a typed null.
    assert [path for path, node in walk(schema) if "nullable" in node and "type" not in node] == []
    cover = schema["components"]["schemas"]["Book"]["properties"]["cover"]
    assert cover["oneOf"] == [
        {"$ref": "#/components/schemas/Image"},
        {"type": "object", "nullable": True, "enum": [None]},
    ]
    assert schema["servers"] == [{"url": "http://testserver"}]
    assert schema_response(client, HTTP_HOST="localhost").json()["servers"] == [{"url": "http://localhost"}]


def test_every_operation_documents_401_429_and_the_rate_limit_headers(client):
    schema = schema_response(client).json()
    headers = schema["components"]["headers"]
    assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"} <= set(headers)
    operations = [operation for item in schema["paths"].values() for operation in item.values()]
    assert len(operations) >= 18
    for operation in operations:
        responses = operation["responses"]
        for status in ("401", "429"):
            assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
        assert responses["429"]["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
        # A refused key is answered before the rate limit counts the request.
        assert "WWW-Authenticate" in responses["401"]["headers"]
        for status, response in responses.items():
            if status != "401":
                assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(
                    response["headers"]
                ), status


def test_the_root_and_the_locales_counts_are_documented(client):
    schema = schema_response(client).json()
    assert "/api/v1/" in schema["paths"]
    locale = schema["components"]["schemas"]["Locale"]
    assert {"published", "counts", "progress"} <= set(locale["required"])
    toc_chapter = schema["components"]["schemas"]["TocChapter"]
    assert {"locale", "fallback"} <= set(toc_chapter["required"])
    assert "fallback" in schema["components"]["schemas"]["Book"]["required"]


def test_the_docs_read_the_schema_in_their_language(client):
    # The address is in a script, where = is escaped.
    assert "/api/v1/schema/?lang\\u003Den" in client.get(api("docs")).content.decode()
    assert (
        "/api/v1/schema/?lang\\u003Dfr" in client.get(api("docs"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert "/api/v1/schema/?lang\\u003Dfr" in client.get(api("docs"), {"lang": "fr"}).content.decode()


def test_every_body_block_gives_the_value_fields_the_schema_lists_in_their_order(client, demo_book):
    """Each type of block is declared once (``api.body``): what a chapter gives is what the schema says."""
    components = schema_response(client).json()["components"]["schemas"]
    mapping = components["BodyBlock"]["discriminator"]["mapping"]
    seen = set()
    for chapter in client.get(api("chapter-list"), {"page_size": 100}).json()["results"]:
        for block in client.get(api("chapter-detail", ref=chapter["key"])).json()["body"]:
            value = components[mapping[block["type"]].rsplit("/", 1)[-1]]["properties"]["value"]
            if "$ref" in value:
                fields = components[value["$ref"].rsplit("/", 1)[-1]]["properties"]
                assert list(block["value"]) == list(fields), block["type"]
            else:
                assert value["type"] == "string" and isinstance(block["value"], str), block["type"]
            seen.add(block["type"])
    # The demo's chapters hold a block of every type.
    assert seen == set(mapping)
