"""Query-string filters of the lists: related items by key or slug, ordering, search."""

import uuid

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_filters.widgets import BaseCSVWidget

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

KEY_OR_SLUG = gettext_noop("The key or the slug (in any language) of a %(item)s.")


def interpolated(message, **values):
    """``_(message) % values`` when read, in the language of that moment (the schema's, a form's)."""
    return lazy(lambda: _(message) % {name: str(value) for name, value in values.items()}, str)()


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


# The names of the sort fields, by query value.
ORDERING_LABELS = {
    "tree": gettext_lazy("Book order"),
    "title": gettext_lazy("Title"),
    "word_count": gettext_lazy("Word count"),
    "first_published_at": gettext_lazy("Date of first publication"),
    "sort_name": gettext_lazy("Sort name"),
    "name": gettext_lazy("Name"),
    "position": gettext_lazy("Position"),
}
SEVERAL_FIELDS = gettext_lazy(
    "Several fields sort in turn, comma-separated (ordering=a,-b) or repeated (ordering=a&ordering=-b)."
)


class RepeatedCSVWidget(BaseCSVWidget, forms.Select):
    """Comma-separated values, from one parameter or several of the same name (ordering=a&ordering=b)."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist") and len(data.getlist(name)) > 1:
            return [item for value in data.getlist(name) for item in value.split(",")]
        return super().value_from_datadict(data, files, name)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering by one or several fields, with a default and a last tie-breaker, so that pages never overlap."""

    def __init__(self, *args, default=(), label=None, **kwargs):
        self.default = list(default)
        kwargs.setdefault("widget", RepeatedCSVWidget)
        super().__init__(*args, label=format_lazy("{} {}", label, SEVERAL_FIELDS), **kwargs)
        fields = ", ".join(param for param, _label in self.extra["choices"] if not param.startswith("-"))
        self.extra.setdefault("error_messages", {})["invalid_choice"] = lazy(
            # Django fills in %(value)s; the fields are known now.
            lambda: _(
                "“%(value)s” is not a field to sort by; the fields are: %(fields)s (prefix with - to reverse)."
            ).replace("%(fields)s", fields),
            str,
        )()

    def build_choices(self, fields, labels):
        # Lazy labels, so that the schema names the fields in the language it is read in.
        choices = []
        for param in fields.values():
            label = ORDERING_LABELS.get(param, param)
            choices.append((param, label))
            choices.append((f"-{param}", interpolated(gettext_noop("%(field)s (descending)"), field=label)))
        return choices

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
    return django_filters.CharFilter(method=method, label=interpolated(KEY_OR_SLUG, item=item))


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
