"""Where the words of a language version come from: who translated it, from what, and who approved it.

The translation tools record it with each revision they write (``TranslationCoverage``:
the people who wrote the segments, the segments still as a machine left them, the
source revision translated) and the review workflow's approval is added when the
revision is published. An editor may credit other translators for an item in one
language (``TranslationCredit``). The API, the editions' colophons and the reading
preview all credit translators through :func:`credited_translators`.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from .models import TranslationCoverage, TranslationCredit


def original_locale(item):
    """The language ``item`` was first written in: a chapter says so, anything else is in the book's language."""
    return getattr(item, "original_language", "") or settings.BOOK_SOURCE_LANGUAGE


def credited_translators(coverage, credit):
    """The translators credited for a version: those an editor named, or else those the tools recorded."""
    if credit is not None and credit.translators:
        return list(credit.translators)
    return list(coverage.translators) if coverage is not None else []


def coverages(revision_ids):
    """``{revision id: TranslationCoverage}`` of these revisions (one query, none without revisions)."""
    revision_ids = {revision_id for revision_id in revision_ids if revision_id}
    if not revision_ids:
        return {}
    return {
        coverage.revision_id: coverage
        for coverage in TranslationCoverage.objects.filter(revision_id__in=revision_ids)
    }


def credits(items):
    """``{(translation key, locale id): TranslationCredit}`` of these items (one query, none without items)."""
    keys = {item.translation_key for item in items}
    if not keys:
        return {}
    return {
        (credit.translation_key, credit.locale_id): credit
        for credit in TranslationCredit.objects.filter(
            translation_key__in=keys, locale_id__in={item.locale_id for item in items}
        )
    }


def translators_of(items, revision=lambda item: getattr(item, "live_revision_id", None)):
    """``{item pk: [names]}``: the translators credited for each item, as its revision ``revision(item)`` holds it.

    Two queries whatever the number of items.
    """
    recorded = coverages(revision(item) for item in items)
    named = credits(items)
    return {
        item.pk: credited_translators(
            recorded.get(revision(item)), named.get((item.translation_key, item.locale_id))
        )
        for item in items
    }


def all_translators(items):
    """The translators of a set of items, once each, in alphabetical order (an edition's colophon)."""
    names = {name for credited in translators_of(items).values() for name in credited}
    return sorted(names, key=str.lower)


# Translations published before their provenance was recorded ----------------------------------

MACHINE = "machine"  # wagtail-localize's StringTranslation.TRANSLATION_TYPE_MACHINE
APPROVED = "approved"  # Wagtail's TaskState.STATUS_APPROVED
PUBLISH_ACTION = "wagtail.publish"


def person_name(user):
    """How a person is credited in public: the full name on their account, or "" without one.

    A login name is never credited: the API, the reader and the editions would
    publish it. A person whose account has no name is left out of the credits;
    the credits screen names them to editors (:func:`unnamed`), who set the name
    on the account or credit the translators by hand.
    """
    if user is None:
        return ""
    return " ".join(f"{user.first_name or ''} {user.last_name or ''}".split())


def unnamed(users):
    """The login names of ``users`` whose account has no name to credit, for the admin only."""
    return sorted(
        {getattr(user, user.USERNAME_FIELD) for user in users if not person_name(user)}, key=str.lower
    )


def count_segments(segments, done):
    """How many of ``segments`` ((string id, context id, path)) are translated in ``done``
    ({(string id, context id): (translation type, author id)}), by machine, and by whom.

    Returns (total, translated, untranslated paths, machine segments, {author id: segments}).
    """
    total = translated = machine = 0
    untranslated, authors = set(), {}
    for string_id, context_id, path in segments:
        total += 1
        translation = done.get((string_id, context_id))
        if translation is None:
            untranslated.add(path)
            continue
        translated += 1
        kind, author = translation
        if kind == MACHINE:
            machine += 1
        elif author is not None:
            authors[author] = authors.get(author, 0) + 1
    return total, translated, sorted(untranslated), machine, authors


def names_of(users, authors):
    """The names of ``users`` who wrote segments, the most segments first; those without a name are left out."""
    named = [user for user in users if person_name(user)]
    return [
        person_name(user)
        for user in sorted(named, key=lambda user: (-authors[user.pk], person_name(user).lower(), user.pk))
    ]


class EarlierTranslations:
    """Records the provenance of translations published before it was recorded with each revision.

    Reads what wagtail-localize and Wagtail kept: the segments and who last wrote
    them (as they stand now), when the source was last read for translation,
    the source's published revisions, the review's approval of the live
    revision. Works on the models of ``apps``, the project's or a migration's.
    """

    def __init__(self, apps):
        self.apps = apps
        self.source_language = settings.BOOK_SOURCE_LANGUAGE
        get = apps.get_model
        self.Revision = get("wagtailcore", "Revision")
        self.TaskState = get("wagtailcore", "TaskState")
        self.PageLogEntry = get("wagtailcore", "PageLogEntry")
        self.ModelLogEntry = get("wagtailcore", "ModelLogEntry")
        self.Coverage = get("book", "TranslationCoverage")
        self.TranslationSource = get("wagtail_localize", "TranslationSource")
        self.Translation = get("wagtail_localize", "Translation")
        self.StringSegment = get("wagtail_localize", "StringSegment")
        self.StringTranslation = get("wagtail_localize", "StringTranslation")
        self.User = get(*settings.AUTH_USER_MODEL.split("."))

    def models(self):
        """(model, its content type's (app label, model) as its revisions name it, log entry model)."""
        from .kinds import snippets

        found = [(self.apps.get_model("wagtailcore", "Page"), ("wagtailcore", "page"), self.PageLogEntry)]
        for kind in snippets():
            app_label, _sep, name = kind.model_label.partition(".")
            found.append(
                (self.apps.get_model(app_label, name), (app_label, name.lower()), self.ModelLogEntry)
            )
        return found

    def missing(self):
        """(item, model entry) of every live translated item whose live revision has no provenance yet."""
        for model, content_type, log_model in self.models():
            translated = (
                model._default_manager.filter(live=True, live_revision__isnull=False)
                .exclude(locale__language_code=self.source_language)
                .select_related("live_revision", "locale")
                .order_by("pk")
            )
            recorded = dict(
                self.Coverage.objects.filter(
                    revision_id__in=translated.values("live_revision_id")
                ).values_list("revision_id", "source_revision_id")
            )
            for item in translated:
                # A revision counted before provenance was recorded has a record without a source revision.
                if recorded.get(item.live_revision_id) is None:
                    yield item, (model, content_type, log_model)

    def record_all(self):
        """Record every translation missing its provenance; the number recorded."""
        count = 0
        for item, entry in self.missing():
            self.record(item, *entry)
            count += 1
        return count

    def record(self, item, model, content_type, log_model):
        revision = item.live_revision
        source = model._default_manager.filter(
            translation_key=item.translation_key, locale__language_code=self.source_language
        ).first()
        translation_source = self.TranslationSource.objects.filter(
            object_id=item.translation_key, locale__language_code=self.source_language
        ).first()
        written_by_tools = (
            translation_source is not None
            and self.Translation.objects.filter(source=translation_source, target_locale=item.locale).exists()
        )
        coverage = self.Coverage.objects.filter(revision=revision).first()
        if coverage is None:
            coverage = self.Coverage(
                revision=revision,
                source_language=self.source_language,
                total_segments=0,
                translated_segments=0,
            )
        cutoff = revision.created_at
        if written_by_tools:
            cutoff = min(cutoff, translation_source.last_updated_at)
            self.count(coverage, item, translation_source, revision)
        coverage.source_revision_id = self.source_revision(source, content_type, log_model, cutoff)
        approval = (
            self.TaskState.objects.filter(revision=revision, status=APPROVED)
            .select_related("finished_by")
            .order_by("-finished_at", "-pk")
            .first()
        )
        if approval is not None and not coverage.reviewed_at:
            coverage.reviewed_by = person_name(approval.finished_by)
            coverage.reviewed_at = approval.finished_at
        coverage.save()

    def count(self, coverage, item, translation_source, revision):
        """The segments' translators and machine share; their completeness too for a revision never counted."""
        done = {
            (string_id, context_id): (kind, author)
            for string_id, context_id, kind, author in self.StringTranslation.objects.filter(
                locale=item.locale, context__object_id=translation_source.object_id, has_error=False
            ).values_list("translation_of_id", "context_id", "translation_type", "last_translated_by_id")
        }
        segments = self.StringSegment.objects.filter(source=translation_source).values_list(
            "string_id", "context_id", "context__path"
        )
        total, translated, untranslated, machine, authors = count_segments(segments, done)
        coverage.machine_segments = machine
        coverage.translators = (
            names_of(self.User._default_manager.filter(pk__in=authors), authors) if authors else []
        )
        if coverage._state.adding:
            coverage.total_segments = total
            if translation_source.last_updated_at > revision.created_at:
                # The source was read again after this version was written: today's segments are
                # not the ones it was made of, and it was published whole as far as anyone knows.
                coverage.translated_segments = total
            else:
                coverage.translated_segments, coverage.untranslated = translated, untranslated

    def source_revision(self, source, content_type, log_model, cutoff):
        """The source's revision translated: the last one published before ``cutoff``, else the last made."""
        if source is None:
            return None
        app_label, model_name = content_type
        made = list(
            self.Revision.objects.filter(
                base_content_type__app_label=app_label,
                base_content_type__model=model_name,
                object_id=str(source.pk),
                created_at__lte=cutoff,
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
        )
        if not made:
            return None
        published = set(
            log_model.objects.filter(revision_id__in=made, action=PUBLISH_ACTION).values_list(
                "revision_id", flat=True
            )
        )
        return next((pk for pk in made if pk in published), made[0])


def credit_by_names(apps, using=DEFAULT_DB_ALIAS):
    """``forget_login_names``, and tell the API when it rewrote any record: records changed so send
    no signal of their own, and the documents stored from them showed the login names."""
    from .signals import provenance_rewritten

    renamed = forget_login_names(apps)
    if renamed:
        provenance_rewritten.send(sender=None, apps=apps, using=using)
    return renamed


def forget_login_names(apps):
    """Replace the login names recorded as translators or reviewers by the person's name, or drop them.

    Records made before a login name was refused credited a person whose
    account had no name by that login name, and the API, the reader and the
    editions published it. A recorded name that is the login name of an account
    is replaced by the account's name where it has one now, and removed
    otherwise; a name that is also the account's own full name is kept. Works on
    the models of ``apps``, the project's or a migration's; the number of
    records changed.
    """
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Coverage = apps.get_model("book", "TranslationCoverage")
    recorded = list(
        Coverage.objects.exclude(translators=[], reviewed_by="").only("pk", "translators", "reviewed_by")
    )
    if not recorded:
        return 0
    username_field = getattr(User, "USERNAME_FIELD", "username")
    accounts = {
        getattr(user, username_field): person_name(user)
        for user in User._default_manager.only(username_field, "first_name", "last_name")
    }

    def credited(name):
        return accounts[name] if name in accounts and accounts[name] != name else name

    changed = 0
    for coverage in recorded:
        translators = list(dict.fromkeys(filter(None, map(credited, coverage.translators or []))))
        reviewed_by = credited(coverage.reviewed_by) if coverage.reviewed_by else ""
        if translators != list(coverage.translators or []) or reviewed_by != coverage.reviewed_by:
            coverage.translators, coverage.reviewed_by = translators, reviewed_by
            coverage.save(update_fields=["translators", "reviewed_by"])
            changed += 1
    return changed
