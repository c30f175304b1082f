"""`python -m reader [runserver args]`: the reader's own manage.py, on its own settings."""

import os
import sys

from django.core.management import execute_from_command_line

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "reader.settings"
    execute_from_command_line([f"{sys.executable} -m reader", *sys.argv[1:]])
