"""Embeds as the API describes them: who provides them, and what the provider says of them.

Every embed names its provider, from the address alone. The provider's own
description (oEmbed title and thumbnail) is asked for when a chapter is
published, by the worker (``manage.py run_worker``), and kept in Wagtail's
embed table; a response only reads that table, in one query, and never asks a
provider anything: a provider that is slow or unreachable at publication leaves
the title and thumbnail empty, never a slow or failing read.
"""

import functools
import logging
import re

from django.db import transaction
from django.dispatch import Signal
from django.utils.timezone import now
from django_tasks import task
from django_tasks_db import DatabaseBackend
from wagtail.embeds import oembed_providers
from wagtail.embeds.embeds import get_embed, get_embed_hash
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.models import Embed

from book.links import public_url_or_empty

from .dependencies import note
from .http import bump_content_version

logger = logging.getLogger(__name__)

# The backend the worker runs (see TASKS in the settings).
BACKEND = "webhooks"

# How the providers spell their own names, where a capital letter alone would not do.
PROVIDER_SPELLINGS = {
    "youtube": "YouTube",
    "soundcloud": "SoundCloud",
    "slideshare": "SlideShare",
    "dailymotion": "Dailymotion",
    "tiktok": "TikTok",
    "speakerdeck": "Speaker Deck",
    "mixcloud": "Mixcloud",
}


# Sent when the providers described embeds that were not described before.
described = Signal()


@functools.cache
def _providers():
    """``[(name, [compiled URL patterns])]`` of the oEmbed providers Wagtail knows."""
    known = []
    for name, provider in vars(oembed_providers).items():
        if isinstance(provider, dict) and "endpoint" in provider and "urls" in provider:
            label = PROVIDER_SPELLINGS.get(name, name.replace("_", " ").title())
            known.append((label, [re.compile(pattern) for pattern in provider["urls"]]))
    return known


def provider_name(url):
    """The name of the oEmbed provider that serves ``url``; "" when none does."""
    for name, patterns in _providers():
        if any(pattern.match(url) for pattern in patterns):
            return name
    return ""


def embed_urls(raw_blocks):
    """The public addresses of a body's embed blocks, in order."""
    urls = []
    for block in raw_blocks:
        if block.get("type") == "embed":
            url = public_url_or_empty((block.get("value") or {}).get("url"))
            if url and url not in urls:
                urls.append(url)
    return urls


def _stored(urls):
    """``{url: Embed}`` for the addresses whose provider's description is kept and still valid."""
    if not urls:
        return {}
    hashes = {get_embed_hash(url): url for url in urls}
    embeds = Embed.objects.filter(hash__in=hashes).exclude(cache_until__lte=now())
    return {hashes[embed.hash]: embed for embed in embeds}


def embed_target(url):
    """How an embed's address is written as a target of the documents that show it (see ``api.dependencies``)."""
    return f"embed:{get_embed_hash(url)}"


class EmbedBatch:
    """The embeds of one response, their stored descriptions read together on first use."""

    def __init__(self):
        self.urls = set()
        self._found = None

    def add(self, url):
        url = public_url_or_empty(url)
        if url:
            self.urls.add(url)
            # What a provider says of it later changes the document being built.
            note(embed_target(url))

    def describe(self, url):
        """``provider``, ``oembed_title`` and ``thumbnail_url`` of an embed ("" for what is not known)."""
        if self._found is None:
            self._found = _stored(self.urls)
        embed = self._found.get(url) if url else None
        return {
            "provider": (embed.provider_name if embed else "") or provider_name(url or ""),
            "oembed_title": embed.title if embed else "",
            "thumbnail_url": public_url_or_empty(embed.thumbnail_url) if embed else "",
        }


def fetch(urls):
    """Ask the providers for the embeds not described yet; True when a description was added."""
    added = False
    missing = [url for url in urls if url not in _stored(urls)]
    for url in missing:
        try:
            get_embed(url)
        except EmbedException as error:
            # Unreachable or refusing: the embed keeps its provider's name only, until it is published again.
            logger.info("No oEmbed description of %s: %s", url, error or type(error).__name__)
            continue
        added = True
    if added:
        # Responses already cached do not show the descriptions: they are made again, and so
        # are the stored documents (``api.signals`` listens).
        bump_content_version()
        described.send(sender=fetch, urls=missing)
    return added


@task(backend=BACKEND)
def fetch_embeds(urls):
    fetch(urls)


def chapter_published(sender, instance, **kwargs):
    """Queue the fetching of the descriptions a newly published chapter's embeds still lack."""
    body = getattr(instance, "body", None)
    if body is None:
        return
    urls = embed_urls(body.raw_data)
    stored = _stored(urls)
    missing = [url for url in urls if url not in stored]
    if not missing:
        return
    if isinstance(fetch_embeds.get_backend(), DatabaseBackend):
        # A row that commits with the publication: the worker cannot see it sooner.
        fetch_embeds.enqueue(missing)
    else:
        transaction.on_commit(lambda: fetch_embeds.enqueue(missing), robust=True)
