from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from book import kinds

from . import changes, discovery, opds, preview, views
from .schema import DocsView, SchemaView
from .webhooks.subscriptions import SubscriptionViewSet

app_name = "api"

router = SimpleRouter()
router.register("locales", views.LocaleViewSet, basename="locale")
for kind in kinds.served():
    router.register(kind.segment, views.ITEM_VIEWSETS[kind.name], basename=kind.name)
router.register("webhooks", SubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("", discovery.RootView.as_view(), name=discovery.ROOT_NAME),
    path("search/", views.SearchView.as_view(), name="search"),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("opds/", opds.catalog, name="opds"),
    path("opds/v2/", opds.catalog_json, name="opds-json"),
    path("preview/", preview.PreviewView.as_view(), name="preview"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: any other address under the API's root is the API's JSON 404.
    re_path(r"^.*$", discovery.NotFoundView.as_view(), name=discovery.NOT_FOUND_NAME),
]
