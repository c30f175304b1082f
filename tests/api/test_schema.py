"""The OpenAPI schema describes the public API and is valid."""

import io

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
