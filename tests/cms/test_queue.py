"""The localization queue of one language: states, order, filters, actions, rights and query counts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail_localize.models import Translation

from book.models import ChapterPage
from cms.localization.state import (
    AWAITING_REVIEW,
    IN_PROGRESS,
    NOT_STARTED,
    PUBLISHED,
    SOURCE_CHANGED,
    item_states,
)
from tests.cms.localization_support import (
    editor,
    in_every_state,
    make_book,
    make_locales,
    publish,
    reviewer,
    spread_states,
    start,
    submit_for_review,
    synthetic_book,
    translate,
    translation_of,
    translator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


@pytest.fixture
def book(locales):
    return make_book(chapters=5)


def queue_url(code="en", **params):
    url = reverse("localization:queue", args=[code])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def rows(response):
    """The item refs of the queue's rows, top to bottom."""
    return re.findall(
        r'<tr class="localization-queue__row[^"]*" data-item="([^"]+)"', response.content.decode()
    )


def ref(page):
    return f"page:{page.translation_key}"


def state_of(instance, locale, model_family="page"):
    states = item_states([locale], with_words=True)[locale.pk]
    return next(state for state in states if state.item.ref == f"{model_family}:{instance.translation_key}")


def test_queue_lists_every_translatable_item_of_the_book(client, book, locales):
    client.force_login(translator("en"))

    response = client.get(queue_url())

    assert response.status_code == 200
    expected = {
        ref(page)
        for page in [
            book.book,
            book.part,
            *book.chapters,
            book.contributor_index,
            book.contributor,
            book.theme_index,
            book.theme,
        ]
    }
    expected |= {f"city:{book.city.translation_key}", f"sector:{book.sector.translation_key}"}
    assert set(rows(response)) == expected


def test_each_item_shows_its_state(book, locales):
    en = locales["en"]
    in_every_state(book.chapters, locales["en"], editor())
    published, in_progress, changed, in_review, not_started = book.chapters[:5]

    assert state_of(published, en).state == PUBLISHED
    assert state_of(published, en).percent == 100
    progress = state_of(in_progress, en)
    assert progress.state == IN_PROGRESS
    assert 0 < progress.percent < 100
    assert progress.percent == progress.translated_segments * 100 // progress.total_segments
    assert state_of(changed, en).state == SOURCE_CHANGED
    assert state_of(in_review, en).state == AWAITING_REVIEW
    assert state_of(not_started, en).state == NOT_STARTED


def test_state_is_per_language(book, locales):
    start(book.chapters[0], locales["en"])
    translate(book.chapters[0], locales["en"], publish=True)

    assert state_of(book.chapters[0], locales["en"]).state == PUBLISHED
    assert state_of(book.chapters[0], locales["es"]).state == NOT_STARTED


def test_rejected_translation_is_back_in_progress_not_awaiting_review(book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en)
    user = editor()
    workflow_state = submit_for_review(chapter.get_translation(en), user)
    workflow_state.current_task_state.task.specific.on_action(
        workflow_state.current_task_state, user, "reject", comment="Le titre est trop long."
    )

    assert state_of(chapter, en).state == IN_PROGRESS


def test_a_city_or_sector_under_review_is_awaiting_review(book, locales):
    en = locales["en"]
    start(book.city, en)
    start(book.sector, en)
    translate(book.city, en)
    submit_for_review(book.city.get_translation(en), editor())

    assert state_of(book.city, en, "city").state == AWAITING_REVIEW
    assert state_of(book.sector, en, "sector").state != AWAITING_REVIEW


def test_words_left_count_the_untranslated_segments(book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    before = state_of(chapter, en).words_left
    assert before > 0

    translate(chapter, en, count=1)
    after = state_of(chapter, en)

    assert 0 < after.words_left < before
    translate(chapter, en)
    assert state_of(chapter, en).words_left == 0


def test_words_left_of_an_item_never_extracted_are_those_of_its_future_segments(book, locales):
    chapter = book.chapters[0]
    state = state_of(chapter, locales["en"])

    assert state.words_left == state.words_total >= ChapterPage.objects.get(pk=chapter.pk).word_count


def test_next_thing_to_do_is_on_top(client, book, locales):
    in_every_state(book.chapters, locales["en"], editor())
    published, in_progress, changed, in_review, not_started = book.chapters[:5]
    client.force_login(translator("en"))

    order = rows(client.get(queue_url()))

    position = {item: index for index, item in enumerate(order)}
    assert position[ref(changed)] < position[ref(in_progress)] < position[ref(not_started)]
    assert position[ref(not_started)] < position[ref(in_review)] < position[ref(published)]


def test_an_item_due_soon_comes_before_work_without_a_due_date(client, book, locales):
    from datetime import date, timedelta

    from wagtail_localize.models import TranslatableObject

    from cms.localization.models import Assignment

    last = book.chapters[-1]
    user = translator("en")
    Assignment.objects.create(
        object=TranslatableObject.objects.get_or_create_from_instance(last)[0],
        locale=locales["en"],
        assignee=user,
        due_date=date.today() + timedelta(days=3),
    )
    client.force_login(user)

    assert rows(client.get(queue_url()))[0] == ref(last)


def test_filters_narrow_the_queue(client, book, locales):
    from wagtail_localize.models import TranslatableObject

    from cms.localization.models import Assignment

    in_every_state(book.chapters, locales["en"], editor())
    user = translator("en")
    other = translator("en", username="other-translator")
    mine, theirs = book.chapters[4], book.chapters[1]
    for chapter, assignee in ((mine, user), (theirs, other)):
        Assignment.objects.create(
            object=TranslatableObject.objects.get_or_create_from_instance(chapter)[0],
            locale=locales["en"],
            assignee=assignee,
        )
    client.force_login(user)

    assert rows(client.get(queue_url(mine="on"))) == [ref(mine)]
    assert rows(client.get(queue_url(state=SOURCE_CHANGED))) == [ref(book.chapters[2])]
    assert rows(client.get(queue_url(assignee=other.pk))) == [ref(theirs)]
    assert ref(mine) not in rows(client.get(queue_url(assignee="none")))
    in_part = set(rows(client.get(queue_url(part=book.part.translation_key))))
    assert in_part == {ref(book.part), *(ref(chapter) for chapter in book.chapters)}


def count_of_the_whole(response):
    """The number of items the pagination says there are, all pages together."""
    return int(re.search(r'class="pagination__end">\s*(\d+) items', response.content.decode()).group(1))


def page_link(response, number):
    return (
        re.search(rf'href="([^"]*(?:\?|&amp;)p={number})"', response.content.decode())
        .group(1)
        .replace("&amp;", "&")
    )


def test_queue_is_read_a_page_at_a_time_next_work_on_the_first(client, book, locales, monkeypatch):
    from cms.localization import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    in_every_state(book.chapters, locales["en"], editor())
    published, in_progress, changed, in_review, not_started = book.chapters[:5]
    client.force_login(translator("en"))

    first = client.get(queue_url())
    assert rows(first) == [ref(changed), ref(in_progress), ref(book.book)]
    assert count_of_the_whole(first) == book.item_count
    assert 'aria-current="page"' in first.content.decode()

    pages = [rows(client.get(queue_url(p=number))) for number in range(1, 6)]
    every_row = [row for page in pages for row in page]
    assert len(every_row) == len(set(every_row)) == book.item_count
    assert every_row[-2:] == [ref(in_review), ref(published)]
    assert ref(not_started) in every_row


def test_filters_are_kept_from_page_to_page(client, book, locales, monkeypatch):
    from cms.localization import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(translator("en"))

    first = client.get(queue_url(state=NOT_STARTED))
    second = client.get(queue_url() + page_link(first, 2))

    assert "state=not_started" in page_link(first, 2)
    assert count_of_the_whole(first) == count_of_the_whole(second) == book.item_count
    assert set(rows(first)).isdisjoint(rows(second))


def test_counts_of_the_whole_language_are_on_every_page(client, book, locales, monkeypatch):
    from cms.localization import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    in_every_state(book.chapters, locales["en"], editor())
    client.force_login(translator("en"))

    html = client.get(queue_url(p=3)).content.decode()

    counts = dict(re.findall(r'<li data-state="([a-z_]+)"><a [^>]*>[^<]*</a>: (\d+)</li>', html))
    assert counts == {
        SOURCE_CHANGED: "1",
        IN_PROGRESS: "1",
        NOT_STARTED: str(book.item_count - 4),
        AWAITING_REVIEW: "1",
        PUBLISHED: "1",
    }


@pytest.mark.parametrize("number", ["0", "999", "deux", "-1"])
def test_a_page_number_that_is_not_one_gives_a_page_not_an_error(client, book, locales, number, monkeypatch):
    from cms.localization import views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(translator("en"))

    response = client.get(queue_url(p=number))

    assert response.status_code == 200
    assert len(rows(response)) in (5, book.item_count % 5)


def test_queue_page_says_which_way_the_language_is_written(client, book, locales):
    client.force_login(editor())

    arabic = client.get(queue_url("ar")).content.decode()
    english = client.get(queue_url("en")).content.decode()

    assert 'data-direction="rtl"' in arabic
    assert 'data-direction="ltr"' in english


def test_translated_titles_carry_their_language_and_direction(client, book, locales):
    ar = locales["ar"]
    chapter = book.chapters[0]
    start(chapter, ar)
    translate(chapter, ar)
    client.force_login(editor())

    html = client.get(queue_url("ar")).content.decode()

    assert f'<div lang="ar" dir="rtl">[ar] {chapter.title}</div>' in html


def test_translator_starts_a_translation_from_the_queue(client, book, locales):
    chapter = book.chapters[0]
    client.force_login(translator("en"))

    response = client.post(
        reverse("localization:action", args=["en"]),
        {"row_action": f"start|{ref(chapter)}", "next": queue_url()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == queue_url()
    assert "Translation started" in response.content.decode()
    translated = chapter.get_translation(locales["en"])
    assert not translated.live
    assert state_of(chapter, locales["en"]).state == IN_PROGRESS
    assert Translation.objects.filter(source__object_id=chapter.translation_key).count() == 1


def test_started_item_links_to_the_translation_editor(client, book, locales):
    chapter = book.chapters[0]
    start(chapter, locales["en"])
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "password"))

    html = client.get(queue_url()).content.decode()
    edit_url = reverse("wagtailadmin_pages:edit", args=[chapter.get_translation(locales["en"]).pk])
    assert f'href="{edit_url}"' in html

    # wagtail-localize turns the edit view of a translation into its translation editor.
    editor_page = client.get(edit_url)
    assert editor_page.status_code == 200
    assert 'class="js-translation-editor"' in editor_page.content.decode()


def test_not_started_item_offers_start_only_to_who_may_start(client, book, locales):
    chapter = book.chapters[0]
    start_button = f'value="start|{ref(chapter)}"'

    client.force_login(translator("en"))
    assert start_button in client.get(queue_url()).content.decode()


def test_a_copied_parent_draft_is_not_started_and_can_be_taken_over(client, book, locales):
    en = locales["en"]
    start(book.chapters[0], en)
    # wagtail-localize copied the part (and the book) as drafts to hold the chapter.
    assert book.part.get_translation_or_none(en) is not None
    assert state_of(book.part, en).state == NOT_STARTED
    client.force_login(translator("en"))

    client.post(reverse("localization:action", args=["en"]), {"row_action": f"start|{ref(book.part)}"})

    assert translation_of(book.part, en)
    assert state_of(book.part, en).state == IN_PROGRESS


def test_sync_from_the_queue_brings_a_changed_source_back(client, book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en, publish=True)
    chapter.title = "Chapitre 1, revu"
    publish(chapter)
    assert state_of(chapter, en).state == SOURCE_CHANGED
    client.force_login(translator("en"))

    response = client.post(
        reverse("localization:action", args=["en"]), {"row_action": f"sync|{ref(chapter)}"}, follow=True
    )

    assert "1 item synced" in response.content.decode()
    state = state_of(chapter, en)
    assert state.state == IN_PROGRESS
    assert state.translated_segments == state.total_segments - 1


def test_sync_all_syncs_every_out_of_date_item(client, book, locales):
    en = locales["en"]
    for chapter in book.chapters[:3]:
        start(chapter, en)
        translate(chapter, en, publish=True)
        chapter.title += " (revu)"
        publish(chapter)
    client.force_login(reviewer("en"))

    response = client.post(reverse("localization:action", args=["en"]), {"action": "sync_all"}, follow=True)

    assert "3 items synced" in response.content.decode()
    assert all(state_of(chapter, en).state == IN_PROGRESS for chapter in book.chapters[:3])


def test_po_download_gives_a_zip_of_the_language(client, book, locales):
    start(book.chapters[0], locales["en"])
    client.force_login(translator("en"))

    response = client.get(reverse("localization:po_download", args=["en"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_rejected_po_upload_applies_nothing_and_lists_the_problems(client, book, locales):
    from django.core.files.uploadedfile import SimpleUploadedFile

    start(book.chapters[0], locales["en"])
    client.force_login(translator("en"))

    response = client.post(
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile("en.zip", b"not a zip at all", content_type="application/zip")},
        follow=True,
    )

    assert "Nothing was imported" in response.content.decode()
    assert state_of(book.chapters[0], locales["en"]).translated_segments == 0


def _edited_archive(archive, edit):
    """The zip with ``edit(msgstr)`` applied to every entry of its PO files, as a translator offline would."""
    import io
    import zipfile

    import polib

    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(result, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith(".po"):
                po = polib.pofile(data.decode("utf-8"))
                for entry in po:
                    entry.msgstr = edit(entry.msgstr)
                data = str(po).encode("utf-8")
            target.writestr(name, data)
    return result.getvalue()


def test_po_round_trip_through_the_queue(client, book, locales):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail_localize.models import StringTranslation

    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en, count=1)
    client.force_login(translator("en"))
    archive = b"".join(client.get(reverse("localization:po_download", args=["en"])).streaming_content)

    edited = _edited_archive(archive, lambda msgstr: "Offline: " + (msgstr or "new"))
    response = client.post(
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile("en.zip", edited, content_type="application/zip")},
        follow=True,
    )

    assert "PO files imported" in response.content.decode()
    state = state_of(chapter, en)
    assert state.translated_segments == state.total_segments
    assert (
        StringTranslation.objects.filter(locale=en, data__startswith="Offline: ").count()
        == state.total_segments
    )


def item_po_url(code, instance, family="page"):
    return reverse("localization:po_download", args=[code]) + f"?item={family}:{instance.translation_key}"


def test_each_started_row_offers_its_own_po_file(client, book, locales):
    chapter, other = book.chapters[:2]
    start(chapter, locales["en"])
    client.force_login(translator("en"))

    html = client.get(queue_url()).content.decode()

    assert item_po_url("en", chapter).replace(":", "%3A") in html
    assert item_po_url("en", other).replace(":", "%3A") not in html


def test_one_items_po_file_round_trips_through_the_queue(client, book, locales):
    import polib
    from django.core.files.uploadedfile import SimpleUploadedFile

    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en, count=1)
    client.force_login(translator("en"))

    response = client.get(item_po_url("en", chapter))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation"
    assert 'filename="chapterpage-' in response["Content-Disposition"]
    po = polib.pofile(b"".join(response.streaming_content).decode("utf-8"))
    assert po.metadata["Language"] == "en"
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation_of(chapter, en).uuid)
    for entry in po:
        entry.msgstr = "Offline: " + (entry.msgstr or "new")

    response = client.post(
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile("chapter-en.po", str(po).encode("utf-8"), content_type="text/plain")},
        follow=True,
    )

    assert "PO files imported" in response.content.decode()
    state = state_of(chapter, en)
    assert state.translated_segments == state.total_segments
    # Only this item: the other chapters were not started, and nothing else was touched.
    assert state_of(book.chapters[1], en).translated_segments == 0


def test_an_item_without_a_translation_has_no_po_file(client, book, locales):
    client.force_login(translator("en"))

    response = client.get(item_po_url("en", book.chapters[0]), follow=True)

    assert response.redirect_chain[-1][0] == queue_url()
    assert "no translation into this language yet" in response.content.decode()


def test_a_po_file_of_another_language_is_refused_and_applies_nothing(client, book, locales):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chapter = book.chapters[0]
    start(chapter, locales["es"])
    start(chapter, locales["en"])
    client.force_login(editor())
    spanish = b"".join(client.get(item_po_url("es", chapter)).streaming_content)

    response = client.post(
        reverse("localization:po_upload", args=["en"]),
        {"file": SimpleUploadedFile("chapter-es.po", spanish.replace(b'msgstr ""\n\n', b'msgstr "x"\n\n'))},
        follow=True,
    )

    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "not &#x27;en&#x27;" in html or "not 'en'" in html
    assert state_of(chapter, locales["en"]).translated_segments == 0
    assert state_of(chapter, locales["es"]).translated_segments == 0


# Who may do what, over HTTP: (role, language of the queue, action) -> allowed.
# The permission matrix of cms.permissions covers the rules; these cells prove the views ask it.
HTTP_CELLS = [
    ("translator-en", "en", "view_queue", True),
    ("translator-en", "es", "view_queue", False),
    ("translator-en", "en", "start", True),
    ("translator-en", "es", "start", False),
    ("translator-en", "en", "sync", True),
    ("translator-en", "en", "assign", False),
    ("translator-en", "en", "po_download", True),
    ("translator-en", "es", "po_download", False),
    ("translator-en", "es", "po_upload", False),
    ("translator-en", "en", "po_download_item", True),
    ("translator-en", "es", "po_download_item", False),
    ("reviewer-en", "en", "assign", True),
    ("reviewer-en", "es", "view_queue", False),
    ("reviewer-en", "es", "assign", False),
    ("editor", "es", "view_queue", True),
    ("editor", "ar", "assign", True),
    ("nobody", "en", "view_queue", False),
]


def _people():
    return {
        "translator-en": translator("en"),
        "reviewer-en": reviewer("en"),
        "editor": editor(),
        "nobody": translator("ru", username="nobody"),
    }


def _attempt(client, action, code, chapter, assignee):
    action_url = reverse("localization:action", args=[code])
    if action == "view_queue":
        return client.get(queue_url(code))
    if action == "start":
        return client.post(action_url, {"row_action": f"start|{ref(chapter)}"})
    if action == "sync":
        return client.post(action_url, {"action": "sync_all"})
    if action == "assign":
        return client.post(action_url, {"action": "assign", "items": ref(chapter), "assignee": assignee.pk})
    if action == "po_download":
        return client.get(reverse("localization:po_download", args=[code]))
    if action == "po_download_item":
        return client.get(item_po_url(code, chapter))
    if action == "po_upload":
        return client.post(reverse("localization:po_upload", args=[code]), {})
    raise AssertionError(action)


@pytest.mark.parametrize(("who", "code", "action", "allowed"), HTTP_CELLS)
def test_queue_views_allow_and_refuse_by_role_and_language(client, book, locales, who, code, action, allowed):
    people = _people()
    assignee = translator(code, username=f"assignee-{code}") if code != "en" else people["translator-en"]
    client.force_login(people[who])

    response = _attempt(client, action, code, book.chapters[0], assignee)

    # The admin answers a refusal by sending the user back to the dashboard with an error.
    refused = response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )
    assert response.status_code in (200, 302, 403)
    assert refused is not allowed


def test_queue_of_the_source_language_or_an_unknown_one_does_not_exist(client, book, locales):
    client.force_login(editor())

    assert client.get(queue_url("fr")).status_code == 404
    assert client.get(queue_url("xx")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, book, locales):
    response = client.get(queue_url())

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_actions_need_a_csrf_token(book, locales):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(translator("en"))

    response = csrf_client.post(
        reverse("localization:action", args=["en"]), {"row_action": f"start|{ref(book.chapters[0])}"}
    )

    assert response.status_code == 403
    assert book.chapters[0].get_translation_or_none(locales["en"]) is None


def _queue_queries(client, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(queue_url(**params))  # caches of the process (content types, locales) are warm in a live site
    with CaptureQueriesContext(connection) as captured:
        response = client.get(queue_url(**params))
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_queue_runs_the_same_number_of_queries_for_10_and_200_chapters(client, locales):
    user = editor()
    en = locales["en"]
    _book, chapters = synthetic_book(10, slug="small")
    in_every_state(chapters, en, user)
    client.force_login(user)
    small, response = _queue_queries(client)
    items = count_of_the_whole(response)

    _book, more = synthetic_book(190, slug="large")
    spread_states(more, en, user)
    large, response = _queue_queries(client)

    assert count_of_the_whole(response) - items == len(more) + 1 + 10 + 48 + 3 + 2 + 10 + 4
    assert len(rows(response)) == 50
    assert large == small
    assert small <= 26
    # Any page, with any filter, costs the same: the words come from stored sums, whatever the rows shown.
    for params in ({"p": 3}, {"state": NOT_STARTED, "p": 2}, {"part": more[0].get_parent().translation_key}):
        assert _queue_queries(client, **params)[0] == small


def test_the_words_of_each_string_are_counted_once_and_added_up_by_the_database(client, locales):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail_localize.models import String, StringSegment

    from book.text import count_words
    from cms.localization.models import StringWords

    user = editor()
    _book, chapters = synthetic_book(10, slug="small")
    in_every_state(chapters, locales["en"], user)
    client.force_login(user)
    client.get(queue_url())
    used = String.objects.filter(segments__in=StringSegment.objects.all()).distinct()
    assert StringWords.objects.filter(string__in=used).count() == used.count() > 0

    with CaptureQueriesContext(connection) as captured:
        response = client.get(queue_url())

    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "INSERT" not in sql, "counted already"
    # The text of a string is asked for only of strings not counted yet (none are left).
    reading_text = [
        query["sql"]
        for query in captured.captured_queries
        if '"wagtail_localize_string"."data"' in query["sql"]
    ]
    assert all('"localization_stringwords"."string_id" IS NULL' in query for query in reading_text), (
        reading_text
    )
    # Exact: each started item's words are those of its segments' texts, as counted one by one.
    expected = {}
    for segment in StringSegment.objects.select_related("string"):
        expected[segment.source_id] = expected.get(segment.source_id, 0) + count_words(segment.string.data)
    states = [
        state for state in item_states([locales["en"]], with_words=True)[locales["en"].pk] if state.source_pk
    ]
    assert states
    assert {state.source_pk: state.words_total for state in states} == {
        state.source_pk: expected.get(state.source_pk, 0) for state in states
    }
