"""Editors credit the translators of a page, a city or a sector in one language, in place of those the translation tools recorded.

The API, the editions' colophons and the reading preview credit whom the
editor names here (``book.provenance``); with no names, the people who wrote
the segments of the published version are credited, by the name on their
account. Those whose account has no name are not credited (a login name is
never published): this screen lists them for the editors.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.models import Page, TaskState
from wagtail_localize.models import TranslationSource

from book import kinds as book_kinds
from book import provenance
from book.languages import in_text
from book.models import TranslationCredit
from cms.localization.coverage import coverage
from cms.permissions import is_editor

MAX_NAMES = 50
MAX_NAME_LENGTH = 255


class CreditsForm(forms.Form):
    translators = forms.CharField(
        label=gettext_lazy("Translators credited"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One name a line, in the order they are credited. Leave empty to credit the people who "
            "translated the published version in the translation editor."
        ),
    )

    def clean_translators(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["translators"].splitlines()]
        names = list(dict.fromkeys(name for name in names if name))
        if len(names) > MAX_NAMES:
            raise forms.ValidationError(
                _("Credit at most %(count)d translators.") % {"count": MAX_NAMES}, code="too_many"
            )
        if any(len(name) > MAX_NAME_LENGTH for name in names):
            raise forms.ValidationError(
                _("A name may have at most %(count)d characters.") % {"count": MAX_NAME_LENGTH},
                code="too_long",
            )
        return names


def may_credit(user, item):
    """Crediting translators is an editor's decision, for an item in a language other than the source."""
    return is_editor(user) and item.locale.language_code != settings.BOOK_SOURCE_LANGUAGE


def snippet_edit_url(item):
    meta = item._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[item.pk])


def credits_url(item):
    """The address of the credits of ``item``, a page or a snippet of a translatable kind."""
    if isinstance(item, Page):
        return reverse("cms_translation_credits", args=[item.pk])
    return reverse("cms_snippet_translation_credits", args=[book_kinds.kind_of(item).name, item.pk])


def translation_credits(request, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    return credits_view(request, page, reverse("wagtailadmin_pages:edit", args=[page.id]))


def snippet_translation_credits(request, kind, pk):
    """The credits of a city or a sector (the kinds of ``book.kinds`` that are snippets)."""
    found = book_kinds.BY_NAME.get(kind)
    if found is None or found.page:
        raise Http404
    item = get_object_or_404(found.model, pk=pk)
    return credits_view(request, item, snippet_edit_url(item))


def unnamed_contributors(item):
    """The login names of those who translated or approved ``item`` but have no name on their account.

    They are not credited in public (``book.provenance.person_name``): the
    credits screen tells editors, who may give the account a name or credit
    the translators here. The translators are those who last wrote the
    segments of the item's translation, the reviewer the one who approved its
    published version. Five queries at most.
    """
    people = []
    source = (
        TranslationSource.objects.filter(object_id=item.translation_key)
        .exclude(locale_id=item.locale_id)
        .filter(translations__target_locale_id=item.locale_id)
        .first()
    )
    if source is not None:
        authors = coverage(source, item.locale).authors
        if authors:
            people.extend(get_user_model()._default_manager.filter(pk__in=authors))
    live_revision_id = getattr(item, "live_revision_id", None)
    if live_revision_id:
        approval = (
            TaskState.objects.filter(revision_id=live_revision_id, status=TaskState.STATUS_APPROVED)
            .select_related("finished_by")
            .order_by("-finished_at", "-pk")
            .first()
        )
        if approval is not None and approval.finished_by is not None:
            people.append(approval.finished_by)
    return provenance.unnamed(people)


def credits_view(request, item, edit_url):
    if item.locale.language_code == settings.BOOK_SOURCE_LANGUAGE:
        raise Http404
    if not may_credit(request.user, item):
        raise PermissionDenied
    title = item.get_admin_display_title() if hasattr(item, "get_admin_display_title") else str(item)
    credit = TranslationCredit.objects.filter(
        translation_key=item.translation_key, locale=item.locale
    ).first()
    live_revision_id = getattr(item, "live_revision_id", None)
    recorded = provenance.credited_translators(
        provenance.coverages([live_revision_id]).get(live_revision_id), None
    )
    unnamed = unnamed_contributors(item)
    if request.method == "POST":
        form = CreditsForm(request.POST)
        if form.is_valid():
            names = form.cleaned_data["translators"]
            with transaction.atomic():
                if names:
                    TranslationCredit.objects.update_or_create(
                        translation_key=item.translation_key,
                        locale=item.locale,
                        defaults={"translators": names},
                    )
                elif credit is not None:
                    credit.delete()
            messages.success(request, _("The translators of '%(page)s' are credited.") % {"page": title})
            return redirect(edit_url)
    else:
        form = CreditsForm(initial={"translators": "\n".join(credit.translators if credit else [])})
    return TemplateResponse(
        request,
        "cms/translation_credits.html",
        {
            "item_title": title,
            "page_title": _("Translation credits"),
            "page_subtitle": title,
            "header_icon": "group",
            "form": form,
            "recorded": recorded,
            "unnamed": unnamed,
            # Inside a sentence: « ... en anglais », "... in English".
            "language": in_text(item.locale.get_display_name()),
            "edit_url": edit_url,
        },
    )
