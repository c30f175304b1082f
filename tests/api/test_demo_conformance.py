"""Every object the demo's API serves, in every language, is valid against the schema, read strictly.

A strict OpenAPI 3.0 validator (openapi-schema-validator's OAS30Validator): ``nullable`` applies
only beside a ``type``, as the specification says, the way generated clients read the schema.
"""

import pytest
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from wagtail.models import Locale

from tests.api.conftest import api

pytestmark = pytest.mark.django_db

SCHEMA_URI = "urn:book-api"


class Conformance:
    def __init__(self, client):
        self.client = client
        self.schema = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
        self.registry = Registry().with_resource(
            SCHEMA_URI, Resource.from_contents(self.schema, default_specification=DRAFT4)
        )
        self.objects = 0
        self.failures = []

    def check(self, template, url, query=None, **headers):
        response = self.client.get(url, query or {}, **headers)
        assert response.status_code == 200, (url, query, response.content[:300])
        data = response.json()
        pointer = f"{SCHEMA_URI}#/paths/{template.replace('~', '~0').replace('/', '~1')}/get/responses/200"
        validator = OAS30Validator(
            {"$ref": f"{pointer}/content/application~1json/schema"}, registry=self.registry
        )
        for error in validator.iter_errors(data):
            self.failures.append((url, query, list(error.absolute_path), error.message[:200]))
        self.objects += count_objects(data)
        return data


def count_objects(data):
    if isinstance(data, dict):
        return 1 + sum(count_objects(value) for value in data.values())
    if isinstance(data, list):
        return sum(count_objects(value) for value in data)
    return 0


LISTS = ("book", "chapter", "contributor", "theme", "city", "sector")


def test_every_object_of_every_endpoint_of_the_demo_in_every_language_conforms(client, demo_book, settings):
    settings.API_THROTTLE_RATE = None
    run = Conformance(client)
    run.check("/api/v1/", api("root"))
    languages = list(Locale.objects.order_by("pk").values_list("language_code", flat=True))
    assert len(languages) >= 6
    french_keys = {}
    for kind in LISTS:
        results = client.get(api(f"{kind}-list"), {"page_size": 100}).json()["results"]
        french_keys[kind] = [item["key"] for item in results]
        assert french_keys[kind], kind
    for language in languages:
        # The labels follow the locale, the messages Accept-Language: try both ways.
        headers = {"HTTP_ACCEPT_LANGUAGE": "fr"} if language == "en" else {}
        run.check("/api/v1/locales/", api("locale-list"), {"locale": language}, **headers)
        for kind in LISTS:
            plural = api(f"{kind}-list")
            run.check(plural, plural, {"locale": language, "page_size": 100}, **headers)
            template = f"{plural}{{ref}}/"
            for key in french_keys[kind]:
                run.check(template, api(f"{kind}-detail", ref=key), {"locale": language}, **headers)
        run.check("/api/v1/search/", api("search"), {"locale": language, "q": "création"})
        run.check("/api/v1/changes/", api("changes"), {"locale": language})
    assert run.failures == []
    # The demo in six languages: every item of every kind, each with its nested objects.
    assert run.objects > 2000
