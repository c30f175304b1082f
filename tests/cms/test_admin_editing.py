"""An editor writes the book through the admin's own views, as a browser would post them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from book.models import ChapterPage, City, ContributorRole
from cms.roles import EDITORS, apply_role, editors
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    CityFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
    SectorFactory,
    ThemeIndexPageFactory,
    ThemePageFactory,
)

pytestmark = pytest.mark.django_db

YOUTUBE_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


@pytest.fixture
def book():
    return BookPageFactory(title="Intelligence artificielle et création")


@pytest.fixture
def part(book):
    return PartPageFactory(parent=book, title="Les pratiques créatives")


@pytest.fixture
def contributors(book):
    index = ContributorIndexPageFactory(parent=book)
    return [
        ContributorPageFactory(parent=index, title="Jean-Baptiste Andrea"),
        ContributorPageFactory(parent=index, title="Takuya Nomura"),
    ]


@pytest.fixture
def theme(book):
    return ThemePageFactory(
        parent=ThemeIndexPageFactory(parent=book), title="L'évolution des pratiques créatives"
    )


@pytest.fixture
def image():
    return Image.objects.create(title="Atelier", file=get_test_image_file())


@pytest.fixture
def editor(django_user_model):
    """A member of Editors, not a superuser: the permissions tested are the role's."""
    apply_role(editors())
    user = django_user_model.objects.create_user("editrice", "editrice@example.org", "not used")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def full_body(image):
    """One block of every type a chapter body offers, the paragraph referring to note 1."""
    return [
        ("heading", {"level": "h2", "text": "L'atelier et la machine"}),
        ("paragraph", rich_text("<p>Les outils changent la main qui crée[^1].</p>")),
        ("quote", {"text": "Créer, c'est choisir.", "attribution": "Une romancière"}),
        ("image", {"image": image.pk, "alt_text": "Un atelier", "caption": "L'atelier", "credit": "Ville"}),
        ("embed", {"url": YOUTUBE_URL, "title": "Entretien filmé", "caption": ""}),
        ("note", {"number": "1", "text": rich_text("<p>Une note de bas de page.</p>")}),
        (
            "bibliography_entry",
            {
                "author": "Andrea, J.-B.",
                "title": "Veiller sur elle",
                "publisher": "",
                "year": "2023",
                "url": "",
            },
        ),
        ("interview", {"question": "Que change l'IA ?", "answer": rich_text("<p>Le rapport au public.</p>")}),
    ]


def chapter_form_data(title, slug, body=(), contributors=(), themes=(), sectors=(), city=None, **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "subtitle": "",
            "summary": "",
            "city": city.pk if city else "",
            "contributor_links": inline_formset(
                [{"contributor": contributor.pk, "role": role} for contributor, role in contributors]
            ),
            "theme_links": inline_formset([{"theme": theme.pk} for theme in themes]),
            "sector_links": inline_formset([{"sector": sector.pk} for sector in sectors]),
            "body": streamfield(list(body)),
            "comments": inline_formset([]),
            **fields,
        }
    )


def add_chapter_url(part):
    return reverse("wagtailadmin_pages:add", args=("book", "chapterpage", part.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def form_errors(response):
    return response.context["form"].errors


def body_block_errors(response):
    """The errors of the body's blocks, by block position, as the admin's stream editor receives them."""
    (error,) = form_errors(response)["body"].as_data()
    return error.as_json_data()["blockErrors"]


def test_editor_creates_a_complete_chapter_under_a_part(editor_client, part, contributors, theme, image):
    sector, city = SectorFactory(name="Cinéma"), CityFactory(name="Cannes")
    interviewee, interviewer = contributors[1], contributors[0]

    response = editor_client.post(
        add_chapter_url(part),
        chapter_form_data(
            "La main et l'outil",
            "la-main-et-l-outil",
            body=full_body(image),
            contributors=[
                (interviewee, ContributorRole.INTERVIEWEE),
                (interviewer, ContributorRole.INTERVIEWER),
            ],
            themes=[theme],
            sectors=[sector],
            city=city,
            **{"action-publish": "action-publish"},
        ),
    )

    assert response.status_code == 302, form_errors(response)
    chapter = ChapterPage.objects.child_of(part).get(slug="la-main-et-l-outil")
    assert chapter.live
    assert chapter.owner == response.wsgi_request.user
    assert [(link.contributor_id, link.role) for link in chapter.contributor_links.all()] == [
        (interviewee.pk, ContributorRole.INTERVIEWEE),
        (interviewer.pk, ContributorRole.INTERVIEWER),
    ]
    assert [link.theme_id for link in chapter.theme_links.all()] == [theme.pk]
    assert [link.sector_id for link in chapter.sector_links.all()] == [sector.pk]
    assert chapter.city == city
    assert [block.block_type for block in chapter.body] == [
        "heading",
        "paragraph",
        "quote",
        "image",
        "embed",
        "note",
        "bibliography_entry",
        "interview",
    ]
    assert "[^1]" in chapter.body[1].value.source
    assert chapter.body[3].value["image"] == image
    assert chapter.body[4].value["url"] == YOUTUBE_URL
    assert chapter.body[5].value["number"] == 1
    assert chapter.word_count > 0


@pytest.mark.parametrize(
    "make_page",
    [
        pytest.param(lambda part: part.get_parent(), id="book"),
        pytest.param(lambda part: part, id="part"),
        pytest.param(lambda part: ChapterPageFactory(parent=part), id="chapter"),
        pytest.param(
            lambda part: ContributorIndexPageFactory(parent=part.get_parent()), id="contributor-index"
        ),
        pytest.param(
            lambda part: ContributorPageFactory(parent=ContributorIndexPageFactory(parent=part.get_parent())),
            id="contributor",
        ),
        pytest.param(lambda part: ThemeIndexPageFactory(parent=part.get_parent()), id="theme-index"),
        pytest.param(
            lambda part: ThemePageFactory(parent=ThemeIndexPageFactory(parent=part.get_parent())), id="theme"
        ),
    ],
)
def test_edit_view_renders_for_every_page_type(editor_client, part, make_page):
    page = make_page(part)

    response = editor_client.get(edit_url(page))

    assert response.status_code == 200
    assert response.context["page"].specific_class is type(page.specific)


@pytest.mark.parametrize("factory", [CityFactory, SectorFactory], ids=["city", "sector"])
def test_snippet_add_and_edit_views_render(editor_client, factory):
    snippet = factory()
    namespace = f"wagtailsnippets_book_{snippet._meta.model_name}"

    assert editor_client.get(reverse(f"{namespace}:add")).status_code == 200
    response = editor_client.get(reverse(f"{namespace}:edit", args=(snippet.pk,)))
    assert response.status_code == 200
    assert snippet.name in response.content.decode()


def test_editor_adds_a_city_through_the_snippet_view(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_book_city:add"),
        {"name": "Cannes", "slug": "cannes", "country": "France", "creative_field": "film"},
    )

    assert response.status_code == 302
    assert City.objects.filter(slug="cannes", live=False).exists()


def test_chapter_preview_renders_the_posted_content(editor_client, part, image):
    chapter = ChapterPageFactory(parent=part, title="Titre publié")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(chapter.pk,))

    posted = editor_client.post(
        preview_url, chapter_form_data("Titre en aperçu", chapter.slug, body=full_body(image))
    )
    assert posted.status_code == 200
    assert posted.json() == {"is_valid": True, "is_available": True}

    response = editor_client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Titre en aperçu" in html
    assert "Les outils changent la main qui crée" in html
    assert "Titre publié" not in html


def test_saving_a_draft_leaves_the_live_version_unchanged(editor_client, part):
    chapter = ChapterPageFactory(parent=part, title="Version publiée", body=[("paragraph", "<p>Publié.</p>")])

    response = editor_client.post(
        edit_url(chapter),
        chapter_form_data(
            "Version de travail",
            chapter.slug,
            body=[("paragraph", rich_text("<p>Encore en travail ici.</p>"))],
        ),
    )

    assert response.status_code == 302, form_errors(response)
    chapter.refresh_from_db()
    assert chapter.live
    assert chapter.title == "Version publiée"
    assert chapter.has_unpublished_changes
    draft = chapter.get_latest_revision_as_object()
    assert draft.title == "Version de travail"
    assert "Encore en travail" in draft.body[0].value.source


def test_scheduled_publication_leaves_the_page_unpublished_until_then(editor_client, part):
    chapter = ChapterPageFactory(parent=part, title="À paraître", live=False)
    go_live_at = timezone.localtime() + timedelta(days=7)

    response = editor_client.post(
        edit_url(chapter),
        chapter_form_data(
            "À paraître",
            chapter.slug,
            go_live_at=go_live_at.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )

    assert response.status_code == 302, form_errors(response)
    chapter.refresh_from_db()
    assert not chapter.live
    scheduled = chapter.scheduled_revision
    assert scheduled is not None
    assert scheduled.approved_go_live_at > timezone.now() + timedelta(days=6)


def test_history_lists_every_revision(editor_client, part):
    chapter = ChapterPageFactory(parent=part, title="Première version")
    for title in ("Deuxième version", "Troisième version"):
        response = editor_client.post(edit_url(chapter), chapter_form_data(title, chapter.slug))
        assert response.status_code == 302, form_errors(response)

    response = editor_client.get(reverse("wagtailadmin_pages:history", args=(chapter.pk,)))

    assert response.status_code == 200
    html = response.content.decode()
    revisions = chapter.revisions.all()
    assert revisions.count() == 2
    for revision in revisions:
        assert reverse("wagtailadmin_pages:revisions_view", args=(chapter.pk, revision.pk)) in html


def test_a_reference_to_a_missing_note_is_a_form_error_and_nothing_is_saved(editor_client, part):
    response = editor_client.post(
        add_chapter_url(part),
        chapter_form_data(
            "Une note qui manque",
            "une-note-qui-manque",
            body=[
                ("paragraph", rich_text("<p>Voir la note[^2].</p>")),
                ("note", {"number": "1", "text": rich_text("<p>La seule note.</p>")}),
            ],
        ),
    )

    assert response.status_code == 200
    assert list(body_block_errors(response)) == [0]
    assert not ChapterPage.objects.filter(slug="une-note-qui-manque").exists()
    assert Page.objects.child_of(part).count() == 0


def test_an_embed_from_no_known_provider_is_a_form_error(editor_client, part):
    response = editor_client.post(
        add_chapter_url(part),
        chapter_form_data(
            "Une vidéo inconnue",
            "une-video-inconnue",
            body=[("embed", {"url": "https://example.org/ma-video", "title": "", "caption": ""})],
        ),
    )

    assert response.status_code == 200
    assert list(body_block_errors(response)[0]["blockErrors"]) == ["url"]
    assert not ChapterPage.objects.filter(slug="une-video-inconnue").exists()
