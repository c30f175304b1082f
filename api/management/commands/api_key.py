"""API sites and their keys from the command line: create, list, revoke."""

from argparse import ArgumentTypeError

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from api import access
from api.models import ApiKey, ApiSite


def quota(value):
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ArgumentTypeError(_("The quota is a whole number of requests per minute, at least 1."))
    return number


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Manage the sites that read the API with a key: create a site (or a new key for it), "
            "list the sites and their keys, revoke a key."
        )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = commands.add_parser(
            "create",
            help=_("Create a site and its key, or a new key for an existing site; the key is shown once."),
        )
        create.add_argument("name", help=_("The site's name."))
        create.add_argument("--city", help=_("The city (or organisation) the site belongs to."))
        create.add_argument("--contact", help=_("Who to write to about this site."))
        create.add_argument(
            "--quota", type=quota, help=_("Requests per minute (default: API_SITE_DEFAULT_QUOTA).")
        )
        commands.add_parser("list", help=_("List the sites, their quotas and their keys."))
        revoke = commands.add_parser(
            "revoke", help=_("Revoke a key: requests that send it are refused (401).")
        )
        revoke.add_argument("key", help=_("The key, or its beginning as listed (bk_ and 12 characters)."))

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, name, city, contact, quota, **options):
        name = name.strip()
        if not name:
            raise CommandError(_("Give the site a name."))
        with transaction.atomic():
            site = ApiSite.objects.filter(name=name).first()
            created = site is None
            site = site or ApiSite(name=name)
            for field, value in (("city", city), ("contact", contact), ("quota", quota)):
                if value is not None:
                    setattr(site, field, value.strip() if isinstance(value, str) else value)
            try:
                site.full_clean()
            except ValidationError as error:
                messages = "; ".join(
                    f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()
                )
                raise CommandError(messages) from error
            site.save()
            key = access.create_key(site)
        if created:
            message = _(
                "Site “%(name)s” created (%(quota)s requests per minute). Its key, shown only this once:"
            )
        else:
            message = _(
                "New key for the site “%(name)s” (%(quota)s requests per minute), shown only this once:"
            )
        self.stderr.write(message % {"name": site.name, "quota": site.quota})
        self.stdout.write(key)

    def handle_list(self, **options):
        sites = ApiSite.objects.prefetch_related("keys")
        if not sites:
            self.stdout.write(_("No API site yet: python manage.py api_key create NAME"))
            return
        for site in sites:
            details = ", ".join(part for part in (site.city, site.contact) if part)
            self.stdout.write(
                _("%(name)s%(details)s: %(quota)s requests per minute")
                % {"name": site.name, "details": f" ({details})" if details else "", "quota": site.quota}
            )
            for key in site.keys.all():
                if key.revoked_at:
                    state = _("revoked on %(date)s") % {"date": key.revoked_at.strftime("%Y-%m-%d %H:%M UTC")}
                else:
                    state = _("active since %(date)s") % {
                        "date": key.created_at.strftime("%Y-%m-%d %H:%M UTC")
                    }
                self.stdout.write(f"  {key}  {state}")

    def handle_revoke(self, *, key, **options):
        match = access.KEY_PATTERN.match(key.strip())
        prefix = match["prefix"] if match else key.strip().removeprefix("bk_").rstrip("_…")
        api_key = ApiKey.objects.select_related("site").filter(prefix=prefix).first()
        if api_key is None or (match and access.hash_key(key.strip()) != api_key.hashed):
            raise CommandError(_("No such key: %(key)s (see api_key list).") % {"key": key})
        if api_key.revoked_at is not None:
            self.stdout.write(
                _("The key %(key)s of “%(site)s” was already revoked.")
                % {"key": api_key, "site": api_key.site}
            )
            return
        access.revoke_key(api_key)
        self.stdout.write(_("Key %(key)s of “%(site)s” revoked.") % {"key": api_key, "site": api_key.site})
