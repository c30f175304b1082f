"""The whole database and the media storage, as a test compares them before and after a refused request.

``database_snapshot()`` dumps every row of every model (``dumpdata --all``, so that no
manager hides a row), one line per row, sorted: two snapshots are equal exactly when no
row was added, changed or removed, and a failing assertion shows the rows that differ.

Left out, because a request the admin refuses still writes them legitimately:

- Django's stored sessions (``sessions.Session``): signing in writes one, and the
  messages that explain a refusal may be kept there until the next page shows them.
- ``auth.User.last_login``: written when the test client signs in, not by the request.
- The count of words of each source string (``localization.StringWords``): a cache of the
  source's text, filled the first time anything (a queue, an import) counts the words.

Everything else stays in: Wagtail's log entries, revisions, search index entries,
wagtail-localize's strings and translations, the webhook outbox, user profiles. A test
takes its first snapshot after opening the admin page it then posts to, as an editor's
browser does, so that what merely viewing the admin creates (a user's profile) is
already there.
"""

import json
from io import StringIO

from django.core.management import call_command

EXCLUDED_MODELS = ["sessions.Session", "localization.StringWords"]
EXCLUDED_FIELDS = {"auth.user": {"last_login"}}


def database_snapshot():
    """Every row of the database as sorted JSON lines, without what a refused request may touch."""
    output = StringIO()
    call_command("dumpdata", all=True, exclude=EXCLUDED_MODELS, format="json", stdout=output)
    rows = []
    for row in json.loads(output.getvalue() or "[]"):
        for name in EXCLUDED_FIELDS.get(row["model"], ()):
            row["fields"].pop(name, None)
        rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return sorted(rows)
