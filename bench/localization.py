"""``make bench``: the translators' queue and the overview grid at the book's real scale.

Builds a generated book (``BENCH_QUEUE_CHAPTERS`` chapters, 2,000 by default,
as ``generate_book`` makes it) in a throwaway database, like ``bench/api.py``,
then gives every item a state in each target language, as months of work
would leave them: published, in progress, source changed since, awaiting
review, not started, some assigned with a due date. Then it asks for the
first page of a queue and of the grid, as a translator opening them would,
and prints one line for each::

    queue page: T ms, B KB, Q queries
    grid page: T ms, B KB, Q queries

T is the median time of ``BENCH_REQUESTS`` requests (default 15) through
Django's test client, B the size of the HTML, Q the queries of one request.

Building the book and its translations takes minutes at 2,000 chapters. With
``BENCH_QUEUE_DATABASE_URL`` naming a PostgreSQL database, the bench uses that
database instead of a throwaway one and keeps it: the first run migrates it and
builds the book there, later runs migrate it (so that a new migration is
measured on an existing book) and measure the book they find.

The states are written in bulk, not through the translation editor, so that
thousands of translations are set up in a few minutes: the rows are those
wagtail-localize and Wagtail write (sources and their segments, translations,
translated strings, translated pages, review workflows), with the values that
make each state.
"""

import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta

CHAPTERS = int(os.environ.get("BENCH_QUEUE_CHAPTERS", "2000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "15"))
PAGE_BYTES_TARGET = 300 * 1024
PAGE_MS_TARGET = 300

PUBLISHED, IN_PROGRESS, AWAITING_REVIEW, NOT_STARTED = (
    "published",
    "in_progress",
    "awaiting_review",
    "not_started",
)
# Twenty shares of the items of a language: what state each is in. Each language
# takes them in a different order, so no two languages have done the same items.
SHARES = [PUBLISHED] * 7 + [IN_PROGRESS] * 4 + [AWAITING_REVIEW] + [NOT_STARTED] * 8
# One item in ten has changed in French since its translations were last synced.
CHANGED_EVERY = 10
# One item in twenty is given to the language's translator, due in the coming weeks.
ASSIGNED_EVERY = 20


def planned_state(index, locale_index):
    return SHARES[(index * 7 + locale_index * 3) % len(SHARES)]


def start_every_state(locales, progress=print):
    """Give each item of the source book a state in each of ``locales`` (see the module's docstring)."""
    from django.db import transaction

    from cms.localization.state import book_items

    items = book_items()
    plan = {
        (item.key, locale.pk): planned_state(index, locale_index)
        for index, item in enumerate(items)
        for locale_index, locale in enumerate(locales)
    }
    with transaction.atomic():
        progress(f"# extracting the segments of {len(items)} items")
        sources = _sources(items)
        progress("# writing translations, translated strings, pages and reviews")
        _translations(items, locales, plan, sources)
        make_targets(items, locales, plan)
        _changed_sources(items, sources)
        _assignments(items, locales, plan)
    return plan


def _sources(items):
    """The items' translation sources and their segments, as starting their translations would write them.

    wagtail-localize extracts one source with a few queries per segment (about 650 for a
    generated chapter); here every item's segments are extracted in memory, then each table
    is written in a few bulk inserts: the same rows, in minutes instead of hours.
    """
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone
    from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
    from wagtail.models import Page
    from wagtail_localize.models import (
        OverridableSegment,
        RelatedObjectSegment,
        String,
        StringSegment,
        Template,
        TemplateSegment,
        TranslatableObject,
        TranslationContext,
        TranslationSource,
        get_schema_version,
    )
    from wagtail_localize.segments import (
        OverridableSegmentValue,
        RelatedObjectSegmentValue,
        TemplateSegmentValue,
    )
    from wagtail_localize.segments.extract import extract_segments

    instances = []
    pages = Page.objects.filter(pk__in=[item.source_pk for item in items if item.model is Page]).specific()
    by_pk = {page.pk: page for page in pages}
    for item in items:
        instances.append(by_pk[item.source_pk] if item.model is Page else item.source_instance())

    now = timezone.now()
    objects = [
        TranslatableObject(
            translation_key=instance.translation_key,
            content_type=ContentType.objects.get_for_model(instance.get_translation_model()),
        )
        for instance in instances
    ]
    TranslatableObject.objects.bulk_create(objects, ignore_conflicts=True, batch_size=1000)
    rows = []
    for instance in instances:
        if isinstance(instance, ClusterableModel):
            content_json = instance.to_json()
        else:
            content_json = json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)
        rows.append(
            TranslationSource(
                object_id=instance.translation_key,
                specific_content_type=ContentType.objects.get_for_model(type(instance)),
                locale_id=instance.locale_id,
                object_repr=str(instance)[:200],
                content_json=content_json,
                schema_version=get_schema_version(instance._meta.app_label),
                last_updated_at=now,
            )
        )
    TranslationSource.objects.bulk_create(rows, batch_size=500)
    sources = {
        source.object_id: source
        for source in TranslationSource.objects.filter(object_id__in=[row.object_id for row in rows])
    }

    strings, templates, contexts, related = {}, {}, {}, {}
    extracted = []
    for instance in instances:
        source = sources[instance.translation_key]
        instance = source.as_instance()
        for value in extract_segments(instance):
            context_key = (source.object_id, TranslationContext._get_path_id(value.path))
            if context_key not in contexts:
                context = TranslationContext(
                    object_id=source.object_id, path=value.path, path_id=context_key[1]
                )
                # Computed as wagtail-localize does, written with the rest below.
                context.save = lambda *args, **kwargs: None
                context.get_field_path(instance)
                del context.save
                contexts[context_key] = context
            if isinstance(value, TemplateSegmentValue):
                namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format)
                template_uuid = uuid.uuid5(namespace, value.template)
                templates.setdefault(
                    template_uuid,
                    Template(
                        uuid=template_uuid,
                        template=value.template,
                        template_format=value.format,
                        string_count=value.string_count,
                    ),
                )
            elif isinstance(value, RelatedObjectSegmentValue):
                related.setdefault(
                    value.translation_key,
                    TranslatableObject(
                        translation_key=value.translation_key, content_type=value.content_type
                    ),
                )
            elif not isinstance(value, OverridableSegmentValue):
                data_hash = String._get_data_hash(value.string.data)
                strings.setdefault(
                    (source.locale_id, data_hash),
                    String(locale_id=source.locale_id, data_hash=data_hash, data=value.string.data),
                )
            extracted.append((source, context_key, value))

    String.objects.bulk_create(strings.values(), ignore_conflicts=True, batch_size=2000)
    Template.objects.bulk_create(templates.values(), ignore_conflicts=True, batch_size=1000)
    TranslationContext.objects.bulk_create(contexts.values(), ignore_conflicts=True, batch_size=2000)
    TranslatableObject.objects.bulk_create(related.values(), ignore_conflicts=True, batch_size=1000)
    string_ids = {
        (locale_id, data_hash): pk
        for pk, locale_id, data_hash in String.objects.filter(
            data_hash__in=[data_hash for _locale, data_hash in strings]
        ).values_list("pk", "locale_id", "data_hash")
    }
    template_ids = dict(Template.objects.filter(uuid__in=list(templates)).values_list("uuid", "pk"))
    context_ids = {
        (object_id, path_id): pk
        for pk, object_id, path_id in TranslationContext.objects.filter(
            object_id__in=list(sources)
        ).values_list("pk", "object_id", "path_id")
    }

    segments = {StringSegment: [], TemplateSegment: [], RelatedObjectSegment: [], OverridableSegment: []}
    for source, context_key, value in extracted:
        common = {"source": source, "context_id": context_ids[context_key], "order": value.order}
        if isinstance(value, TemplateSegmentValue):
            namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format)
            template_id = template_ids[uuid.uuid5(namespace, value.template)]
            segments[TemplateSegment].append(TemplateSegment(template_id=template_id, **common))
        elif isinstance(value, RelatedObjectSegmentValue):
            segments[RelatedObjectSegment].append(
                RelatedObjectSegment(object_id=value.translation_key, **common)
            )
        elif isinstance(value, OverridableSegmentValue):
            segments[OverridableSegment].append(
                OverridableSegment(data_json=json.dumps(value.data, cls=DjangoJSONEncoder), **common)
            )
        else:
            string_id = string_ids[(source.locale_id, String._get_data_hash(value.string.data))]
            segments[StringSegment].append(
                StringSegment(
                    string_id=string_id, attrs=json.dumps(value.attrs, cls=DjangoJSONEncoder), **common
                )
            )
    for model, rows in segments.items():
        model.objects.bulk_create(rows, batch_size=5000)
    return {item.key: sources[item.key] for item in items}


def _translations(items, locales, plan, sources):
    from wagtail_localize.models import StringSegment, StringTranslation, Translation

    started = [
        (item, locale) for item in items for locale in locales if plan[(item.key, locale.pk)] != NOT_STARTED
    ]
    Translation.objects.bulk_create(
        [Translation(source=sources[item.key], target_locale=locale) for item, locale in started],
        batch_size=2000,
    )
    segments = {}
    for segment in StringSegment.objects.order_by("order").values(
        "source_id", "string_id", "context_id", "string__data"
    ):
        segments.setdefault(segment["source_id"], []).append(segment)
    strings = []
    for item, locale in started:
        mine = segments.get(sources[item.key].pk, [])
        # Work in progress has its first half translated; the rest, all of it.
        if plan[(item.key, locale.pk)] == IN_PROGRESS:
            mine = mine[: len(mine) // 2]
        strings.extend(
            StringTranslation(
                translation_of_id=segment["string_id"],
                context_id=segment["context_id"],
                locale=locale,
                data=f"[{locale.language_code}] {segment['string__data']}",
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            )
            for segment in mine
        )
    StringTranslation.objects.bulk_create(strings, batch_size=5000, ignore_conflicts=True)


def make_targets(items, locales, plan):
    """The translated pages and snippets: live when published, drafts otherwise, in review when awaiting it."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page, Workflow, WorkflowState

    now = timezone.now()
    pages = [item for item in items if item.model is Page]
    specific = {
        page.pk: page
        for page in Page.objects.filter(pk__in=[item.source_pk for item in pages]).specific(defer=False)
    }
    root = Page.get_first_root_node()
    workflow, _created = Workflow.objects.get_or_create(name="Translation review (bench)")
    page_type = ContentType.objects.get_for_model(Page)
    reviews = []
    for locale in locales:
        # The pages that have a translation, and every page above one: a translated
        # chapter has its part and its book in the language, as in wagtail-localize.
        wanted = {item.source_pk for item in pages if plan[(item.key, locale.pk)] != NOT_STARTED}
        paths = {specific[pk].path for pk in wanted}
        kept = [
            item
            for item in pages
            if item.source_pk in wanted
            or any(path.startswith(specific[item.source_pk].path) for path in paths)
        ]
        book_path = root.path + f"{root.numchild + 1:0{Page.steplen}d}"
        root.numchild += 1
        children = {}
        for item in kept:
            parent_path = specific[item.source_pk].path[: -Page.steplen]
            children[parent_path] = children.get(parent_path, 0) + 1
        rows, copies = [], []
        for item in kept:
            source = specific[item.source_pk]
            state = plan[(item.key, locale.pk)]
            relative = source.path[len(root.path) + Page.steplen :]
            row = Page(
                title=f"[{locale.language_code}] {source.title}",
                draft_title=f"[{locale.language_code}] {source.title}",
                slug=source.slug,
                content_type_id=source.content_type_id,
                locale=locale,
                translation_key=source.translation_key,
                path=book_path + relative,
                depth=source.depth,
                numchild=children.get(source.path, 0),
                url_path=source.url_path,
                live=state == PUBLISHED,
                has_unpublished_changes=state != PUBLISHED,
                first_published_at=now if state == PUBLISHED else None,
                last_published_at=now if state == PUBLISHED else None,
            )
            rows.append(row)
            copies.append(source)
        Page.objects.bulk_create(rows, batch_size=1000)
        for row, source in zip(rows, copies, strict=True):
            _save_specific(source, row)
            if plan[(source.translation_key, locale.pk)] == AWAITING_REVIEW:
                reviews.append((row, source.content_type_id, page_type.pk))
        for model in _snippet_models():
            reviews.extend(_snippet_targets(model, items, locale, plan, now))
    root.save(update_fields=["numchild"])
    WorkflowState.objects.bulk_create(
        WorkflowState(
            content_type_id=content_type_id,
            base_content_type_id=base_type_id,
            object_id=str(target.pk),
            workflow=workflow,
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        for target, content_type_id, base_type_id in reviews
    )


def _save_specific(source, row):
    """Write the page's own table beside its ``Page`` row, with the source's values."""
    from wagtail.models import Page

    model = type(source)
    values = {
        field.attname: getattr(source, field.attname)
        for field in model._meta.concrete_fields
        if field.model is not Page and not field.primary_key
    }
    model(page_ptr_id=row.pk, **values).save_base(raw=True)


def _snippet_models():
    from cms.localization.state import SNIPPET_KINDS

    return list(SNIPPET_KINDS)


def _snippet_targets(model, items, locale, plan, now):
    from django.contrib.contenttypes.models import ContentType

    sources = {
        item.source_pk: plan[(item.key, locale.pk)]
        for item in items
        if item.model is model and plan[(item.key, locale.pk)] != NOT_STARTED
    }
    copies = []
    for source in model.objects.filter(pk__in=sources):
        state = sources[source.pk]
        source.pk = None
        source.locale = locale
        source.slug = f"{source.slug}-{locale.language_code}"
        source.live = state == PUBLISHED
        source.has_unpublished_changes = state != PUBLISHED
        source.latest_revision = source.live_revision = None
        copies.append((source, state))
    model.objects.bulk_create([copy for copy, _state in copies])
    content_type = ContentType.objects.get_for_model(model)
    return [(copy, content_type.pk, content_type.pk) for copy, state in copies if state == AWAITING_REVIEW]


def _changed_sources(items, sources):
    """Every tenth item was published again in French after its source was last read."""
    from wagtail_localize.models import TranslationSource

    for item in items[3::CHANGED_EVERY]:
        if item.last_published_at is not None:
            TranslationSource.objects.filter(pk=sources[item.key].pk).update(
                last_updated_at=item.last_published_at - timedelta(days=1)
            )


def _assignments(items, locales, plan):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail_localize.models import TranslatableObject

    from cms.localization.models import Assignment
    from cms.roles import TRANSLATORS, group_name

    today = date.today()
    objects = {obj.translation_key: obj for obj in TranslatableObject.objects.all()}
    assignments = []
    for locale in locales:
        user = get_user_model().objects.create_user(
            f"bench-translator-{locale.language_code}", first_name=f"Translator {locale.language_code}"
        )
        group, _created = Group.objects.get_or_create(name=group_name(TRANSLATORS, locale.language_code))
        user.groups.add(group)
        for index, item in enumerate(items[::ASSIGNED_EVERY]):
            if plan[(item.key, locale.pk)] in (PUBLISHED, AWAITING_REVIEW):
                continue
            assignments.append(
                Assignment(
                    object=objects[item.key],
                    locale=locale,
                    assignee=user,
                    due_date=today + timedelta(days=7 + index % 30),
                )
            )
    Assignment.objects.bulk_create(assignments)


def ensure_target_locales():
    from django.conf import settings
    from wagtail.models import Locale

    from cms.permissions import translatable_locales

    for code in settings.BOOK_TARGET_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return translatable_locales()


class Measure:
    def __init__(self, user):
        from django.test import Client

        self.client = Client()
        self.client.force_login(user)

    def page(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)
        times = []
        for _i in range(REQUESTS):
            started = time.perf_counter()
            response = self.client.get(url)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET {url} answered {response.status_code}, not 200.")
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        return statistics.median(times) * 1000, len(response.content), len(captured)


def run(plan, locales):
    from collections import Counter

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.urls import reverse

    from book.models import ChapterPage
    from cms.localization.state import book_items, item_states, source_locale

    items = len(book_items())
    chapters = ChapterPage.objects.filter(locale=source_locale(), live=True).count()
    states = item_states(locales)
    counted = Counter(state.state for per_locale in states.values() for state in per_locale)
    print(
        f"# {connection.vendor}, {chapters} chapters, {items} items x {len(locales)} languages; "
        + ", ".join(f"{state} {count}" for state, count in sorted(counted.items()))
        + f"; median of {REQUESTS} requests"
    )
    # Measured as the site's processes serve it: loaded, then settled as cms/wsgi.py does.
    from cms.startup import settle

    settle()
    admin = get_user_model().objects.filter(username="bench-editor").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-editor", "bench-editor@example.org", None)
    measure = Measure(admin)
    missed = []
    for name, url in (
        ("queue page", reverse("localization:queue", args=[locales[0].language_code])),
        ("grid page", reverse("localization:grid")),
    ):
        ms, size, queries = measure.page(url)
        print(f"{name}: {ms:.0f} ms, {size / 1024:.0f} KB, {queries} queries")
        sys.stdout.flush()
        if ms >= PAGE_MS_TARGET or size >= PAGE_BYTES_TARGET:
            missed.append(name)
    print(
        f"# targets (each page under {PAGE_MS_TARGET} ms and {PAGE_BYTES_TARGET // 1024} KB): "
        + ("all met" if not missed else "missed by " + ", ".join(missed))
    )


def main():
    from contextlib import nullcontext

    from bench.database import scratch_database

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    kept = os.environ.get("BENCH_QUEUE_DATABASE_URL", "")
    with nullcontext(kept) if kept else scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        import shutil
        from io import StringIO

        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from book.models import ChapterPage

        try:
            started = time.monotonic()
            call_command("migrate", verbosity=0, interactive=False)
            if kept and ChapterPage.objects.exists():
                print("# measuring the book already in the kept database", file=sys.stderr)
                locales = ensure_target_locales()
                plan = None
            else:
                call_command("generate_book", chapters=CHAPTERS, stdout=StringIO())
                locales = ensure_target_locales()
                plan = start_every_state(locales, progress=lambda line: print(line, file=sys.stderr))
            print(
                f"# built (or migrated) the book and its translations in {time.monotonic() - started:.0f} s",
                file=sys.stderr,
            )
            run(plan, locales)
        finally:
            if not kept:
                shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
