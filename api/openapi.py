"""How drf-spectacular describes the API's operations (kept apart from ``api.schema``, which
imports the views: DRF imports this module while the views are being defined)."""

from drf_spectacular.openapi import AutoSchema


class PublicAutoSchema(AutoSchema):
    """Operations open to anyone carry no ``security``.

    drf-spectacular marks them ``security: [{}]`` ("no authentication, optionally"), which
    generated clients read as "authentication required": openapi-python-client then types
    every call as taking an ``AuthenticatedClient``. Operations that also take some
    authentication keep their list, ``{}`` included.
    """

    def get_auth(self):
        auths = super().get_auth()
        return [] if auths == [{}] else auths
