"""Settings of a second site, restored from a backup: the test settings with media of its own.

``RESTORED_MEDIA_ROOT`` is its media folder; on S3, ``RESTORED_MEDIA_LOCATION`` is
its prefix in the environment's bucket.
"""

import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import STORAGES

MEDIA_ROOT = os.environ["RESTORED_MEDIA_ROOT"]
if os.environ.get("RESTORED_MEDIA_LOCATION"):
    from tests.storage import s3

    STORAGES = s3.with_location(STORAGES, os.environ["RESTORED_MEDIA_LOCATION"])
