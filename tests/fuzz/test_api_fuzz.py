"""The public API under generated requests: every operation of its own OpenAPI schema.

Schemathesis reads the schema the project serves at /api/v1/schema/ and
generates requests for every documented operation, valid ones and invalid ones,
on the demo book. Each response must come without a server error and conform to
the schema: a documented status code, a documented content type and a body of
the documented shape. Runs are derandomized, so a failure found once is found
again on every machine.
"""

import math

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import Locale

from book.models import BookPage, ChapterPage, City, ContributorPage, Sector, ThemePage

MIN_REQUESTS = 1000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Each operation gets three kinds of requests: generated from the schema,
# deliberately invalid, and generated with real languages and real items of
# the demo book (random strings almost never name one).
STRATEGY_KINDS = 3
ITEMS = {
    "books": BookPage,
    "chapters": ChapterPage,
    "contributors": ContributorPage,
    "themes": ThemePage,
    "cities": City,
    "sectors": Sector,
}
UNDOCUMENTED_METHODS = ["POST", "PUT", "PATCH", "DELETE"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_app(demo_book):
    """The project's WSGI application, inside the test's transaction.

    As Django's test client does, requests keep the test's database connection
    open rather than closing it when they finish, which would end the transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)


def real_refs(kind):
    """Keys and slugs of every item of one kind, in every language of the demo."""
    model = ITEMS[kind]
    rows = model.objects.values_list("translation_key", "slug")
    return sorted({str(key) for key, _slug in rows} | {slug for _key, slug in rows})


def preview_tokens():
    """Tokens for the latest revision of every chapter of the demo, as the admin issues them."""
    from book.models import ChapterPage
    from book.preview import make_token

    return [
        make_token(page, page.latest_revision_id)
        for page in ChapterPage.objects.exclude(latest_revision=None)
    ]


def realistic(operation, locales):
    """Generated requests whose language, and item for a detail, are real ones."""
    kind = operation.path.split("/")[3]
    if kind == "preview":
        # A draft is served only with a token minted for it: the realistic requests carry one.
        return st.sampled_from(preview_tokens()).flatmap(
            lambda token: operation.as_strategy(GenerationMode.POSITIVE, query={"token": token})
        )
    refs = real_refs(kind) if "{ref}" in operation.path else [None]

    def with_values(values):
        locale, ref = values
        return operation.as_strategy(
            GenerationMode.POSITIVE,
            query={"locale": locale},
            path_parameters={"ref": ref} if ref is not None else None,
        )

    return st.tuples(st.sampled_from(locales), st.sampled_from(refs)).flatmap(with_values)


def fuzz_settings(max_examples):
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def send_generated_requests(strategy, max_examples):
    """Send up to ``max_examples`` requests drawn from ``strategy``; the status code of each response."""
    statuses = []

    @fuzz_settings(max_examples)
    @given(case=strategy)
    def send(case):
        with transaction.atomic():
            response = case.call()
            if response.status_code >= 500:
                # On PostgreSQL a failed query aborts the whole transaction: undo this
                # request alone, so that the requests after it still run.
                transaction.set_rollback(True)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    send()
    return statuses


def test_every_operation_survives_generated_requests_and_conforms_to_the_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    locales = sorted(Locale.objects.values_list("language_code", flat=True))
    examples = math.ceil(MIN_REQUESTS / (len(operations) * STRATEGY_KINDS) * 1.1)
    sent = {}
    failures = []
    for operation in operations:
        strategies = {
            "positive": operation.as_strategy(GenerationMode.POSITIVE),
            "negative": operation.as_strategy(GenerationMode.NEGATIVE),
            "realistic": realistic(operation, locales),
        }
        if not list(operation.iter_parameters()):
            # An operation without parameters (the API's root) has no invalid request to generate.
            del strategies["negative"]
        for kind, strategy in strategies.items():
            label = f"{operation.label} ({kind})"
            try:
                sent[label] = send_generated_requests(strategy, examples)
            except Exception as error:  # any failure of one operation, reported with all the others
                failures.append(f"{label}:\n{error}")
    assert not failures, "\n\n".join(failures)
    # Real languages and items must reach the success paths, not only the errors.
    # Operations that need a site's key (its webhook subscriptions) answer the fuzzer's keyless requests 401.
    keyed = {
        operation.label
        for operation in operations
        if operation.definition.raw.get("security") == [{"bearer": []}]
    }
    never_served = [
        label
        for label, statuses in sent.items()
        if "realistic" in label and 200 not in statuses and label.rsplit(" (", 1)[0] not in keyed
    ]
    assert not never_served, never_served
    assert sum(len(statuses) for statuses in sent.values()) >= MIN_REQUESTS
