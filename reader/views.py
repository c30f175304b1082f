"""The reader's pages: each one reads what it shows from the public API, in the address's language."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import api
from .blocks import body_sections

# The kinds of item the API lists, and the reader's page for one of each.
ITEM_PAGES = {
    "chapter": "chapter",
    "contributor": "contributor",
    "theme": "theme",
    "city": "city",
    "sector": "sector",
}


class Site:
    """What every page of one language shows around its content: the languages and the book."""

    def __init__(self, lang):
        self.lang = lang
        self.locales = api.get("locales/", {"page_size": 100}, lang).get("results", [])
        self.by_code = {locale["code"]: locale for locale in self.locales}
        if lang not in self.by_code:
            raise Http404(_("This language is not one of the book's."))
        self.source = next((locale["code"] for locale in self.locales if locale.get("source")), lang)
        books = api.get("books/", {"locale": self.source, "page_size": 1}, lang).get("results", [])
        self.book = api.get(f"books/{books[0]['key']}/", {"locale": lang}, lang) if books else None

    def locale(self, code):
        """A language as the templates use it: code, native name and direction."""
        known = self.by_code.get(code) or {"code": code, "native_name": code, "direction": _bidi(code)}
        return {"code": known["code"], "name": known["native_name"], "dir": known["direction"]}


def _bidi(code):
    try:
        return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def _language_links(request, site, codes):
    """Links to this page in each of ``codes``, in the order of the API's locales."""
    match = request.resolver_match
    query = request.META.get("QUERY_STRING", "")
    links = []
    for locale in site.locales:
        code = locale["code"]
        if code == site.lang or code not in codes:
            continue
        try:
            url = reverse(match.view_name, kwargs={**match.kwargs, "lang": code})
        except NoReverseMatch:
            continue
        links.append({**site.locale(code), "url": f"{url}?{query}" if query else url})
    return links


def _page(request, site, template, context, item=None, served=None):
    """Render a page of the site: its language, the content's own language and the other languages.

    ``item`` is a detail document of the API: its ``locale`` is the language served,
    ``fallback`` says whether that is another than the one asked for, and
    ``translations`` lists its other published languages. A list page passes
    ``served`` instead (the language its items came in) and links to every language.
    """
    if item is not None:
        served = item.get("locale", site.lang)
        codes = {served, *(translation["locale"] for translation in item.get("translations", []))}
    else:
        served = served or site.lang
        codes = set(site.by_code)
    fallback = served != site.lang
    page_lang = site.locale(site.lang)
    context = {
        "site": site,
        "book": site.book,
        "page_lang": page_lang,
        "content_lang": site.locale(served),
        "fallback": fallback,
        # Interface text inside content shown in another language keeps the page's language.
        "ui": format_html(' lang="{}" dir="{}"', page_lang["code"], page_lang["dir"]) if fallback else "",
        "languages": _language_links(request, site, codes),
        **context,
    }
    return render(request, f"reader/{template}", context)


def _list_in(site, path, params=None):
    """The items of a list in the page's language, else in the source language; and the language served.

    The API's lists hold only what is published in the language asked for; a
    language with nothing published yet is shown its source, saying so.
    """
    items = api.get_all(path, {**(params or {}), "locale": site.lang}, site.lang)
    if items or site.lang == site.source:
        return items, site.lang
    return api.get_all(path, {**(params or {}), "locale": site.source}, site.lang), site.source


def _detail(site, kind, key):
    return api.get(f"{kind}/{key}/", {"locale": site.lang}, site.lang)


def language_choice(request):
    locales = api.get("locales/", {"page_size": 100}).get("results", [])
    source = next((locale["code"] for locale in locales if locale.get("source")), None)
    books = api.get("books/", {"locale": source, "page_size": 1}).get("results", []) if source else []
    language = translation.get_language()
    context = {
        "locales": [
            {"code": locale["code"], "name": locale["native_name"], "dir": locale["direction"]}
            for locale in locales
        ],
        "book": books[0] if books else None,
        "page_lang": {"code": language, "dir": "rtl" if translation.get_language_bidi() else "ltr"},
    }
    return render(request, "reader/languages.html", context)


def home(request, lang):
    site = Site(lang)
    if site.book is None:
        raise Http404(_("No book is published yet."))
    context = {"item": site.book, "toc": site.book.get("toc", []), "editions": _editions(site.book)}
    return _page(request, site, "home.html", context, item=site.book)


def _editions(book):
    """The book's files to download, when the API lists them: address, name of the format, size."""
    editions = []
    for edition in book.get("editions") or []:
        url = edition.get("url") or edition.get("download_url") or ""
        if not url.startswith(("https://", "http://")):
            continue
        label = edition.get("label") or edition.get("title") or (edition.get("format") or "").upper() or url
        editions.append(
            {
                "url": url,
                "label": label,
                "media_type": edition.get("media_type") or "",
                "size": edition.get("size"),
            }
        )
    return editions


def chapter(request, lang, key):
    site = Site(lang)
    item = _detail(site, "chapters", key)
    context = {
        "item": item,
        "sections": body_sections(item),
        "provenance": provenance(item),
        **_neighbours(site.book, item["key"]),
    }
    return _page(request, site, "chapter.html", context, item=item)


def provenance(item):
    """Where the words of the version served come from, as the API's ``translation`` says, or None.

    The language the contribution was written in when it is not the one shown,
    the translators, the reviewer and the date of the review, and whether the
    text is still partly a machine's or behind its source. Language names are
    in the interface's language.
    """
    found = item.get("translation") or {}
    original = found.get("original_locale") or ""
    shown = {
        "original": _language_name(original) if original and original != item.get("locale") else "",
        "translators": [name for name in found.get("translators") or [] if name],
        "reviewed_by": found.get("reviewed_by") or "",
        "reviewed_at": parse_datetime(found.get("reviewed_at") or "") if found.get("reviewed_at") else None,
        "machine_assisted": bool(found.get("machine_assisted")),
        "outdated": bool(found.get("outdated")),
    }
    return shown if any(shown.values()) else None


# Languages whose text writes the names of languages in lower case, after a label as inside a
# sentence (« Langue originale : espagnol »); English keeps "Spanish". The CMS holds the same list
# (``book.languages``), which the reader, knowing the book only through the API, does not import.
LOWER_CASE_LANGUAGE_NAMES = frozenset(
    {
        "be", "bg", "bs", "ca", "cs", "da", "el", "eo", "es", "et", "eu", "fi", "fr", "gl", "hr", "hu",
        "it", "lt", "lv", "mk", "nb", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "uk",
    }
)  # fmt: skip


def _language_name(code):
    """The name of the language ``code`` in the interface's language, as its text writes it after a label."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    active = (translation.get_language() or "").lower().replace("_", "-").split("-")[0]
    if active in LOWER_CASE_LANGUAGE_NAMES and name[:1].isupper():
        return name[:1].lower() + name[1:]
    return name


def _neighbours(book, key):
    """The chapters before and after ``key`` in the book's table of contents."""
    chapters = [chapter for part in (book or {}).get("toc", []) for chapter in part.get("chapters", [])]
    keys = [chapter["key"] for chapter in chapters]
    if key not in keys:
        return {}
    index = keys.index(key)
    return {
        "previous": chapters[index - 1] if index > 0 else None,
        "next": chapters[index + 1] if index + 1 < len(chapters) else None,
    }


def contributors(request, lang):
    site = Site(lang)
    items, served = _list_in(site, "contributors/", {"ordering": "sort_name"})
    return _page(
        request,
        site,
        "list.html",
        {"items": items, "title": _("Contributors"), "kind": "contributor"},
        served=served,
    )


def contributor(request, lang, key):
    site = Site(lang)
    item = _detail(site, "contributors", key)
    return _page(
        request, site, "contributor.html", {"item": item, "chapters": item.get("chapters", [])}, item=item
    )


def themes(request, lang):
    site = Site(lang)
    items, served = _list_in(site, "themes/")
    return _page(
        request, site, "list.html", {"items": items, "title": _("Themes"), "kind": "theme"}, served=served
    )


def theme(request, lang, key):
    site = Site(lang)
    item = _detail(site, "themes", key)
    return _page(request, site, "topic.html", {"item": item, "chapters": item.get("chapters", [])}, item=item)


def cities(request, lang):
    site = Site(lang)
    items, served = _list_in(site, "cities/")
    return _page(
        request, site, "list.html", {"items": items, "title": _("Cities"), "kind": "city"}, served=served
    )


def city(request, lang, key):
    site = Site(lang)
    item = _detail(site, "cities", key)
    chapters = api.get_all("chapters/", {"city": item["key"], "locale": item["locale"]}, lang)
    return _page(request, site, "topic.html", {"item": item, "chapters": chapters}, item=item)


def sectors(request, lang):
    site = Site(lang)
    items, served = _list_in(site, "sectors/")
    return _page(
        request, site, "list.html", {"items": items, "title": _("Sectors"), "kind": "sector"}, served=served
    )


def sector(request, lang, key):
    site = Site(lang)
    item = _detail(site, "sectors", key)
    chapters = api.get_all("chapters/", {"sector": item["key"], "locale": item["locale"]}, lang)
    return _page(request, site, "topic.html", {"item": item, "chapters": chapters}, item=item)


def search(request, lang):
    site = Site(lang)
    query = request.GET.get("q", "").strip()
    results, served = [], site.lang
    if query:
        results = api.get("search/", {"q": query, "locale": lang, "page_size": 50}, lang).get("results", [])
        if not results and lang != site.source:
            served = site.source
            results = api.get("search/", {"q": query, "locale": served, "page_size": 50}, lang).get(
                "results", []
            )
    for result in results:
        view = ITEM_PAGES.get(result.get("type"))
        result["reader_url"] = reverse(view, kwargs={"lang": lang, "key": result["key"]}) if view else ""
    context = {"query": query, "results": results}
    return _page(request, site, "search.html", context, served=served)


# The reader's page for each kind of draft the API previews.
PREVIEW_TEMPLATES = {
    "book": "home.html",
    "part": "topic.html",
    "chapter": "chapter.html",
    "contributor": "contributor.html",
    "theme": "topic.html",
}


def preview(request):
    """A draft, for the editor who holds a preview token: marked as such, never indexed, never kept."""
    kind, item = api.get_preview(request.GET.get("token", ""))
    if kind not in PREVIEW_TEMPLATES:
        raise api.ApiError(f"Unknown preview kind {kind!r}.")
    lang = item.get("locale") or settings.LANGUAGE_CODE
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    site = Site(lang)
    context = {"item": item, "chapters": item.get("chapters", []), "preview": True}
    if kind == "chapter":
        context.update(sections=body_sections(item), **_neighbours(site.book, item["key"]))
    elif kind == "book":
        site.book = item
        context.update(toc=item.get("toc", []), editions=[])
    response = _page(request, site, PREVIEW_TEMPLATES[kind], context, item=item)
    return private(response)


def private(response):
    """No cache keeps a preview, no search engine indexes it; only the admin may frame it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    ancestors = " ".join(["'self'", *settings.READER_PREVIEW_FRAME_ANCESTORS])
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    response.xframe_options_exempt = True
    return response


def _error_language(request):
    """The language of the address that failed, for a page that cannot ask the API."""
    first = request.path.strip("/").split("/")[0]
    codes = {code for code, _name in settings.LANGUAGES}
    return first if first in codes else translation.get_language_from_request(request)


def error_page(request, error, status=None):
    """A page that says what went wrong in the reader's words, with the status it deserves."""
    language = _error_language(request)
    translation.activate(language)
    status = status or getattr(error, "status", 500)
    if status == 403:
        title = _("This preview cannot be shown")
        message = _("The preview link is not valid or has expired. Open the preview from the admin again.")
    elif status == 404:
        title = _("Page not found")
        message = _("There is no published page at this address. It may have been moved or unpublished.")
    elif status == 503:
        title = _("The book cannot be reached")
        message = _("The server that holds the book is not answering. Please try again in a few minutes.")
    elif status == 502:
        title = _("The book could not be read")
        message = _(
            "The server that holds the book answered with an error. Please try again in a few minutes."
        )
    else:
        title = _("Something went wrong")
        message = _("This page could not be shown. Please try again in a few minutes.")
    context = {
        "title": title,
        "message": message,
        "page_lang": {"code": language, "dir": "rtl" if translation.get_language_bidi() else "ltr"},
    }
    response = render(request, "reader/error.html", context, status=status)
    if request.resolver_match and request.resolver_match.url_name == "preview":
        private(response)
    if status == 503:
        response["Retry-After"] = "60"
    return response


def not_found(request, exception):
    return error_page(request, exception, 404)


def server_error(request):
    return error_page(request, None, 500)
