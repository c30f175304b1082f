"""gunicorn's settings for the app servers, read from the environment (``make serve``).

``PORT`` and ``HOST`` (default 0.0.0.0:8000) say where to listen; ``WEB_CONCURRENCY``
how many worker processes (default two per core plus one, at most 12), each with
``GUNICORN_THREADS`` threads (default 4). Requests and the access log go to
standard output and errors to standard error, for the platform to collect.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A request taking longer than this is stuck: its worker is restarted.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart or deploy, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced now and then, at different times, so that no slow leak grows.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "cms.wsgi:application"
