"""The interface speaks the language of the page's address; the API's failures become pages."""

from django.utils import translation

from . import api
from .views import error_page


class ReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request, view, args, kwargs):
        language = kwargs.get("lang") or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_exception(self, request, exception):
        if isinstance(exception, api.ApiError):
            return error_page(request, exception)
        return None
