"""The public, read-only JSON API of the book (``/api/v1/``)."""
