"""Importing a contributor's manuscript into a chapter from the admin: upload, preview, confirm.

The file is read (``book.manuscripts``) and shown with its report; nothing is written
until the editor confirms. Between the two steps the uploaded bytes wait in the shared
cache under a random key, named to the browser only in a token signed for that editor
and that chapter, that expires with BOOK_MANUSCRIPT_PREVIEW_SECONDS; confirming reads
the same bytes again and writes the draft, all or nothing.
"""
