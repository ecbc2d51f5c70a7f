"""What every HTTP request sitegen makes shares: who is asking, and how long a server asks us to wait.

Importers crawl other status pages, notifications post to chat services,
and checks read the published site; each retries in its own way, but all
say who they are and all honour ``Retry-After`` the same way.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from sitegen import __version__


def user_agent(purpose: str) -> str:
    """'sitegen/0.2.0 (status page import)': servers' logs can tell who asked, and what for."""
    return f"sitegen/{__version__} ({purpose})"


def retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number of seconds or an HTTP date); None without one."""
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - (now or datetime.now(UTC))).total_seconds(), 0.0)


def parse_json(data: bytes | str) -> Any:
    """A JSON document from another system; ValueError if it is not JSON, nested too deep included.

    Python's parser recurses once per level, so a document of 200,000
    nested brackets (a few hundred kilobytes from a hostile server) ends in
    RecursionError, which nobody expects from a parser: it becomes the
    ValueError every caller already reports as "not JSON".
    """
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply to read") from None
