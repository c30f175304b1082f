"""The schema documents keys (bearer), the 401 and 429 answers and the rate-limit headers of every operation."""

import pytest
import yaml
from openapi_spec_validator import validate

from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def test_every_operation_documents_the_key_the_refusals_and_the_rate_headers(client):
    schema = yaml.safe_load(client.get(api("schema"), HTTP_ACCEPT_LANGUAGE="en").content)
    validate(schema)
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert "Authorization: Bearer" in schema["components"]["securitySchemes"]["bearer"]["description"]
    operations = [operation for path in schema["paths"].values() for operation in path.values()]
    assert len(operations) > 10
    for path, item in schema["paths"].items():
        for operation in item.values():
            # A site's own webhooks need its key; everything else takes one optionally.
            required = path.startswith("/api/v1/webhooks/")
            assert operation["security"] == ([{"bearer": []}] if required else [{}, {"bearer": []}])
    for operation in operations:
        responses = operation["responses"]
        assert responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
        assert "Retry-After" in responses["429"]["headers"]
        for status, response in responses.items():
            if status != "401":
                assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(
                    response["headers"]
                ), status
