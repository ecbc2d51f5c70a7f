"""What may name a page of the output: incident and write-up slugs, component ids, theme names.

Each becomes a folder name in the published site and a part of its URLs, on
whatever file system builds or checks it out: lower-case (so two names never
differ only by case, which collides on macOS and Windows), short enough for
any file system, and never a name Windows reserves for a device.
"""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""A content file's name without its suffix: the incident's (or write-up's) permanent id."""
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
"""A component id or a theme name."""
ID_HINT = "use lower-case letters, digits and dashes"
MAX_LENGTH = 120
"""Well under the 255 bytes file systems allow a name, leaving room for what a host or a checkout adds."""
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)


def name_problem(name: str) -> str | None:
    """Why ``name`` (already of the right characters) cannot name a folder everywhere; None if it can."""
    if len(name) > MAX_LENGTH:
        return f"is {len(name)} characters long; {MAX_LENGTH} at most, so that every file system can hold it"
    if name.split(".")[0] in WINDOWS_DEVICES:
        return f"is a device name on Windows ('{name.split('.')[0]}'), where such a file cannot be checked out"
    return None


def slug_for(name: str) -> str:
    """The slug a file called ``name`` (without suffix) could be renamed to."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._")[:MAX_LENGTH] or "incident"


def shorten(name: str, length: int = 40) -> str:
    """A name as a message quotes it: an absurdly long one cut, so the message stays one readable line."""
    return name if len(name) <= length else name[:length] + "..."
