"""Builders shared by the tests of the localization queue, grid and assignments."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, Locale, Workflow, WorkflowTask
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from cms.roles import EDITORS, REVIEWERS, TRANSLATORS, group_name
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

TARGET_CODES = ["en", "es", "ar", "zh-hans", "ru"]


def make_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in TARGET_CODES}


def make_user(username, *group_names, language="en"):
    """A staff user of the admin, in the given groups, who reads the admin in ``language``."""
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="password", first_name=username.title()
    )
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in group_names:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access)
        user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def translator(code, username=None, language="en"):
    return make_user(username or f"translator-{code}", group_name(TRANSLATORS, code), language=language)


def reviewer(code, username=None):
    return make_user(username or f"reviewer-{code}", group_name(REVIEWERS, code))


def editor(username="editor"):
    return make_user(username, EDITORS)


def publish(instance):
    instance.save_revision().publish()
    instance.refresh_from_db()
    return instance


@dataclass
class Book:
    book: object
    part: object
    chapters: list = field(default_factory=list)
    contributor_index: object = None
    contributor: object = None
    theme_index: object = None
    theme: object = None
    city: object = None
    sector: object = None

    @property
    def item_count(self):
        return 8 + len(self.chapters)

    def add_chapters(self, count, start=0):
        for number in range(start, start + count):
            chapter = ChapterPageFactory(
                parent=self.part,
                title=f"Chapitre {number + 1}",
                body=[("paragraph", f"<p>Le texte du chapitre {number + 1}, en quelques mots.</p>")],
            )
            self.chapters.append(publish(chapter))
        return self.chapters[start:]


def make_book(chapters=3):
    """A published French book with one part, some chapters, a contributor, a theme, a city, a sector."""
    book = publish(BookPageFactory(title="Le livre"))
    result = Book(book=book, part=publish(PartPageFactory(parent=book, title="Première partie")))
    result.contributor_index = publish(ContributorIndexPageFactory(parent=book))
    result.contributor = publish(
        ContributorPageFactory(parent=result.contributor_index, title="Jeanne Exemple")
    )
    result.theme_index = publish(ThemeIndexPageFactory(parent=book))
    result.theme = publish(ThemePageFactory(parent=result.theme_index, title="Pratiques créatives"))
    result.city = publish(CityFactory(name="Cannes", live=False))
    result.sector = publish(SectorFactory(name="Cinéma", live=False))
    result.add_chapters(chapters)
    return result


def start(instance, locale, user=None):
    TranslationCreator(user, [locale]).create_translations(instance, include_related_objects=False)


def translation_of(instance, locale):
    source = TranslationSource.objects.get(object_id=instance.translation_key, locale_id=instance.locale_id)
    return Translation.objects.get(source=source, target_locale=locale)


def translate(instance, locale, count=None, publish=False):
    """Translate the first ``count`` segments of an item (all by default) and save the translation."""
    translation = translation_of(instance, locale)
    segments = translation.source.stringsegment_set.select_related("string", "context").order_by("order")
    for segment in list(segments)[:count]:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": f"[{locale.language_code}] {segment.string.data}",
                "translation_type": "manual",
            },
        )
    translation.save_target(publish=False)
    if publish:
        # wagtail-localize publishes on commit, which a test transaction never reaches.
        translation.get_target_instance().get_latest_revision().publish()
    return translation


def translate_everything(source, locale):
    """Give every segment a translation (its source text), so that the translation may be published."""
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": segment.string.data, "translation_type": "manual"},
        )


def submit_for_review(translated_page, user):
    """Put a translated page in a review workflow, as its translator's "submit" does."""
    workflow, created = Workflow.objects.get_or_create(name="Translation review (test)")
    if created:
        task = GroupApprovalTask.objects.create(name="Approval (test)")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    translated_page.save_revision(user=user)
    return workflow.start(translated_page, user)


def synthetic_book(chapters, slug):
    """A generated book of ``chapters`` chapters (as ``generate_book`` makes them), and its chapters."""
    from book.models import ChapterPage
    from book.synthetic import BookSpec, SyntheticBookBuilder

    book = SyntheticBookBuilder(BookSpec(chapters=chapters, blocks=3, slug=slug)).build().book
    return book, list(ChapterPage.objects.descendant_of(book).order_by("path"))


def in_every_state(chapters, locale, user):
    """Five chapters: published, in progress, source changed, awaiting review, not started."""
    published, in_progress, changed, in_review, _not_started = chapters[:5]
    for chapter in (published, in_progress, changed, in_review):
        start(chapter, locale, user)
    translate(published, locale, publish=True)
    translate(in_progress, locale, count=1)
    translate(changed, locale, publish=True)
    changed.title = f"{changed.title}, revu"
    publish(changed)
    translate(in_review, locale)
    submit_for_review(in_review.get_translation(locale), user)


def spread_states(chapters, locale, user):
    """Every twentieth chapter started and partly translated, some published, some changed since."""
    for chapter in chapters[::20]:
        start(chapter, locale, user)
        translate(chapter, locale, count=1)
    for chapter in chapters[::40]:
        translate(chapter, locale, publish=True)
    for chapter in chapters[::60]:
        chapter.title = f"{chapter.title}, revu"
        publish(chapter)


def assign_item(instance, locale, user, due_date=None):
    """Give an item of the source book to a translator of ``locale``, as the queue's "assign" does."""
    from wagtail_localize.models import TranslatableObject

    from cms.localization.models import Assignment

    translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    return Assignment.objects.create(object=translatable, locale=locale, assignee=user, due_date=due_date)
