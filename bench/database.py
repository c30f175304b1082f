"""A throwaway database for a benchmark: the benchmarks' one shared helper, so that none imports another for it."""

import os
import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit


@contextmanager
def scratch_database():
    """The URL of an empty database that disappears afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield "sqlite://:memory:"
        return
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("bench: DATABASE_URL must name a PostgreSQL server (or be unset for SQLite).")
    import psycopg
    from psycopg import sql

    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # Nothing in a throwaway database is worth waiting for the disk; it
        # speeds up migrating and generating, and reading does not commit.
        server.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name)))
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
