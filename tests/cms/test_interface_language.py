"""The project's interface speaks French, and Arabic to Arabic-speaking translators: every string
of the code is in each catalog with its placeholders, the compiled catalogs match them, and the
admin shows our labels in the user's language."""

import gettext as gnu_gettext
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from book.models import ChapterPage, City, CreativeField, PartPage
from cms.i18n import (
    ExtractionError,
    Message,
    catalog_path,
    catalog_problems,
    extract,
    extract_from_python,
    extract_from_template,
    merge,
    new_catalog,
    placeholder_differences,
    translations,
)
from tests.factories import ChapterPageFactory

FRENCH_PO = catalog_path(settings.LOCALE_PATHS[0], "fr")
FRENCH_MO = FRENCH_PO.with_suffix(".mo")
ARABIC_PO = catalog_path(settings.LOCALE_PATHS[0], "ar")
ARABIC_MO = ARABIC_PO.with_suffix(".mo")

# Every interface catalog is held to the same rules: French, the admin's language, and
# Arabic, which translators who work right to left choose for their account.
INTERFACE_LANGUAGES = ["fr", "ar"]
ARABIC_PLURAL_FORMS = "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"


@pytest.fixture(scope="module")
def french_catalog():
    return polib.pofile(str(FRENCH_PO))


@pytest.fixture(scope="module", params=INTERFACE_LANGUAGES)
def interface_catalog(request):
    return polib.pofile(str(catalog_path(settings.LOCALE_PATHS[0], request.param)))


# The extractor ---------------------------------------------------------------

SAMPLE_PYTHON = """
from django.utils import translation
from django.utils.translation import gettext_lazy as _, ngettext, npgettext, pgettext_lazy

label = _("Chapter")
# Translators: the month, not the verb
month = pgettext_lazy("month name", "May")
count = ngettext("%(count)d chapter", "%(count)d chapters", 3)
menu = npgettext("menu", "%(n)s item", "%(n)s items", 2)
joined = translation.gettext("Two parts " "joined")
skipped = _(f"Chapter {label}")
dynamic = _(label)
"""

SAMPLE_TEMPLATE = """{% load i18n %}
<h1>{% translate "Contents" %}</h1>
<p>{% trans 'Menu' context "navigation" %}</p>
{% blocktranslate with name=page.title %}Written by {{ name }} at 100%{% endblocktranslate %}
{% blocktranslate trimmed count minutes=page.reading_time %}
  {{ minutes }} minute read
{% plural %}
  {{ minutes }} minutes read
{% endblocktranslate %}
{# Translators: shown under every chapter #}
{% translate "Back to the top" %}
"""


def _by_key(messages):
    return {message.key: message for message in messages}


def test_extractor_finds_every_gettext_form_in_python():
    messages, notes = extract_from_python(SAMPLE_PYTHON, "sample.py")
    found = _by_key(messages)

    assert [message.msgid for message in messages] == [
        "Chapter",
        "May",
        "%(count)d chapter",
        "%(n)s item",
        "Two parts joined",
    ]
    assert found[("month name", "May")].comments == ["Translators: the month, not the verb"]
    assert found[(None, "%(count)d chapter")].msgid_plural == "%(count)d chapters"
    assert found[("menu", "%(n)s item")].msgid_plural == "%(n)s items"
    assert found[(None, "Chapter")].occurrences == [("sample.py", 5)]
    assert [note.split(":")[:2] for note in notes] == [["sample.py", "11"], ["sample.py", "12"]]


def test_extractor_reads_templates_as_makemessages_does():
    messages, _notes = extract_from_template(SAMPLE_TEMPLATE, "sample.html")
    found = _by_key(messages)

    assert set(found) == {
        (None, "Contents"),
        ("navigation", "Menu"),
        (None, "Written by %(name)s at 100%%"),
        (None, "%(minutes)s minute read"),
        (None, "Back to the top"),
    }
    assert found[(None, "%(minutes)s minute read")].msgid_plural == "%(minutes)s minutes read"
    assert found[(None, "Written by %(name)s at 100%%")].python_format
    assert found[(None, "Back to the top")].comments == ["Translators: shown under every chapter"]
    assert found[(None, "Contents")].occurrences == [("sample.html", 2)]


def test_extractor_names_the_file_it_cannot_read():
    with pytest.raises(ExtractionError, match=r"broken\.py:1"):
        extract_from_python("label = _('unclosed'\n", "broken.py")
    with pytest.raises(ExtractionError, match=r"broken\.html"):
        extract_from_template(
            "{% blocktranslate %}{% if x %}{% endif %}{% endblocktranslate %}", "broken.html"
        )


def test_extractor_finds_the_project_strings_and_not_the_migrations():
    extraction = extract(settings.BASE_DIR)
    places = {path for message in extraction.messages for path, _line in message.occurrences}

    assert (None, "Credits and classification") in extraction.message_keys()
    assert (None, "%(minutes)s minute read") in extraction.message_keys()
    assert any(path.endswith(".html") for path in places)
    assert not any("/migrations/" in path for path in places)
    assert not any(path.startswith("tests/") for path in places)


# The catalog -----------------------------------------------------------------


def test_every_interface_catalog_is_checked():
    found = {path.parent.parent.name for path in settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po")}

    assert found == set(INTERFACE_LANGUAGES)


def test_every_string_of_the_code_is_translated(interface_catalog):
    entries = {(entry.msgctxt, entry.msgid): entry for entry in interface_catalog if not entry.obsolete}
    missing, untranslated, fuzzy = [], [], []
    for message in extract(settings.BASE_DIR).messages:
        entry = entries.get(message.key)
        if entry is None or entry.msgid_plural != message.msgid_plural:
            missing.append(message.msgid)
        elif entry.fuzzy:
            fuzzy.append(message.msgid)
        elif not entry.translated():
            untranslated.append(message.msgid)

    assert not (missing or untranslated or fuzzy), (
        "Run `manage.py update_catalog`, translate, then `manage.py compile_catalog`.\n"
        f"Missing: {missing}\nUntranslated: {untranslated}\nFuzzy: {fuzzy}"
    )


def test_catalog_has_no_fuzzy_or_untranslated_entry(interface_catalog):
    assert [entry.msgid for entry in interface_catalog.fuzzy_entries()] == []
    assert [entry.msgid for entry in interface_catalog.untranslated_entries()] == []


def test_french_catalog_header_declares_french_plurals(french_catalog):
    assert french_catalog.metadata["Language"] == "fr"
    assert french_catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert french_catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_arabic_catalog_header_declares_arabic_plurals():
    arabic_catalog = polib.pofile(str(ARABIC_PO))

    assert arabic_catalog.metadata["Language"] == "ar"
    assert arabic_catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert arabic_catalog.metadata["Plural-Forms"] == ARABIC_PLURAL_FORMS
    plurals = [entry for entry in arabic_catalog if entry.msgid_plural and not entry.obsolete]
    assert plurals
    assert [entry.msgid for entry in plurals if sorted(entry.msgstr_plural) != [0, 1, 2, 3, 4, 5]] == []


def test_translations_keep_the_placeholders_of_the_code(interface_catalog):
    assert catalog_problems(interface_catalog) == []
    assert placeholder_differences(interface_catalog) == []


def test_compiled_catalog_matches_its_source(interface_catalog):
    mo_path = catalog_path(settings.LOCALE_PATHS[0], interface_catalog.metadata["Language"]).with_suffix(
        ".mo"
    )
    compiled = translations(polib.mofile(str(mo_path)))

    assert compiled == translations(interface_catalog)
    assert len(compiled) == len(interface_catalog.translated_entries())


def test_compiled_catalog_loads_with_python_gettext_alone():
    with FRENCH_MO.open("rb") as mo:
        catalog = gnu_gettext.GNUTranslations(mo)

    assert catalog.gettext("Credits and classification") == "Crédits et classement"
    # French uses the singular for zero and one.
    assert catalog.ngettext("%(minutes)s minute read", "%(minutes)s minutes read", 0) == (
        "%(minutes)s minute de lecture"
    )
    assert catalog.ngettext("%(minutes)s minute read", "%(minutes)s minutes read", 2) == (
        "%(minutes)s minutes de lecture"
    )


def test_problems_flags_placeholders_the_code_does_not_provide():
    catalog = new_catalog("fr")
    catalog.append(polib.POEntry(msgid="Note %(number)s", msgstr="Note %(numero)s", flags=["python-format"]))
    catalog.append(polib.POEntry(msgid="100%% read", msgstr="lu à 100 %", flags=["python-format"]))

    problems = catalog_problems(catalog)

    assert len(problems) == 2
    assert "numero" in problems[0]
    assert "'%%'" in problems[1]


def test_placeholder_differences_catch_a_dropped_or_changed_placeholder():
    catalog = new_catalog("ar")
    catalog.append(polib.POEntry(msgid="Due %(date)s", msgstr="مستحق", flags=["python-format"]))
    catalog.append(polib.POEntry(msgid="Translate {model_name}", msgstr="ترجمة"))
    catalog.append(polib.POEntry(msgid="Reference a note with [^N].", msgstr="أحِل إلى حاشية."))
    catalog.append(polib.POEntry(msgid="Build <span>%(format)s</span>", msgstr="بناء %(format)s"))
    catalog.append(
        polib.POEntry(
            msgid="%(count)d item",
            msgid_plural="%(count)d items",
            msgstr_plural={0: "%(count)d عنصر", 1: "عنصر واحد", 2: "%(count)d", 3: "", 4: "", 5: ""},
            flags=["python-format"],
        )
    )
    catalog.append(polib.POEntry(msgid="Send “Bearer <key>”", msgstr="أرسل «Bearer <المفتاح>»"))
    catalog.append(polib.POEntry(msgid="Due %(date)s", msgctxt="kept", msgstr="يُستحق في %(date)s"))

    differences = placeholder_differences(catalog)

    assert len(differences) == 5
    assert [difference.split(":")[0] for difference in differences] == [
        "'Due %(date)s'",
        "'Translate {model_name}'",
        "'Reference a note with [^N].'",
        "'Build <span>%(format)s</span>'",
        "'%(count)d item'",
    ]


def test_arabic_compiled_catalog_chooses_among_six_plural_forms():
    with ARABIC_MO.open("rb") as mo:
        catalog = gnu_gettext.GNUTranslations(mo)

    singular, plural = "%(count)s comment", "%(count)s comments"
    forms = [catalog.ngettext(singular, plural, n) for n in (1, 2, 3, 11, 100)]
    # One, two, a few (3 to 10), many (11 to 99), and a hundred or more.
    assert forms == [
        "تعليق واحد (%(count)s)",
        "تعليقان (%(count)s)",
        "%(count)s تعليقات",
        "%(count)s تعليقًا",
        "%(count)s تعليق",
    ]
    assert catalog.gettext("Translation queue") == "قائمة الترجمة"


# Merging ---------------------------------------------------------------------


def test_merge_adds_new_strings_keeps_translations_and_obsoletes_the_rest():
    catalog = new_catalog("fr")
    catalog.append(polib.POEntry(msgid="chapter", msgstr="chapitre"))
    catalog.append(polib.POEntry(msgid="Gone", msgstr="Parti"))
    catalog.append(polib.POEntry(msgid="Never translated", msgstr=""))
    catalog.append(
        polib.POEntry(
            msgid="%(n)s note", msgid_plural="%(n)s notes", msgstr_plural={0: "%(n)s note", 1: "%(n)s notes"}
        )
    )
    messages = [
        Message("part", occurrences=[("book/models.py", 3)]),
        Message("chapter", occurrences=[("book/models.py", 9)]),
        Message("%(n)s note", msgid_plural="%(n)s footnotes", occurrences=[("book/blocks.py", 1)]),
    ]

    result = merge(catalog, messages)

    entries = {entry.msgid: entry for entry in catalog}
    assert [entry.msgid for entry in catalog if not entry.obsolete] == ["part", "chapter", "%(n)s note"]
    assert entries["chapter"].msgstr == "chapitre"
    assert entries["chapter"].occurrences == [("book/models.py", "9")]
    assert entries["part"].msgstr == ""
    assert entries["Gone"].obsolete and entries["Gone"].msgstr == "Parti"
    assert "Never translated" not in entries
    assert entries["%(n)s note"].fuzzy and entries["%(n)s note"].msgid_plural == "%(n)s footnotes"
    assert result.added == [(None, "part")]
    assert result.obsoleted == [(None, "Gone")]
    assert result.removed == [(None, "Never translated")]


def test_merge_revives_an_obsolete_translation_when_the_string_returns():
    catalog = new_catalog("fr")
    catalog.append(polib.POEntry(msgid="Gone", msgstr="Parti", obsolete=True))

    merge(catalog, [Message("Gone", occurrences=[("cms/x.py", 1)])])

    assert not catalog[0].obsolete and catalog[0].translated()


def test_commands_update_and_compile_a_catalog_without_gnu_gettext(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    call_command("update_catalog", "--locale", "fr", stdout=StringIO())
    po_path = catalog_path(tmp_path, "fr")
    catalog = polib.pofile(str(po_path))
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert (None, "Credits and classification") in {(entry.msgctxt, entry.msgid) for entry in catalog}
    catalog.find("Credits and classification").msgstr = "Crédits et classement"
    catalog.save()

    call_command("update_catalog", "--check", stdout=StringIO(), stderr=StringIO())
    call_command("update_catalog", stdout=StringIO(), verbosity=0)
    assert polib.pofile(str(po_path)).find("Credits and classification").msgstr == "Crédits et classement"

    with pytest.raises(CommandError):
        call_command("compile_catalog", "--check", stdout=StringIO())
    call_command("compile_catalog", stdout=StringIO(), stderr=StringIO())
    call_command("compile_catalog", "--check", stdout=StringIO())
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert translations(compiled) == {(None, "Credits and classification", ""): "Crédits et classement"}


def test_update_check_fails_when_the_code_has_a_string_the_catalog_lacks(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    po_path = catalog_path(tmp_path, "fr")
    po_path.parent.mkdir(parents=True)
    new_catalog("fr").save(str(po_path))

    with pytest.raises(CommandError, match="update_catalog"):
        call_command("update_catalog", "--check", stdout=StringIO(), stderr=StringIO())


# French at run time -------------------------------------------------------------


def test_model_labels_come_out_in_french():
    with translation.override("fr"):
        assert ChapterPage._meta.verbose_name == "chapitre"
        assert PartPage._meta.verbose_name_plural == "parties"
        assert City._meta.get_field("creative_field").verbose_name == "Domaine créatif UNESCO"
        assert CreativeField.FILM.label == "Cinéma"
    with translation.override("en"):
        assert ChapterPage._meta.verbose_name == "chapter"


def test_plurals_follow_french_rules_beside_wagtails_catalogs():
    # Wagtail's French catalogs declare three plural forms; ours keeps its own two.
    singular, plural = "%(minutes)s minute read", "%(minutes)s minutes read"
    with translation.override("fr"):
        assert translation.ngettext(singular, plural, 0) == "%(minutes)s minute de lecture"
        assert translation.ngettext(singular, plural, 1) == "%(minutes)s minute de lecture"
        assert translation.ngettext(singular, plural, 5) == "%(minutes)s minutes de lecture"


@pytest.fixture
def french_superuser(django_user_model):
    user = django_user_model.objects.create_superuser("editrice", "editrice@example.org", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    return user


@pytest.mark.django_db
def test_chapter_edit_view_shows_our_panels_in_french(client, french_superuser):
    chapter = ChapterPageFactory(title="Une contribution")
    client.force_login(french_superuser)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[chapter.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Crédits et classement" in content
    assert "Sous-titre" in content
    assert "Credits and classification" not in content


@pytest.mark.django_db
def test_page_type_chooser_names_our_page_types_in_french(client, french_superuser):
    book = ChapterPageFactory(title="Une contribution").get_parent().get_parent()
    client.force_login(french_superuser)

    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[book.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Index des contributeurs" in content
    assert "Index des thèmes" in content
    assert "Theme index" not in content
