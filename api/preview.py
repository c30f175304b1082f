"""A draft, for whoever holds a preview token: one revision of one page, never cached, never listed.

The token (``book.preview``) is issued in the admin to someone who may edit the
page; the reader passes it here. The answer has the shape of the kind's detail,
built by the same ``api.prepare`` functions from the revision's content. Nothing
of it reaches the response cache, a shared cache or a list: the lists, search,
the change feed and the editions read only what is published (``book.selectors``).
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.models import Page, Revision

from book import kinds as book_kinds
from book.preview import PreviewTokenError, read_token

from . import prepare, serializers, views
from .errors import ParameterError, ParameterNotFound, exception_handler
from .languages import label_language
from .reader import LOCALE_PARAMETER, Reader

TOKEN_PARAMETER = "token"
KIND_HEADER = "Preview-Kind"

# What the detail of each kind of page the API serves is built with: its ``api.prepare``
# function and its serializer, those of its viewset.
DOCUMENTS = {
    kind.name: (
        views.ITEM_VIEWSETS[kind.name].prepare_items,
        views.ITEM_VIEWSETS[kind.name].detail_serializer_class,
    )
    for kind in book_kinds.served()
    if kind.page
}


def prepare_part(reader, part, locale_id):
    """A part's preview: the item's fields and its published chapters, in book order."""
    from book.models import ChapterPage, PartPage

    (prepared,) = prepare.decorate(reader, [part], "chapter", PartPage, locale_id, prepare.PreparedPart)
    # A part's address is the list of its chapters, in each language.
    prepared.url = reader.list_url("chapter", locale_id, part=part.translation_key)
    ids = {code: locale_id for locale_id, code in reader.codes.items()}
    for other in prepared.translations:
        other.url = reader.list_url("chapter", ids[other.locale], part=part.translation_key)
    keys = ChapterPage.objects.child_of(part).values_list("translation_key", flat=True)
    prepared.chapters = [
        prepare.chapter_reference(reader, chapter)
        for chapter in prepare._chapters_for_keys(reader, list(keys), locale_id)
    ]
    return prepared


def no_store(response):
    """Only the one who asked may keep it, and not even them."""
    response["Cache-Control"] = "private, no-store"
    if "ETag" in response:
        del response["ETag"]
    return response


@extend_schema(
    summary=gettext_lazy("A draft, for the holder of a preview token"),
    description=gettext_lazy(
        "Serves one revision of one page (a book, a part, a chapter, a contributor or a theme) to "
        "whoever holds the short-lived, signed token the admin issues to its editors, translators and "
        "reviewers. The body has the shape of the kind's detail (a part: its chapters); the "
        "Preview-Kind header names the kind. Never cached (Cache-Control: private, no-store), never "
        "in lists, search, the change feed or the editions."
    ),
    parameters=[
        OpenApiParameter(
            TOKEN_PARAMETER,
            str,
            OpenApiParameter.QUERY,
            required=True,
            description=gettext_lazy("The preview token issued in the admin."),
        ),
        OpenApiParameter(
            LOCALE_PARAMETER,
            str,
            OpenApiParameter.QUERY,
            description=gettext_lazy("When given, must be the language the token was issued for."),
        ),
        OpenApiParameter(
            "ref",
            str,
            OpenApiParameter.QUERY,
            description=gettext_lazy("When given, must be the key of the page the token was issued for."),
        ),
    ],
    responses={
        200: OpenApiResponse(
            PolymorphicProxySerializer(
                component_name="PreviewDocument",
                serializers=[
                    serializers.BookDetailSerializer,
                    serializers.PartPreviewSerializer,
                    serializers.ChapterDetailSerializer,
                    serializers.ContributorDetailSerializer,
                    serializers.ThemeDetailSerializer,
                ],
                resource_type_field_name=None,
            ),
            description=gettext_lazy("The draft."),
        ),
        400: OpenApiResponse(serializers.ErrorSerializer, description=gettext_lazy("No token.")),
        403: OpenApiResponse(
            serializers.ErrorSerializer,
            description=gettext_lazy(
                "A token that is not valid, has expired or names another page or language."
            ),
        ),
        404: OpenApiResponse(
            serializers.ErrorSerializer, description=gettext_lazy("The page or revision no longer exists.")
        ),
    },
)
class PreviewView(GenericAPIView):
    http_method_names = ["get", "head", "options"]
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = []
    renderer_classes = [JSONRenderer]
    # Keys and the rate limit: api.access, before any view.
    throttle_classes = []
    pagination_class = None
    serializer_class = serializers.ChapterDetailSerializer

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        return no_store(super().finalize_response(request, response, *args, **kwargs))

    def get(self, request, *args, **kwargs):
        try:
            claim = read_token(request.query_params.get(TOKEN_PARAMETER, "").strip())
        except PreviewTokenError as error:
            status = 400 if error.code == "token_missing" else 403
            raise ParameterError(
                TOKEN_PARAMETER, error.message, code=error.code, status_code=status
            ) from None
        asked = request.query_params.get(LOCALE_PARAMETER, "").strip()
        if asked and asked.lower() != claim.locale.lower():
            raise self.mismatch(LOCALE_PARAMETER)
        page, draft = self.draft(claim)
        ref = request.query_params.get("ref", "").strip()
        if ref and ref not in (str(page.translation_key), page.slug):
            raise self.mismatch("ref")
        reader = request.api_reader = Reader(request, claim.locale)
        # The draft's labels are in its language, as a published item's (api.languages).
        with translation.override(label_language(claim.locale)):
            if claim.kind == "part":
                prepared = prepare_part(reader, page, page.locale_id)
                serializer = serializers.PartPreviewSerializer
            else:
                prepare_items, serializer = DOCUMENTS[claim.kind]
                (prepared,) = prepare_items(reader, [page], page.locale_id, detail=True, draft=draft)
            data = serializer(prepared).data
        response = Response(data)
        response[KIND_HEADER] = claim.kind
        response["Content-Language"] = claim.locale
        return response

    @staticmethod
    def mismatch(parameter):
        return ParameterError(
            parameter,
            _("This preview token was issued for another page or language."),
            code="token_mismatch",
            status_code=403,
        )

    @staticmethod
    def draft(claim):
        """The revision the token names, as a page; the page as stored when it names none. With
        whether it is a revision: its credits, themes and sectors then come from the revision, not
        from the live rows."""
        page = Page.objects.filter(pk=claim.page_id).first()
        gone = ParameterNotFound(
            TOKEN_PARAMETER, _("The page of this preview no longer exists."), code="gone"
        )
        if page is None:
            raise gone
        page = page.specific
        if claim.revision_id is not None:
            revision = Revision.page_revisions.filter(pk=claim.revision_id, object_id=str(page.pk)).first()
            if revision is None:
                raise gone
            page = revision.as_object()
        if page.locale.language_code != claim.locale or claim.kind not in (*DOCUMENTS, "part"):
            raise PreviewView.mismatch(TOKEN_PARAMETER)
        return page, claim.revision_id is not None
