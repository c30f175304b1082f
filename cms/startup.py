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
    """
    get_resolver().url_patterns  # noqa: B018 - imports the views of every URL
    gc.freeze()
