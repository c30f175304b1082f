"""The search vectors PostgreSQL keeps are derived data: Django's data commands leave them out."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import ChapterPageFactory

pytestmark = pytest.mark.django_db


def test_dumpdata_works_and_leaves_the_stored_vectors_out():
    ChapterPageFactory(title="Jardins suspendus")
    output = StringIO()

    call_command("dumpdata", all=True, format="json", stdout=output)

    models = {row["model"] for row in json.loads(output.getvalue())}
    assert "book.chapterpage" in models
    assert "api.storedvector" not in models
