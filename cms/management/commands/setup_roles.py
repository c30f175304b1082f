"""Create or complete the editorial and translation roles and their review workflows."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.localization.workflows import ensure_collections_review_workflow
from cms.roles import all_roles, apply_role, ensure_language_review_workflow, target_languages


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Create the Editors, Reviewers and Authors groups, and the Translators and Reviewers "
            "groups of each target language, with their permissions; the 'Editorial review' "
            "workflow on every book of the source language and a 'Translation review' workflow on "
            "every book of each target language. Safe to run again: it only adds what is missing."
        )

    def handle(self, *args, **options):
        for role in all_roles():
            self.report_role(role, apply_role(role))
        for locale in [None, *target_languages()]:
            self.report_workflow(ensure_language_review_workflow(locale))
        self.report_workflow(ensure_collections_review_workflow())

    def report_role(self, role, result):
        if result.created:
            message = _("Created group '%(group)s'") % {"group": result.group.name}
        else:
            message = _("Found group '%(group)s'") % {"group": result.group.name}
        self.stdout.write(self.style.SUCCESS(message) if result.created else message)
        for granted in result.granted:
            self.stdout.write(_("  granted %(permission)s") % {"permission": granted})
        if role.locale is not None and not result.pages:
            self.stdout.write(
                _(
                    "  no book in language '%(language)s' yet: the group will cover it as soon as it is created."
                )
                % {"language": role.locale}
            )

    def report_workflow(self, result):
        workflow = result.workflow
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(_("Created workflow '%(workflow)s'") % {"workflow": workflow.name})
            )
        else:
            self.stdout.write(_("Found workflow '%(workflow)s'") % {"workflow": workflow.name})
            if not workflow.active:
                self.stderr.write(
                    self.style.WARNING(
                        _("  workflow '%(workflow)s' is disabled; it was left so.")
                        % {"workflow": workflow.name}
                    )
                )
        for book in result.assigned:
            self.stdout.write(_("  assigned to '%(book)s'") % {"book": str(book)})
        for book in result.already_assigned:
            self.stdout.write(_("  already assigned to '%(book)s'") % {"book": str(book)})
        for kept in result.kept_other:
            self.stderr.write(
                self.style.WARNING(
                    _("  '%(book)s' keeps its workflow '%(workflow)s'")
                    % {"book": kept_label(kept), "workflow": kept.workflow.name}
                )
            )


def kept_label(link):
    """What keeps another workflow: a book (WorkflowPage) or a model of cities or sectors (WorkflowContentType)."""
    page = getattr(link, "page", None)
    if page is not None:
        return page.title
    return str(link.content_type.model_class()._meta.verbose_name_plural)
