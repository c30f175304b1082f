"""Import a manuscript into a chapter: upload and preview (nothing written), then confirm (a new draft)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import Translation

from book.blocks import ChapterBodyBlock
from book.languages import in_text
from book.manuscripts import ManuscriptError, read_manuscript, write_draft
from book.manuscripts.report import DROPPED, MAPPED, WARNING
from book.models import ChapterPage
from cms.uploads import STORAGE_ERRORS, STORAGE_UNAVAILABLE

from . import store
from .forms import ManuscriptForm

logger = logging.getLogger(__name__)


def refusal(page, user):
    """Why this person may not import into this chapter now, or None."""
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        return _("This chapter is locked: it cannot be changed until it is unlocked.")
    if Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).exists():
        return _(
            "This chapter is a synced translation: it is written in the translation editor. Import the "
            "manuscript into its source chapter, or stop the synced translation first."
        )
    return None


def preview_blocks(manuscript):
    """The blocks as the preview shows them, each with its label and, for images, a small copy."""
    labels = {name: block.meta.label for name, block in ChapterBodyBlock().child_blocks.items()}
    shown = []
    for block in manuscript.blocks:
        item = {"type": block["type"], "label": labels[block["type"]], "value": block["value"]}
        if block["type"] == "image":
            image = manuscript.images[block["value"]["_image"]]
            item["image"] = image
            item["src"] = image.preview_uri()
        shown.append(item)
    return shown


def import_manuscript(request, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    if not isinstance(page, ChapterPage):
        raise Http404
    refused = refusal(page, request.user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.id])
    language = page.locale.language_code
    context = {
        "page": page,
        "page_title": _("Import a manuscript"),
        "page_subtitle": page.get_admin_display_title(),
        "header_icon": "doc-full-inverse",
        "edit_url": edit_url,
        "refused": refused,
        "language": in_text(page.locale.get_display_name()),
    }
    form = ManuscriptForm(language_code=language)
    if request.method == "POST" and refused is None:
        if "token" in request.POST:
            return confirm(request, page, context)
        form = ManuscriptForm(request.POST, request.FILES, language_code=language)
        if form.is_valid():
            manuscript = form.manuscript
            lines = manuscript.report.lines()
            context.update(
                manuscript=manuscript,
                blocks=preview_blocks(manuscript),
                mapped=[text for kind, text in lines if kind == MAPPED],
                dropped=[text for kind, text in lines if kind == DROPPED],
                warnings=[text for kind, text in lines if kind == WARNING],
                token=store.keep(form.data_bytes, manuscript.name, page, request.user),
            )
            return TemplateResponse(request, "cms/manuscripts/preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "cms/manuscripts/upload.html", context)


def confirm(request, page, context):
    context["form"] = ManuscriptForm(language_code=page.locale.language_code)
    try:
        name, data, key = store.load(request.POST["token"], page, request.user)
        manuscript = read_manuscript(name, data, page.locale.language_code)
        # Only one confirmation writes: a second click, or a second tab, finds it taken.
        if not store.claim(key):
            raise store.Expired
    except store.Expired:
        context["errors"] = [_("The preview has expired: upload the file again.")]
        return TemplateResponse(request, "cms/manuscripts/upload.html", context)
    except ManuscriptError as error:
        context["errors"] = [error.message]
        return TemplateResponse(request, "cms/manuscripts/upload.html", context)
    try:
        write_draft(page, manuscript, request.user)
    except STORAGE_ERRORS as error:
        logger.warning("Media storage unavailable, manuscript import refused: %s", error)
        store.give_back(key, name, data)
        context["errors"] = [STORAGE_UNAVAILABLE]
        return TemplateResponse(request, "cms/manuscripts/upload.html", context)
    messages.success(
        request,
        _("“%(name)s” is now the chapter's draft: check it, then publish it as usual.") % {"name": name},
    )
    return redirect(context["edit_url"])
