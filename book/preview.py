"""Drafts shown in the reader: short-lived, signed preview tokens naming one page and one revision.

The admin issues a token to someone who may edit the page (``cms.reader_preview``);
the reader passes it to the API, which serves that revision and nothing else
(``api.preview``). A token is signed with the project's secret and a salt of its
own, so that no other signed value of the project can pass for one, and lasts
``BOOK_PREVIEW_TOKEN_SECONDS``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import kinds

SALT = "book.preview.token"

# The kinds a token may name (every kind of page), by model name, as the API calls them.
KINDS = {kind.model_name: kind.name for kind in kinds.pages()}


class PreviewTokenError(Exception):
    """A token that grants nothing: ``code`` says why (malformed, expired)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PreviewClaim:
    """What a valid token grants: one revision (or none, the page as stored) of one page, in its language."""

    page_id: int
    revision_id: int | None
    locale: str
    kind: str


def make_token(page, revision_id):
    """A token for ``revision_id`` of ``page`` (a specific page of one of the kinds above)."""
    payload = {
        "p": page.pk,
        "r": revision_id,
        "l": page.locale.language_code,
        "k": KINDS[page._meta.model_name],
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token):
    """The claim of a valid token; ``PreviewTokenError`` for anything else."""
    if not token:
        raise PreviewTokenError("token_missing", _("A preview token is required."))
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.BOOK_PREVIEW_TOKEN_SECONDS)
    except signing.SignatureExpired:
        raise PreviewTokenError(
            "token_expired", _("This preview token has expired: open the preview from the admin again.")
        ) from None
    except signing.BadSignature:
        raise PreviewTokenError("token_invalid", _("This preview token is not valid.")) from None
    try:
        return PreviewClaim(
            page_id=int(payload["p"]),
            revision_id=None if payload["r"] is None else int(payload["r"]),
            locale=str(payload["l"]),
            kind=str(payload["k"]),
        )
    except (KeyError, TypeError, ValueError):
        raise PreviewTokenError("token_invalid", _("This preview token is not valid.")) from None


class ReaderPreviewMixin:
    """Two previews in the admin: the reading preview of the form as typed, and the reader on the saved draft.

    The reading preview (the project's templates) follows every keystroke, unsaved;
    the reader shows the last saved revision as the public front end will render
    it, through a token the admin issues (``cms.reader_preview``).
    """

    READER_MODE = "reader"

    @property
    def preview_modes(self):
        return [("", gettext_lazy("Reading preview")), (self.READER_MODE, gettext_lazy("In the reader"))]

    def serve_preview(self, request, mode_name):
        if mode_name != self.READER_MODE:
            return super().serve_preview(request, mode_name)
        if not self.pk:
            return HttpResponse(
                _("Save a first draft to preview it in the reader."), content_type="text/plain; charset=utf-8"
            )
        return HttpResponseRedirect(reverse("book_reader_preview", args=[self.pk]))
