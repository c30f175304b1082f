"""The benchmark of the queue writes, in bulk, the same translation sources as wagtail-localize would."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    TemplateSegment,
    TranslationContext,
    TranslationSource,
)

from bench.localization import _sources
from cms.localization.state import book_items

pytestmark = pytest.mark.django_db


def written():
    """Every source and segment row, as comparable values."""
    return {
        "sources": sorted(
            (str(source.object_id), source.specific_content_type_id, source.locale_id, source.object_repr)
            + (json.loads(source.content_json).get("title", ""),)
            for source in TranslationSource.objects.all()
        ),
        "strings": sorted(
            StringSegment.objects.values_list(
                "source__object_id", "order", "string__data", "attrs", "context__path", "context__field_path"
            )
        ),
        "templates": sorted(
            TemplateSegment.objects.values_list(
                "source__object_id", "order", "template__uuid", "context__path"
            )
        ),
        "related": sorted(
            RelatedObjectSegment.objects.values_list(
                "source__object_id", "order", "object_id", "context__path"
            )
        ),
        "overridable": sorted(
            OverridableSegment.objects.values_list("source__object_id", "order", "data_json", "context__path")
        ),
    }


def test_bulk_sources_are_wagtail_localizes_own():
    call_command("generate_book", chapters=3, blocks=16, stdout=StringIO())
    items = book_items()

    sources = _sources(items)
    bulk = written()
    assert set(sources) == {item.key for item in items}
    assert len(bulk["strings"]) > 50 and bulk["templates"] and bulk["overridable"]

    for model in (StringSegment, TemplateSegment, RelatedObjectSegment, OverridableSegment):
        model.objects.all().delete()
    TranslationSource.objects.all().delete()
    TranslationContext.objects.all().delete()
    for item in items:
        TranslationSource.get_or_create_from_instance(item.source_instance())

    assert written() == bulk
