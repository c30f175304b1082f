"""What an application process does once the site is loaded, before its first request."""

import gc

from django.urls import get_resolver


def settle():
    """Load what the first requests would, then take all that is loaded out of the garbage collector's way.

    Once Django, Wagtail and the site's modules are loaded, a process holds a few
    hundred thousand objects that live as long as it does. Python's collector walks
    every one of them at each full collection, and a page that builds thousands of
    objects (the overview grid of a 2,000-chapter book in five languages) sets off
    several: measured on that page, they took 0.4 s of its 1 s. Frozen, those objects
    are left out of every collection; what requests create is collected as before.

    The youngest generation is also collected after 20,000 new objects rather than
    700: such a page creates some hundred thousand, nearly all alive until it is sent,
    and each collection walked them again for nothing (on the grid: 250 ms down to 200).
    """
    get_resolver().url_patterns  # noqa: B018 - imports the views of every URL
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


# How many objects are created between two collections of the youngest generation (Python's default: 700).
YOUNG_OBJECTS = 20_000
