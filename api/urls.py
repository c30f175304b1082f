from django.urls import path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from book import kinds

from . import changes, opds, preview, views
from .schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("locales", views.LocaleViewSet, basename="locale")
for kind in kinds.served():
    router.register(kind.segment, views.ITEM_VIEWSETS[kind.name], basename=kind.name)

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("opds/", opds.catalog, name="opds"),
    path("opds/v2/", opds.catalog_json, name="opds-json"),
    path("preview/", preview.PreviewView.as_view(), name="preview"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
