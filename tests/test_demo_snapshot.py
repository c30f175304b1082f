"""The demo written again from its recording is the demo loaded for real (``tests.demo_snapshot``)."""

from django.core.files.storage import default_storage
from django.db import transaction
from wagtail.models import Page

from tests import demo_snapshot
from tests.badinput.snapshot import database_snapshot


class RolledBack(Exception):
    pass


def loaded(load):
    """What ``load`` leaves: every row, what a search finds, the media files; then all of it undone."""
    found = {}
    try:
        with transaction.atomic():
            load()
            found["rows"] = database_snapshot()
            found["search"] = sorted(page.pk for page in Page.objects.search("création"))
            files = demo_snapshot._media_files()
            found["files"] = {name: default_storage.open(name, "rb").read() for name in files}
            for name in files:
                default_storage.delete(name)
            raise RolledBack
    except RolledBack:
        return found


def test_the_replayed_demo_is_the_demo_loaded_for_real(db, monkeypatch):
    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    replays = []
    replay = demo_snapshot.Recording.replay
    monkeypatch.setattr(demo_snapshot.Recording, "replay", lambda self: replays.append(self) or replay(self))
    real = loaded(demo_snapshot.load_demo)
    assert replays == []
    replayed = loaded(demo_snapshot.load_demo)
    assert len(replays) == 1

    assert len(real["rows"]) > 1000
    assert real["search"], "the demo has pages that a search finds"
    assert real["files"], "the demo stores images"
    assert replayed["rows"] == real["rows"]
    assert replayed["search"] == real["search"]
    assert replayed["files"] == real["files"]


def test_a_database_in_another_state_loads_the_demo_for_real(db, monkeypatch, django_user_model):
    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    loaded(demo_snapshot.load_demo)
    django_user_model.objects.create(username="first")
    replays = []
    monkeypatch.setattr(demo_snapshot.Recording, "replay", lambda self: replays.append(self))
    demo_snapshot.load_demo()
    assert replays == []
    assert Page.objects.filter(locale__language_code="fr", depth__gt=2).exists()
