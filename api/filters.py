"""Query-string filters of the lists: related items by key or slug, ordering, search."""

import uuid

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from book import selectors
from book.models import (
    ChapterContributor,
    ChapterSector,
    ChapterTheme,
    City,
    ContributorPage,
    PartPage,
    Sector,
    ThemePage,
)

from .errors import ParameterError
from .search import search_pks

KEY_OR_SLUG = gettext_lazy("The key or the slug (in any language) of a %(item)s.")


def keys_for(request, model, value, parameter):
    """The translation keys ``value`` names, as a key or a slug; a 400 naming ``parameter`` if none."""
    reader = request.api_reader
    value = value.strip()
    queryset = selectors.published(model, reader.private_q)
    try:
        queryset = queryset.filter(translation_key=uuid.UUID(value))
    except ValueError:
        queryset = queryset.filter(slug=value)
    found = {}
    for key, locale_id in queryset.values_list("translation_key", "locale_id"):
        found.setdefault(locale_id, set()).add(key)
    for locale_id in reader.chain_ids:
        if locale_id in found:
            return found[locale_id]
    keys = set().union(*found.values())
    if not keys:
        raise ParameterError(
            parameter,
            _("Nothing published matches %(parameter)s=“%(value)s”.")
            % {"parameter": parameter, "value": value},
            code="unknown_value",
        )
    return keys


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering with a default and a last tie-breaker, so that pages never overlap."""

    def __init__(self, *args, default=(), **kwargs):
        self.default = list(default)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # Empty items ("?ordering=," or "?ordering=title,") name no field: they are left out.
        ordering = [self.get_ordering_value(param) for param in value or () if param] or self.default
        return qs.order_by(*ordering, "pk")


class SearchFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=gettext_lazy("Words to look for (full-text search).")
    )

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=search_pks(queryset, value, self.request.api_reader.locale))


def related_filter(item, method):
    return django_filters.CharFilter(method=method, label=KEY_OR_SLUG % {"item": item})


class ChapterFilterSet(SearchFilterSet):
    theme = related_filter(gettext_lazy("theme"), "filter_theme")
    sector = related_filter(gettext_lazy("sector"), "filter_sector")
    city = related_filter(gettext_lazy("city"), "filter_city")
    contributor = related_filter(gettext_lazy("contributor"), "filter_contributor")
    part = related_filter(gettext_lazy("part"), "filter_part")
    ordering = StableOrderingFilter(
        fields=(
            ("path", "tree"),
            ("title", "title"),
            ("word_count", "word_count"),
            ("first_published_at", "first_published_at"),
        ),
        default=["path"],
        label=gettext_lazy("Sort order (prefix with - to reverse); book order by default."),
    )

    def filter_theme(self, queryset, name, value):
        keys = keys_for(self.request, ThemePage, value, name)
        return queryset.filter(
            pk__in=ChapterTheme.objects.filter(theme__translation_key__in=keys).values("chapter_id")
        )

    def filter_sector(self, queryset, name, value):
        keys = keys_for(self.request, Sector, value, name)
        return queryset.filter(
            pk__in=ChapterSector.objects.filter(sector__translation_key__in=keys).values("chapter_id")
        )

    def filter_contributor(self, queryset, name, value):
        keys = keys_for(self.request, ContributorPage, value, name)
        return queryset.filter(
            pk__in=ChapterContributor.objects.filter(contributor__translation_key__in=keys).values(
                "chapter_id"
            )
        )

    def filter_city(self, queryset, name, value):
        keys = keys_for(self.request, City, value, name)
        return queryset.filter(city__translation_key__in=keys)

    def filter_part(self, queryset, name, value):
        keys = keys_for(self.request, PartPage, value, name)
        within = Q(pk__in=[])
        for path in PartPage.objects.filter(translation_key__in=keys).values_list("path", flat=True):
            within |= Q(path__startswith=path, depth=len(path) // PartPage.steplen + 1)
        return queryset.filter(within)


class ContributorFilterSet(SearchFilterSet):
    city = related_filter(gettext_lazy("city"), "filter_city")
    ordering = StableOrderingFilter(
        fields=(("sort_name", "sort_name"), ("title", "title")),
        default=["sort_name"],
        label=gettext_lazy("Sort order (prefix with - to reverse); by sort name by default."),
    )

    def filter_city(self, queryset, name, value):
        keys = keys_for(self.request, City, value, name)
        return queryset.filter(city__translation_key__in=keys)


class TreeOrderedFilterSet(SearchFilterSet):
    ordering = StableOrderingFilter(
        fields=(("path", "tree"), ("title", "title")),
        default=["path"],
        label=gettext_lazy("Sort order (prefix with - to reverse); book order by default."),
    )


class NamedFilterSet(SearchFilterSet):
    ordering = StableOrderingFilter(
        fields=(("name", "name"),),
        default=["name"],
        label=gettext_lazy("Sort order (prefix with - to reverse); by name by default."),
    )


class SectorFilterSet(SearchFilterSet):
    ordering = StableOrderingFilter(
        fields=(("sort_order", "position"), ("name", "name")),
        default=["sort_order", "name"],
        label=gettext_lazy("Sort order (prefix with - to reverse); by position by default."),
    )
