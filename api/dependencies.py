"""What a document being built reads of other things, noted as it is read (see ``api.documents``).

A document shows other items (a chapter its contributors), images and
documents, and would show others were they public (a contributor not yet
published, a page its text links to): a change to any of them changes it.
The code that loads them notes them here; nothing is noted outside a build.
"""

import contextvars
from contextlib import contextmanager

_noted = contextvars.ContextVar("api_document_dependencies", default=None)


def key_target(key):
    """How an item's translation key is written as a target (and in stored documents): 32 hex digits."""
    return key.hex if hasattr(key, "hex") else str(key).replace("-", "")


def note(*targets):
    noted = _noted.get()
    if noted is not None:
        noted.update(targets)


def note_keys(keys):
    noted = _noted.get()
    if noted is not None:
        noted.update(key_target(key) for key in keys if key)


def note_ids(prefix, ids):
    noted = _noted.get()
    if noted is not None:
        noted.update(f"{prefix}:{pk}" for pk in ids if pk)


@contextmanager
def collecting():
    """The set of targets noted inside the block."""
    noted = set()
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)
