"""An editor imports a contributor's manuscript into a chapter: preview first, then a new draft."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Revision
from wagtail.users.models import UserProfile

from book.blocks import ChapterBodyBlock
from cms.roles import EDITORS, apply_role, editors
from tests.badinput.snapshot import database_snapshot
from tests.factories import ChapterPageFactory
from tests.manuscripts import docx_bytes, png_bytes, simple_docx
from tests.storage.test_uploads import stored_files

pytestmark = pytest.mark.django_db

BODY = [{"type": "paragraph", "value": "<p>Le texte publié.</p>"}]


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def chapter():
    page = ChapterPageFactory(title="Le cinéma et l'IA", body=BODY)
    page.save_revision().publish()
    return page


@pytest.fixture
def editor(django_user_model):
    apply_role(editors())
    user = django_user_model.objects.create_user("editrice", "editrice@example.org", "not used")
    user.groups.add(Group.objects.get(name=EDITORS))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def import_url(page):
    return reverse("cms_import_manuscript", args=[page.pk])


def upload(client, page, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(import_url(page), {"file": SimpleUploadedFile(name, content)})


def test_the_chapter_editor_offers_the_import(editor_client, chapter):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[chapter.pk]))
    assert import_url(chapter) in response.content.decode()


def test_the_preview_shows_blocks_and_report_and_writes_nothing(editor_client, chapter):
    assert editor_client.get(import_url(chapter)).status_code == 200
    before, files = database_snapshot(), stored_files()

    response = upload(editor_client, chapter, "contribution.docx", simple_docx())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Une section" in page and "Le texte de la contribution." in page
    assert "Un carré bleu" in page
    assert "Import report" in page and "Headings of level 1 → h2" in page
    assert 'name="token"' in page
    assert database_snapshot() == before
    assert stored_files() == files


def test_confirming_writes_a_new_draft_and_keeps_the_published_version(editor_client, chapter, editor):
    revisions = list(Revision.page_revisions.filter(object_id=str(chapter.pk)).values_list("pk", flat=True))
    response = upload(editor_client, chapter, "contribution.docx", simple_docx())
    token = response.context["token"]

    response = editor_client.post(import_url(chapter), {"token": token})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[chapter.pk])
    chapter.refresh_from_db()
    assert chapter.live and chapter.has_unpublished_changes
    assert [block.block_type for block in chapter.body] == ["paragraph"]  # the live body is untouched
    latest = chapter.get_latest_revision()
    assert latest.pk not in revisions and latest.user == editor
    assert set(revisions) <= set(
        Revision.page_revisions.filter(object_id=str(chapter.pk)).values_list("pk", flat=True)
    )
    draft = latest.as_object()
    assert [block.block_type for block in draft.body] == ["heading", "paragraph", "image"]
    image = draft.body[2].value
    assert image["alt_text"] == "Un carré bleu"
    assert image["image"].description == "Un carré bleu"
    assert image["image"].file.storage.exists(image["image"].file.name)
    assert (image["image"].width, image["image"].height) == (40, 30)

    # The token is spent: confirming again writes nothing more.
    count = Revision.page_revisions.filter(object_id=str(chapter.pk)).count()
    again = editor_client.post(import_url(chapter), {"token": token})
    assert again.status_code == 200
    assert "The preview has expired" in again.content.decode()
    assert Revision.page_revisions.filter(object_id=str(chapter.pk)).count() == count


def test_a_forged_or_foreign_token_writes_nothing(editor_client, chapter):
    other = ChapterPageFactory(parent=chapter.get_parent(), title="Autre")
    token = upload(editor_client, chapter, "contribution.docx", simple_docx()).context["token"]
    before, files = database_snapshot(), stored_files()

    for page, sent in [(other, token), (chapter, token + "x"), (chapter, "nothing")]:
        response = editor_client.post(import_url(page), {"token": sent})
        assert response.status_code == 200
        assert "The preview has expired" in response.content.decode()

    assert database_snapshot() == before
    assert stored_files() == files


def test_an_image_without_description_is_flagged_and_blocks_publication(editor_client, chapter):
    def build(document):
        import io

        document.add_paragraph("Avant l'image.")
        document.add_picture(io.BytesIO(png_bytes()))

    response = upload(editor_client, chapter, "sans-alt.docx", docx_bytes(build))
    assert "Image 1 has no description" in response.content.decode()
    confirmed = editor_client.post(import_url(chapter), {"token": response.context["token"]})
    assert confirmed.status_code == 302, confirmed.content.decode()[-3000:]

    chapter.refresh_from_db()
    draft = chapter.get_latest_revision().as_object()
    assert draft.body[1].value["alt_text"] == ""
    with pytest.raises(Exception) as refused:
        ChapterBodyBlock().clean(draft.body)
    assert "alt_text" in str(refused.value.block_errors[1].block_errors)


def test_only_people_who_may_edit_the_chapter_import(client, chapter, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("lecteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(import_url(chapter)).status_code in (302, 403)
    assert upload(client, chapter, "contribution.docx", simple_docx()).status_code in (302, 403)


def test_only_chapters_take_a_manuscript(editor_client, chapter):
    assert editor_client.get(import_url(chapter.get_parent())).status_code == 404


def test_the_command_prints_the_report_and_writes_a_draft(chapter, tmp_path, capsys):
    path = tmp_path / "contribution.docx"
    path.write_bytes(simple_docx())
    before, files = database_snapshot(), stored_files()

    call_command("import_manuscript", chapter.slug, str(path), "--dry-run")

    out = capsys.readouterr().out
    assert "Headings of level 1 → h2" in out and "Dry run" in out
    assert database_snapshot() == before and stored_files() == files

    call_command("import_manuscript", str(chapter.translation_key), str(path), "--locale", "fr")

    chapter.refresh_from_db()
    assert chapter.has_unpublished_changes
    draft = chapter.get_latest_revision().as_object()
    assert [block.block_type for block in draft.body] == ["heading", "paragraph", "image"]
    assert get_image_model().objects.filter(description="Un carré bleu").count() == 1


def test_the_command_names_an_unknown_chapter(tmp_path):
    path = tmp_path / "contribution.docx"
    path.write_bytes(simple_docx())
    with pytest.raises(CommandError, match="No chapter “nowhere” in fr"):
        call_command("import_manuscript", "nowhere", str(path))


def test_a_locked_chapter_or_a_synced_translation_refuses_the_import(
    editor_client, editor, django_user_model
):
    from tests.cms.localization_support import make_book, make_locales, start

    locales = make_locales()
    book = make_book(chapters=1)
    source = book.chapters[0]
    start(source, locales["en"], editor)
    translated = source.get_translation(locales["en"])

    response = upload(editor_client, translated, "contribution.docx", simple_docx())
    assert "This chapter is a synced translation" in response.content.decode()
    assert "token" not in response.context

    other = django_user_model.objects.create_user("autre", "autre@example.org", "not used")
    source.locked, source.locked_by = True, other
    source.save(update_fields=["locked", "locked_by"])
    response = upload(editor_client, source, "contribution.docx", simple_docx())
    assert "This chapter is locked" in response.content.decode()
    assert "token" not in response.context
