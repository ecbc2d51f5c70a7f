"""Retry-After as servers write it: seconds, or an HTTP date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitegen import __version__
from sitegen.http import retry_after, user_agent

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Tue, 01 Dec 2026 12:00:30 GMT", 30.0),
        ("Tue, 01 Dec 2026 11:00:00 GMT", 0.0),
    ],
)
def test_retry_after_reads_seconds_and_dates(header: str, seconds: float) -> None:
    assert retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize("header", ["", "soon", "inf", "nan"])
def test_retry_after_without_a_usable_value_is_none(header: str) -> None:
    assert retry_after(header, now=NOW) is None


def test_the_user_agent_names_the_version_and_the_purpose() -> None:
    assert user_agent("status page import") == f"sitegen/{__version__} (status page import)"
