"""The languages of the API's own words: its error messages, its labels, its schema and docs.

The content's language is chosen with ``?locale=`` (``api.reader``); the words
the API adds around it are written in the languages its interface is
translated into: English, the API's default, and each language of the book
that the project's catalog covers. Error messages, the schema and the docs
follow the request's ``Accept-Language`` among them (the schema and the docs
also ``?lang=``), English when none is asked for; the labels inside the
content (a city's creative field, a language's name) follow the content.
"""

from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LANGUAGE = "en"
SCHEMA_LANGUAGE_PARAMETER = "lang"

_covered = {}


def interface_languages():
    """English and the book's languages whose interface catalog the project ships, in settings order."""
    codes = tuple(code for code, _name in settings.LANGUAGES)
    if codes not in _covered:
        catalogs = [Path(path) for path in settings.LOCALE_PATHS]
        found = [
            code
            for code in codes
            if any(
                (path / translation.to_locale(code) / "LC_MESSAGES" / "django.mo").exists()
                for path in catalogs
            )
        ]
        _covered[codes] = tuple(dict.fromkeys([DEFAULT_LANGUAGE, *found]))
    return _covered[codes]


def supported(code):
    """``code`` (any case, with or without a region) as one of the interface languages, or None."""
    code = (code or "").strip().lower()
    languages = interface_languages()
    while code:
        if code in languages:
            return code
        code = code.rpartition("-")[0]
    return None


def from_accept_language(request):
    """The interface language the request's ``Accept-Language`` prefers; English when it names none of them."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        language = supported(code)
        if language:
            return language
    return DEFAULT_LANGUAGE


def label_language(code):
    """The language of the labels shown with content in ``code``: its own, else English."""
    return supported(code) or DEFAULT_LANGUAGE


class ApiLanguageMiddleware:
    """Under the API's prefix, the interface language comes from Accept-Language, English by default.

    Placed after Django's LocaleMiddleware, which would fall back to the
    project's default language, French, for a client that sends none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(settings.API_CORS_PATH_PREFIX):
            return self.get_response(request)
        language = from_accept_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Django's LocaleMiddleware, which the API's paths skip (cms.site_only), said this.
        patch_vary_headers(response, ("Accept-Language",))
        # What the response is written in, when the view did not say (errors, the root).
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        return response
