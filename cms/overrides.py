"""A translation's overrides pass the checks their source field passes, and its segments the markup check.

wagtail-localize lets a translator override what is otherwise synchronised (a
link's URL, an embed's address, the address of a link in rich text, an image)
and stores the value as typed, checked by nothing. The override endpoint is
guarded here: the value is checked against the field or block it overrides,
with the book's allow-list of addresses first (``book.links``), and refused
with a 400 naming the problem before anything is stored.

A segment saved in the translation editor must carry its source's tags, as
one imported from a PO file must (``cms.localization.po``): wagtail-localize
stores whatever is typed, and a translation without the source's ``<b>`` or
link would be published so.
"""

import io
from functools import wraps

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail_localize.models import OverridableSegment, StringSegment, Translation
from wagtail_localize.views.edit_translation import user_can_edit_instance

from book.blocks import PublicURLsBlock, url_block_problem
from book.links import url_problem
from cms.localization.po import MarkupMismatch, check_translation_markup


def _leaf_problem(block, value, parent=None, name=None):
    if isinstance(block, blocks.RichTextBlock):
        # The override replaces the address of one of the text's links.
        return url_problem(value, mailto=True, relative=True)
    if isinstance(block, blocks.URLBlock):
        if isinstance(parent, PublicURLsBlock):
            return parent.url_problems({name: value}).get(name)
        return url_block_problem(block, value)
    try:
        block.clean(block.to_python(value))
    except ValidationError as error:
        return error
    except (TypeError, ValueError, LookupError):
        return ValidationError(_("This value does not fit the field it overrides."), code="invalid")
    return None


def _child_by_id(children, block_id):
    return next((child for child in children if getattr(child, "id", None) == block_id), None)


def _block_problem(block, source_value, components, value, parent=None, name=None):
    """Why ``value`` may not override the block that ``components`` (ids and names) lead to from ``block``."""
    if isinstance(block, (blocks.RichTextBlock, blocks.URLBlock)) or not components:
        return _leaf_problem(block, value, parent, name)
    head, rest = components[0], components[1:]
    if isinstance(block, blocks.StreamBlock):
        child = _child_by_id(source_value or [], head)
        return None if child is None else _block_problem(child.block, child.value, rest, value)
    if isinstance(block, blocks.StructBlock) and head in block.child_blocks:
        child_value = source_value.get(head) if source_value is not None else None
        return _block_problem(block.child_blocks[head], child_value, rest, value, parent=block, name=head)
    if isinstance(block, blocks.ListBlock):
        item = _child_by_id(getattr(source_value, "bound_blocks", []), head)
        return _block_problem(block.child_block, item.value if item else None, rest, value)
    return None


def override_problem(source_instance, path, value):
    """Why ``value`` may not override the segment at ``path`` of ``source_instance``, or None."""
    field_name, _dot, rest = path.partition(".")
    try:
        field = source_instance._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, RichTextField):
        return url_problem(value, mailto=True, relative=True)
    if isinstance(field, StreamField):
        return _block_problem(
            field.stream_block, getattr(source_instance, field_name), rest.split("."), value
        )
    try:
        field.clean(value, source_instance)
    except ValidationError as error:
        return error
    return None


def _submitted_value(request):
    """The ``value`` of a PUT form, read without consuming the body the view reads after."""
    body = request.body
    if request.content_type == "multipart/form-data":
        data, _files = MultiPartParser(
            request.META, io.BytesIO(body), request.upload_handlers, request.encoding
        ).parse()
    else:
        data = QueryDict(body, encoding=request.encoding)
    return data.get("value")


def _refused(parameter, message, code):
    return JsonResponse({"error": {"parameter": parameter, "message": message, "code": code}}, status=400)


def checked_override(view):
    """wagtail-localize's override endpoint, refusing a value its source field would refuse."""

    @wraps(view)
    def guarded(request, translation_id, overridable_segment_id, *args, **kwargs):
        if request.method == "PUT":
            translation = get_object_or_404(Translation.objects.select_related("source"), pk=translation_id)
            segment = get_object_or_404(
                OverridableSegment.objects.select_related("context"), pk=overridable_segment_id
            )
            try:
                value = _submitted_value(request)
            except MultiPartParserError:
                value = None
            if value is None:
                return _refused("value", _("The field “value” is missing."), "required")
            if segment.context.object_id == translation.source.object_id:
                problem = override_problem(translation.source.as_instance(), segment.context.path, value)
                if problem is not None:
                    return _refused("value", " ".join(problem.messages), problem.code or "invalid")
        return view(request, translation_id, overridable_segment_id, *args, **kwargs)

    return guarded


def checked_segment(view):
    """wagtail-localize's segment endpoint, refusing a translation whose markup is not its source's."""

    @wraps(view)
    def guarded(request, translation_id, string_segment_id, *args, **kwargs):
        translation = get_object_or_404(Translation.objects.select_related("source"), pk=translation_id)
        segment = get_object_or_404(
            StringSegment.objects.select_related("string", "context"), pk=string_segment_id
        )
        if (
            request.method == "PUT"
            and segment.context.object_id == translation.source.object_id
            # Whoever may not edit it is refused by the view, before hearing about markup.
            and user_can_edit_instance(request.user, translation.get_target_instance())
        ):
            try:
                value = _submitted_value(request)
            except MultiPartParserError:
                value = None
            if value is None:
                return _refused("value", _("The field “value” is missing."), "required")
            try:
                check_translation_markup(segment.string.data, value)
            except MarkupMismatch as mismatch:
                return _refused(
                    "value",
                    _("The translation's markup does not match its source's: %(details)s.")
                    % {"details": mismatch.details},
                    "markup",
                )
            except ValueError as error:
                return _refused(
                    "value", _("The translation's markup is invalid: %(error)s") % {"error": error}, "markup"
                )
        return view(request, translation_id, string_segment_id, *args, **kwargs)

    return guarded
