"""Puts the English edition of the demo book in every state of the translation queue.

A newcomer opening the English queue sees at once what each state looks
like: items published in English, translations in progress, one whose French
source changed after it was translated, one awaiting review and one assigned
with a due date, with a demo translator and reviewer to sign in as.

It acts only on demo items whose English translation was never started, so a
second load, or one after a translator's work, changes nothing.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslatableObject, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from book.demo import content
from book.demo.loader import demo_key
from book.models import BookPage, ChapterPage, City, PartPage, Sector
from book.provenance import credit_by_names
from cms.localization.models import Assignment
from cms.private_files import generate_password, read_password, write_password
from cms.review import submit_translation_for_review
from cms.roles import REVIEWERS, TRANSLATORS, group_name

LANGUAGE = "en"
TRANSLATOR = "traductrice-en"
REVIEWER = "relecteur-en"
# The people behind the demo's accounts, as the book's credits name them (a login name never is).
NAMES = {TRANSLATOR: ("Claire", "Moreau"), REVIEWER: ("Samuel", "Okafor")}
DUE_IN_DAYS = 14
# Marks the new French revision published after the translation, so the change is visible on sync.
REVISED_SUMMARY_SUFFIX = " Résumé revu après sa traduction en anglais."


def password_file(username):
    return Path(settings.LOCAL_CREDENTIALS_DIR) / f".demo_password_{username}"


@dataclass
class DemoUser:
    username: str
    password: str | None
    created: bool


@dataclass
class DemoTranslationsResult:
    users: list = field(default_factory=list)
    started: list = field(default_factory=list)
    assigned: list = field(default_factory=list)


def ensure_user(username, group):
    """A staff user in ``group``; a new one gets a random password, kept like the admin's."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(username=username).first()
    path = password_file(username)
    first_name, last_name = NAMES.get(username, (username, ""))
    if user is not None:
        if user.first_name == username and not user.last_name and username in NAMES:
            # Made by an earlier demo, named after its login: it is given its person's name.
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
            # What it translated was credited by that name: by the person's name now.
            credit_by_names(apps)
        return user, DemoUser(username, read_password(path), created=False)
    password = generate_password()
    # The file is written first: a password is never set that was not kept.
    write_password(path, password)
    user = user_model._default_manager.create_user(
        username,
        email=f"{username}@example.org",
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(group)
    return user, DemoUser(username, password, created=True)


def demo_page(model, key):
    return model.objects.filter(locale=Locale.get_default(), translation_key=demo_key("page", key)).first()


def demo_snippet(model, key):
    return model.objects.filter(
        locale=Locale.get_default(), translation_key=demo_key(model._meta.model_name, key)
    ).first()


def translation_of(instance, locale):
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if source is None:
        return None
    return Translation.objects.filter(source=source, target_locale=locale).first()


def start(instance, locale, user):
    TranslationCreator(user, [locale]).create_translations(instance, include_related_objects=False)
    return translation_of(instance, locale)


def translate(translation, user, count=None, publish=False):
    """Translate the first ``count`` segments (all by default) and write them into the English item."""
    locale = translation.target_locale
    segments = translation.source.stringsegment_set.select_related("string", "context").order_by("order")
    for segment in list(segments)[:count]:
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": f"[{locale.language_code}] {segment.string.data}",
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
    translation.save_target(user=user, publish=False)
    if publish:
        # save_target publishes only once the transaction commits; publishing the revision it
        # wrote makes the English item live within this one. Translators may not publish: the
        # demo stands for the reviewer who approved it.
        translation.get_target_instance().get_latest_revision().publish()


def chapters():
    keys = [spec["key"] for part in content.PARTS for spec in part["chapters"]]
    return [chapter for chapter in (demo_page(ChapterPage, key) for key in keys) if chapter is not None]


def load_demo_translations():
    """Creates what is missing of the English demo states; returns what it did."""
    result = DemoTranslationsResult()
    locale = Locale.objects.filter(language_code=LANGUAGE).first()
    book = demo_page(BookPage, content.BOOK["key"])
    if locale is None or book is None:
        return result
    translators, _created = Group.objects.get_or_create(name=group_name(TRANSLATORS, LANGUAGE))
    reviewers, _created = Group.objects.get_or_create(name=group_name(REVIEWERS, LANGUAGE))
    translator, translator_login = ensure_user(TRANSLATOR, translators)
    _reviewer, reviewer_login = ensure_user(REVIEWER, reviewers)
    result.users = [translator_login, reviewer_login]

    def fresh(instance):
        """Only items never started in English are touched, which keeps a second load a no-op."""
        return instance is not None and translation_of(instance, locale) is None

    part = demo_page(PartPage, content.PARTS[0]["key"])
    published = [book, part, demo_snippet(City, content.CITIES[0]["key"])]
    published.append(demo_snippet(Sector, content.SECTORS[0]["key"]))
    (
        first,
        second,
        in_progress,
        changed,
        in_review,
        assigned,
        *_rest,
    ) = chapters()
    published += [first, second]

    for instance in published:
        if fresh(instance):
            translate(start(instance, locale, translator), translator, publish=True)
            result.started.append(instance)
    if fresh(in_progress):
        translate(start(in_progress, locale, translator), translator, count=3)
        result.started.append(in_progress)
    if fresh(changed):
        translate(start(changed, locale, translator), translator, publish=True)
        changed.summary += REVISED_SUMMARY_SUFFIX
        changed.save_revision().publish()
        result.started.append(changed)
    if fresh(in_review):
        translation = start(in_review, locale, translator)
        translate(translation, translator)
        submit_translation_for_review(translation, translator)
        result.started.append(in_review)
    item = TranslatableObject.objects.get_or_create_from_instance(assigned)[0]
    _assignment, created = Assignment.objects.get_or_create(
        object=item,
        locale=locale,
        defaults={
            "assignee": translator,
            "due_date": timezone.localdate() + timedelta(days=DUE_IN_DAYS),
        },
    )
    if created:
        result.assigned.append(assigned)
    return result
