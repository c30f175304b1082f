"""Keep the roles in step with the books (a new book gets its language's permissions and review),
and the privacy of translations with their source's (:mod:`cms.privacy`)."""

from django.db.models.signals import post_save

from book.models import BookPage
from cms.roles import extend_roles_to_book


def extend_roles_to_new_book(sender, instance, created, raw=False, **kwargs):
    # Books of a new language are mostly created by wagtail-localize when the
    # first translation starts: without this, that language's translators
    # could not open what they were just asked to translate until someone ran
    # setup_roles again.
    if created and not raw:
        extend_roles_to_book(instance)


def connect():
    from cms import privacy

    post_save.connect(extend_roles_to_new_book, sender=BookPage, dispatch_uid="cms.extend_roles_to_new_book")
    privacy.connect()
