"""Create or complete the editorial roles and the editorial review workflow."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.roles import apply_role, ensure_review_workflow, source_roles


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Create the Editors, Reviewers and Authors groups with their permissions, and the "
            "'Editorial review' workflow on every book of the source language. Safe to run again: "
            "it only adds what is missing. Run it again after creating a book."
        )

    def handle(self, *args, **options):
        for role in source_roles():
            result = apply_role(role)
            if result.created:
                message = _("Created group '%(group)s'") % {"group": result.group.name}
            else:
                message = _("Found group '%(group)s'") % {"group": result.group.name}
            self.stdout.write(self.style.SUCCESS(message) if result.created else message)
            for granted in result.granted:
                self.stdout.write(_("  granted %(permission)s") % {"permission": granted})
            if role.locale is not None and not result.pages:
                self.stderr.write(
                    self.style.WARNING(
                        _(
                            "  no book in language '%(language)s' yet: its page permissions will be "
                            "granted when this command runs again after a book is created."
                        )
                        % {"language": role.locale}
                    )
                )

        result = ensure_review_workflow()
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
            self.stdout.write(_("  assigned to '%(book)s'") % {"book": book.title})
        for book in result.already_assigned:
            self.stdout.write(_("  already assigned to '%(book)s'") % {"book": book.title})
        for workflow_page in result.kept_other:
            self.stderr.write(
                self.style.WARNING(
                    _("  '%(book)s' keeps its workflow '%(workflow)s'")
                    % {"book": workflow_page.page.title, "workflow": workflow_page.workflow.name}
                )
            )
