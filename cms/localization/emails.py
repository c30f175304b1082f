"""The emails translators receive: new work assigned to them, and the source of their work changed.

Each email is written in the recipient's admin interface language. Sending
goes through Django's email backend (the console in development).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail.signals import page_published, published

from book import kinds
from book.languages import in_text_lazy
from cms.links import admin_url


def _language_of(user):
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None:
        return profile.get_preferred_language()
    return settings.LANGUAGE_CODE


def _queue_url(locale):
    return admin_url(reverse("localization:queue", args=[locale.language_code]))


def _send(user, template, context):
    if not user.email:
        return False
    with translation.override(_language_of(user)):
        context = {**context, "user": user}
        subject = " ".join(render_to_string(f"localization/email/{template}_subject.txt", context).split())
        body = render_to_string(f"localization/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def _language_name(locale):
    """The language's name inside the e-mail's sentences, in the language it is written in."""
    return in_text_lazy(locale.get_display_name() or locale.language_code)


def notify_assigned(assignment, title):
    """Tell an assignee what they were given, in which language, and by when."""
    return _send(
        assignment.assignee,
        "assigned",
        {
            "assignment": assignment,
            "title": title,
            "language": _language_name(assignment.locale),
            "queue_url": _queue_url(assignment.locale),
        },
    )


def _source_strings(instance):
    from wagtail_localize.segments.extract import extract_segments
    from wagtail_localize.segments.types import StringSegmentValue

    return {
        (segment.path, segment.string.data)
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    }


def _synced_strings(source):
    return set(source.stringsegment_set.values_list("context__path", "string__data"))


def notify_source_changed(instance):
    """Tell the assignees of an item that its source text changed since their last sync.

    Only a change of the text to translate counts (a republication with the
    same text is no news), and each assignee hears it once per sync: the
    next email comes after they synced and the source changed again.
    """
    from wagtail_localize.models import TranslationSource

    from .models import Assignment

    if instance.locale_id != Locale.get_default().pk:
        return 0
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if source is None:
        return 0
    assignments = list(
        Assignment.objects.filter(object_id=instance.translation_key)
        .filter(
            Q(source_change_notified_at__isnull=True)
            | Q(source_change_notified_at__lt=source.last_updated_at)
        )
        .select_related("assignee", "locale")
    )
    if not assignments or _source_strings(instance) == _synced_strings(source):
        return 0
    sent = 0
    for assignment in assignments:
        title = str(instance)
        if _send(
            assignment.assignee,
            "source_changed",
            {
                "assignment": assignment,
                "title": title,
                "language": _language_name(assignment.locale),
                "queue_url": _queue_url(assignment.locale),
            },
        ):
            sent += 1
        assignment.source_change_notified_at = timezone.now()
        assignment.save(update_fields=["source_change_notified_at"])
    return sent


def _on_page_published(sender, instance, **kwargs):
    notify_source_changed(instance)


def _on_snippet_published(sender, instance, **kwargs):
    if isinstance(instance, kinds.snippet_models()):
        notify_source_changed(instance)


def connect_signals():
    page_published.connect(_on_page_published, dispatch_uid="localization_source_changed_page")
    published.connect(_on_snippet_published, dispatch_uid="localization_source_changed_snippet")
