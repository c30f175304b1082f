"""What `manage.py check --deploy` says of the webhooks' settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def private_addresses_allowed(app_configs, **kwargs):
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        return [
            Warning(
                "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on: editors can make the servers send webhooks to "
                "loopback and private addresses, and so probe the servers' own network.",
                hint="Leave it off in production; it is meant for a receiver on a development machine.",
                id="webhooks.W001",
            )
        ]
    return []
