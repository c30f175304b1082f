"""How editors meet the book's small collections in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from book.models import City, Sector


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_label = _("Cities")
    list_display = ["name", "country", "creative_field", "locale"]
    list_filter = ["creative_field", "locale"]
    search_fields = ["name", "country"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class CollectionsViewSetGroup(SnippetViewSetGroup):
    items = (CityViewSet, SectorViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Cities and sectors")
    menu_name = "book-collections"


register_snippet(CollectionsViewSetGroup)
