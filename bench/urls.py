"""The project's URLs plus the benchmark's two baselines.

``/api/v2/pages/`` is Wagtail's own API over the same pages, asked for the
fields our chapters show; ``/bench/floor/`` is the least a Django JSON view can
do. Neither is part of the project's public URLs.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from book.models import ChapterContributor, ChapterPage, ChapterSector, ChapterTheme
from cms.urls import urlpatterns as project_urlpatterns

# The chapter fields of /api/v1/ (city and sectors are snippets, which API v2
# has no endpoint for: they come as small nested objects).
CHAPTER_LIST_FIELDS = [
    "subtitle",
    "summary",
    "contributor_links",
    "theme_links",
    "sector_links",
    "city",
    "word_count",
    "reading_time",
]
CHAPTER_DETAIL_FIELDS = [*CHAPTER_LIST_FIELDS, "body"]


class NamedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


ChapterPage.api_fields = [
    *(APIField(name) for name in CHAPTER_DETAIL_FIELDS if name not in {"city"}),
    APIField("city", serializer=NamedItemSerializer()),
]
ChapterContributor.api_fields = [APIField("contributor"), APIField("role")]
ChapterTheme.api_fields = [APIField("theme")]
ChapterSector.api_fields = [APIField("sector", serializer=NamedItemSerializer())]

wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PagesAPIViewSet)


def floor(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("api/v2/", wagtail_api.urls),
    path("bench/floor/", floor, name="bench-floor"),
    *project_urlpatterns,
]
