"""The reader revalidates what it read: a page whose content did not change costs the API only 304s."""

from book.models import ChapterPage


def api_reads(relay, start):
    return relay.log[start:]


def test_a_page_read_again_costs_the_api_only_not_modified_answers(cms, relay, reader):
    chapter = ChapterPage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    path = f"/fr/chapters/{chapter.translation_key}/"

    first = reader.get(path)
    assert first.status_code == 200
    cold = api_reads(relay, 0)
    assert cold and all(status == 200 and etag is None for _path, etag, status in cold)

    mark = len(relay.log)
    again = reader.get(path)

    warm = api_reads(relay, mark)
    assert [request for request, _etag, _status in warm] == [request for request, _etag, _status in cold]
    assert all(etag and status == 304 for _path, etag, status in warm), warm
    assert again.text == first.text


def test_a_change_published_in_the_cms_shows_at_the_next_read(cms, relay, reader):
    chapter = ChapterPage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    path = f"/fr/chapters/{chapter.translation_key}/"
    title = chapter.title
    assert title in reader.get(path).text

    chapter.title = "Un titre revu pendant la lecture"
    chapter.save_revision().publish()
    try:
        mark = len(relay.log)
        page = reader.get(path)

        assert "Un titre revu pendant la lecture" in page.text
        reads = relay.log[mark:]
        assert all(etag for _request, etag, _status in reads), reads  # every read was a revalidation
        changed = {request.split("?")[0] for request, _etag, status in reads if status == 200}
        assert f"/api/v1/chapters/{chapter.translation_key}/" in changed
    finally:
        chapter = ChapterPage.objects.get(pk=chapter.pk)
        chapter.title = title
        chapter.save_revision().publish()
