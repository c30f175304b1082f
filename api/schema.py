"""OpenAPI schema hooks: the schema describes the public API alone, not Wagtail's admin APIs."""

PUBLIC_PREFIX = "/api/v1/"


def public_endpoints_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]
