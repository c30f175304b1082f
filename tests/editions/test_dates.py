"""Dates in an edition are written as its language writes them."""

import datetime
from types import SimpleNamespace

import pytest

from editions.render import Layout


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", datetime.date(2025, 12, 1), "1er décembre 2025"),
        ("fr", datetime.date(2025, 12, 2), "2 décembre 2025"),
        ("fr", datetime.date(2025, 12, 11), "11 décembre 2025"),
        ("en", datetime.date(2025, 12, 1), "Dec. 1, 2025"),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_french(language, day, expected):
    layout = Layout(SimpleNamespace(language=language), epub=True)
    assert layout.date(day) == expected


def test_no_date_is_an_empty_text():
    assert Layout(SimpleNamespace(language="fr"), epub=True).date(None) == ""
