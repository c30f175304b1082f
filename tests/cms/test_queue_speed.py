"""What makes the queue and the grid fast at the book's scale gives the same answers as the slower way."""

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from wagtail.models import Page

from cms.localization.state import STATE_ICONS, Microseconds, moment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 12, 6, 17, 22, 6, 123456, tzinfo=UTC),
        datetime(2026, 12, 6, 17, 22, 6, tzinfo=UTC),  # no microseconds: written without a fraction
        datetime(2026, 12, 6, 17, 22, 6, 1, tzinfo=UTC),
        datetime(1999, 1, 1, 0, 0, 0, 999999, tzinfo=UTC),
    ],
)
def test_moments_read_as_microseconds_are_exact(when):
    page = Page.objects.filter(depth=1).first()
    Page.objects.filter(pk=page.pk).update(last_published_at=when)
    [read] = Page.objects.filter(pk=page.pk).values_list(Microseconds("last_published_at"), flat=True)
    assert moment(read) == when
    # One microsecond later reads as one more: the queue compares these integers.
    Page.objects.filter(pk=page.pk).update(
        last_published_at=when.replace(microsecond=(when.microsecond + 1) % 10**6)
    )
    [later] = Page.objects.filter(pk=page.pk).values_list(Microseconds("last_published_at"), flat=True)
    assert later - read == (1 if when.microsecond < 999999 else 1 - 10**6)


def test_no_moment_reads_as_none():
    page = Page.objects.filter(depth=1).first()
    Page.objects.filter(pk=page.pk).update(last_published_at=None)
    assert (
        Page.objects.filter(pk=page.pk).values_list(Microseconds("last_published_at"), flat=True).get()
        is None
    )
    assert moment(None) is None


@pytest.mark.parametrize("state", sorted(STATE_ICONS))
def test_the_state_icon_is_wagtails_icon(state):
    ours = Template("{% load localization_states %}{% state_icon state %}").render(Context({"state": state}))
    wagtails = Template(
        '{% load wagtailadmin_tags %}{% icon name=name classname="localization-state__icon" %}'
    ).render(Context({"name": STATE_ICONS[state]}))
    assert ours == wagtails
    assert f"#icon-{STATE_ICONS[state]}" in ours


def test_the_wsgi_application_settles_once_loaded():
    """What is loaded at start is out of the collector's way: gc.freeze() after the URLs are imported."""
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; import cms.wsgi; "
            "print(gc.get_freeze_count() > 100000, 'cms.localization.views' in sys.modules, gc.get_threshold()[0])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
    )
    assert found.stdout.split() == ["True", "True", "20000"]
