"""The reader as a WSGI application (for gunicorn: `reader.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

application = get_wsgi_application()
