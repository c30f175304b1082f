"""Settings of the load test's app servers: production's, with the load test's own media folder.

Only ``bench/loadtest.py`` uses them; ``LOADTEST_MEDIA_ROOT`` names the folder.
"""

import os

from cms.settings.production import *  # noqa: F403

MEDIA_ROOT = os.environ["LOADTEST_MEDIA_ROOT"]
