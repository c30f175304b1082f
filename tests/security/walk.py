"""Every admin and API URL of the project, with its path parameters filled from the demo book.

``walk_targets`` reads the URL configuration itself, so a URL added by any
app is walked without being listed here; only the values of path parameters
are chosen here. A parameter naming an object in one language (a page, a
city, a translation) is filled once per language of ``LANGUAGES``, so that a
role's own language and another one are both tried. A URL whose parameters
cannot be filled is returned with the reason instead.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Locale, Page, Revision, TaskState, WorkflowState
from wagtail_localize.models import OverridableSegment, StringSegment, Translation, TranslationSource

from book.models import BookPage, ChapterPage, City, ContributorPage, PartPage, Sector, ThemePage

API_ITEMS = {
    "book": BookPage,
    "chapter": ChapterPage,
    "contributor": ContributorPage,
    "theme": ThemePage,
    "city": City,
    "sector": Sector,
}
PREFIXES = ("admin/", "django-admin/", "api/v1/")
LANGUAGES = ("fr", "en")
# Never requested: signing out would end the walk of the signed-in user.
NOT_WALKED = {
    "wagtailadmin_logout": "signs the user out",
    "admin:logout": "signs the user out",
    "wagtailadmin_error_test": "Wagtail's deliberate error, to test error reporting",
}


@dataclass(frozen=True)
class Target:
    name: str
    language: str | None
    url: str

    @property
    def label(self):
        return f"{self.name}[{self.language}]" if self.language else self.name


class Unfillable(Exception):
    """A path parameter with no value in the demo book."""


def url_patterns(patterns=None, prefix="", namespace=None):
    """(route, URL name, pattern) of every URL pattern, namespaces joined as reverse() wants them."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def view_model(pattern):
    """The model a view is about: a Wagtail viewset's or a Django ModelAdmin's."""
    callback = pattern.callback
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    initkwargs = getattr(callback, "view_initkwargs", {}) or {}
    view_class = getattr(callback, "view_class", None)
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    if isinstance(model, str):
        model = apps.get_model(model)
    return model if isinstance(model, type) else None


class DemoObjects:
    """The objects of the demo book that fill path parameters, per language where they have one."""

    def __init__(self):
        self.locales = {code: Locale.objects.get(language_code=code) for code in LANGUAGES}
        self.chapters = {code: self._in(ChapterPage, code) for code in LANGUAGES}
        self.parts = {code: self._in(PartPage, code) for code in LANGUAGES}
        self.cities = {code: self._in(City, code) for code in LANGUAGES}
        self.sectors = {code: self._in(Sector, code) for code in LANGUAGES}
        self.translations = {
            code: Translation.objects.filter(target_locale=self.locales[code]).order_by("pk").first()
            for code in LANGUAGES
        }
        self.user = get_user_model().objects.order_by("pk").first()

    def _in(self, model, code):
        found = model.objects.filter(locale=self.locales[code]).order_by("pk").first()
        if found is None:
            raise Unfillable(f"no {model._meta.verbose_name} in {code}")
        return found

    def first(self, model, **filters):
        found = model.objects.filter(**filters).order_by("pk").first()
        if found is None:
            raise Unfillable(f"no {model._meta.verbose_name} in the demo book")
        return found

    def translation(self, code):
        if self.translations[code] is None:
            raise Unfillable(f"no translation into {code}")
        return self.translations[code]

    def revision(self, instance):
        return self.first(
            Revision, object_id=str(instance.pk), base_content_type=instance.get_base_content_type()
        )

    def value(self, name, parameter, model, code):
        """The value of one path parameter of the URL ``name``, for the language ``code``."""
        chapter = self.chapters[code]
        special = SPECIAL_VALUES.get((name, parameter))
        if special is not None:
            return special(self, code) if callable(special) else special
        page_parameters = {"page_id", "page_to_move_id", "page_pk"}
        if parameter in page_parameters or (
            parameter == "pk" and name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages"))
        ):
            return chapter.pk
        if parameter == "parent_page_id":
            return self.parts[code].pk
        if parameter == "destination_id":
            return self.parts[code].pk
        if parameter in ("content_type_app_name", "app_name") or (
            parameter == "app_label" and "snippet" in name
        ):
            return "book"
        if parameter in ("content_type_model_name",) or (parameter == "model_name" and "snippet" in name):
            return "chapterpage" if "snippet" not in name else "city"
        if parameter == "app_label" and name == "wagtailadmin_workflows:add_task":
            return "wagtailcore"
        if parameter == "model_name" and name == "wagtailadmin_workflows:add_task":
            return "groupapprovaltask"
        if parameter == "app_label" and name == "wagtail_bulk_action":
            return "wagtailcore"
        if parameter == "model_name" and name == "wagtail_bulk_action":
            return "page"
        if parameter == "action" and name == "wagtail_bulk_action":
            return "publish"
        if parameter == "model_name" and name == "wagtailadmin_tag_model_autocomplete":
            return "tag"
        if parameter == "app_name" and name == "wagtailadmin_tag_model_autocomplete":
            return "taggit"
        if parameter == "revision_id":
            instance = self.cities[code] if "snippets_book_city" in name else chapter
            if "snippets_book_sector" in name:
                instance = self.sectors[code]
            return self.revision(instance).pk
        if parameter == "revision_id_a":
            return "earliest"
        if parameter == "revision_id_b":
            return "latest"
        if parameter == "workflow_state_id":
            return self.first(
                WorkflowState, base_content_type=chapter.get_base_content_type(), object_id=str(chapter.pk)
            ).pk
        if parameter == "task_state_id":
            return self.first(TaskState, workflow_state__object_id=str(chapter.pk)).pk
        if parameter == "action_name":
            return "approve"
        if parameter == "translation_id":
            return self.translation(code).pk
        if parameter == "translation_source_id":
            return self.first(TranslationSource, object_id=self.translation(code).source.object_id).pk
        if parameter == "string_segment_id":
            return self.first(StringSegment, source=self.translation(code).source).pk
        if parameter == "overridable_segment_id":
            return self.first(OverridableSegment, source=self.translation(code).source).pk
        if parameter == "mode":
            return "default"
        if parameter == "language_code":
            return code
        if parameter == "filter_spec":
            return "max-165x165"
        if parameter == "ref":
            kind = name.split(":")[1].removesuffix("-detail").removesuffix("-cite")
            return self._in(API_ITEMS[kind], code).slug
        if parameter == "uidb64":
            return urlsafe_base64_encode(force_bytes(self.user.pk))
        if parameter == "token":
            return "set-password"
        if parameter == "id":
            return self.user.pk
        if parameter == "content_type_id":
            return ContentType.objects.get_for_model(Page).pk
        if parameter == "url":
            return "unknown/"
        if parameter in ("image_id",):
            return self.first(_image_model()).pk
        if parameter in ("document_id", "doc_id"):
            return self.first(_document_model()).pk
        if parameter == "workflow_pk":
            return self.first(_workflow_model()).pk
        if parameter == "task_id":
            return self.first(_task_model()).pk
        if parameter == "collection_id":
            return self.first(_collection_model()).pk
        if parameter in ("pk", "object_id") and model is not None:
            if model in (City, Sector):
                return (self.cities if model is City else self.sectors)[code].pk
            if model is Page or issubclass(model, Page):
                return chapter.pk
            if name.startswith("wagtailimages_chooser"):
                return self.first(_image_model()).pk
            return self.first(model).pk
        if parameter == "pk" and name.startswith("wagtaildocs_chooser"):
            return self.first(_document_model()).pk
        if parameter == "pk" and name.startswith("wagtailimages_chooser"):
            return self.first(_image_model()).pk
        if parameter == "session_id":
            raise Unfillable("no editing session in the demo book")
        if parameter == "uploaded_file_id":
            raise Unfillable("no upload in progress in the demo book")
        if parameter == "redirect_id":
            raise Unfillable("no redirect in the demo book")
        raise Unfillable(f"no value for the parameter {parameter!r}")


def _image_model():
    from wagtail.images import get_image_model

    return get_image_model()


def _document_model():
    from wagtail.documents import get_document_model

    return get_document_model()


def _workflow_model():
    from wagtail.models import Workflow

    return Workflow


def _task_model():
    from wagtail.models import Task

    return Task


def _collection_model():
    from wagtail.models import Collection

    return Collection


SPECIAL_VALUES = {
    ("admin:app_list", "app_label"): "auth",
    ("admin:view_on_site", "object_id"): lambda objects, code: objects.chapters[code].pk,
    ("wagtailadmin_editing_sessions:ping", "app_label"): "wagtailcore",
    ("wagtailadmin_editing_sessions:ping", "model_name"): "page",
    ("wagtailadmin_editing_sessions:ping", "object_id"): lambda objects, code: objects.chapters[code].pk,
    ("wagtailadmin_pages:choose_parent", "app_label"): "book",
    ("wagtailadmin_pages:choose_parent", "model_name"): "chapterpage",
    ("wagtail_localize:snippets_api_detail", "pk"): lambda objects, code: objects.cities[code].pk,
    ("wagtail_localize:submit_snippet_translation", "pk"): lambda objects, code: objects.cities[code].pk,
    ("cms_snippet_translation_credits", "kind"): "city",
    ("cms_snippet_translation_credits", "pk"): lambda objects, code: objects.cities[code].pk,
    ("wagtailadmin_api:documents:detail", "pk"): lambda objects, code: objects.first(_document_model()).pk,
    ("wagtailadmin_api:images:detail", "pk"): lambda objects, code: objects.first(_image_model()).pk,
    ("wagtailadmin_workflows:edit_task", "pk"): lambda objects, code: objects.first(_task_model()).pk,
    ("wagtailadmin_workflows:enable_task", "pk"): lambda objects, code: objects.first(_task_model()).pk,
    ("wagtailadmin_workflows:enable", "pk"): lambda objects, code: objects.first(_workflow_model()).pk,
}
TRANSLATION_PARAMETERS = {
    "translation_id",
    "translation_source_id",
    "string_segment_id",
    "overridable_segment_id",
}
LANGUAGE_PARAMETERS = {
    "page_id",
    "page_to_move_id",
    "page_pk",
    "parent_page_id",
    "destination_id",
    "revision_id",
    "workflow_state_id",
    "task_state_id",
    "translation_id",
    "translation_source_id",
    "string_segment_id",
    "overridable_segment_id",
    "language_code",
    "ref",
}


def parameters_of(route, pattern):
    return sorted(set(pattern.pattern.regex.groupindex) | set(getattr(pattern.pattern, "converters", {})))


# URLs about a snippet named by its kind rather than by a viewset's model.
SNIPPET_KIND_ROUTES = {"cms_snippet_translation_credits"}


def depends_on_language(name, parameters, model):
    if LANGUAGE_PARAMETERS & set(parameters) or name in SNIPPET_KIND_ROUTES:
        return True
    if {"pk", "object_id"} & set(parameters):
        return (
            model in (City, Sector)
            or (model is not None and issubclass(model, Page))
            or name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages"))
        )
    return False


def walk_targets():
    """(targets, skipped): the URLs to request, and the patterns that could not be filled, with why."""
    objects = DemoObjects()
    targets, skipped, seen = [], [], set()
    for route, name, pattern in url_patterns():
        if not route.startswith(PREFIXES):
            continue
        label = name or route
        if label in NOT_WALKED:
            skipped.append((label, NOT_WALKED[label]))
            continue
        parameters = parameters_of(route, pattern)
        model = view_model(pattern)
        languages = LANGUAGES if depends_on_language(label, parameters, model) else (None,)
        if TRANSLATION_PARAMETERS & set(parameters):
            # The source language has no translation of its own.
            languages = [code for code in LANGUAGES if code != "fr"]
        for code in languages:
            try:
                values = {
                    parameter: objects.value(label, parameter, model, code or "fr")
                    for parameter in parameters
                }
            except Unfillable as reason:
                skipped.append((label, str(reason)))
                break
            url = "/" + route if name is None else reverse(name, kwargs=values or None)
            if name is None:
                for parameter, value in values.items():
                    url = re_sub_parameter(url, parameter, value)
            if url in seen:
                continue
            seen.add(url)
            targets.append(Target(label, code, url))
    return targets, skipped


def re_sub_parameter(url, parameter, value):
    import re

    return re.sub(rf"<(\w+:)?{parameter}>|\(\?P<{parameter}>[^)]*\)\$?", str(value), url).replace("$", "")
