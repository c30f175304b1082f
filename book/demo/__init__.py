"""The demo book: sample content of the French edition, loaded by ``manage.py load_demo_book``.

Every text here is sample content written for the demonstration. Only the book's
title, its three themes, its sectors, its supporters, a few figures and the names of
five contributors come from the book's public announcement; nothing is said about
those people beyond a neutral profession.
"""
