"""The uploaded manuscript between its preview and its confirmation: in the shared cache, behind a signed token."""

import hashlib
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "cms.manuscripts"


class Expired(Exception):
    """The token is forged, for someone or something else, or its upload is gone."""


def keep(data, name, page, user):
    """Keeps the upload for a while; returns the token the confirmation sends back."""
    key = f"manuscript-upload:{uuid.uuid4().hex}"
    cache.set(key, {"name": name, "data": data}, timeout=settings.BOOK_MANUSCRIPT_PREVIEW_SECONDS)
    return signing.dumps(
        {"key": key, "page": page.pk, "user": user.pk, "sha256": hashlib.sha256(data).hexdigest()}, salt=SALT
    )


def load(token, page, user):
    """``(name, data)`` of the upload the token names, checked against the page and the user."""
    try:
        signed = signing.loads(token, salt=SALT, max_age=settings.BOOK_MANUSCRIPT_PREVIEW_SECONDS)
    except signing.BadSignature as error:
        raise Expired from error
    if signed.get("page") != page.pk or signed.get("user") != user.pk:
        raise Expired
    kept = cache.get(signed["key"])
    if not kept or hashlib.sha256(kept["data"]).hexdigest() != signed["sha256"]:
        raise Expired
    return kept["name"], kept["data"], signed["key"]


def claim(key):
    """Takes the upload out of the cache; False when another confirmation took it first."""
    return cache.delete(key)


def give_back(key, name, data):
    """Puts a claimed upload back, when writing it failed and the editor may try again."""
    cache.set(key, {"name": name, "data": data}, timeout=settings.BOOK_MANUSCRIPT_PREVIEW_SECONDS)
