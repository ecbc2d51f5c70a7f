"""Reading saved JSON documents: one file, or every document in a folder.

People save API responses in many ways; one way met in the wild is the
response pasted into a script (``var statusHistory = {...}`` followed by
code), so a file that is not JSON as a whole is read from its first JSON
object when it has one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitegen.http import parse_json
from sitegen.importers.errors import BadInput, ImportFailed, document_name

SUFFIXES = (".json", ".js")


def read_documents(place: Path, *, suffixes: tuple[str, ...] = SUFFIXES) -> list[tuple[str, Any]]:
    """(name, value) for the file at ``place``, or for each file of the folder with one of ``suffixes``."""
    if place.is_dir():
        paths = sorted(p for p in place.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
        if not paths:
            raise ImportFailed(f"{document_name(place)} holds no {' or '.join(suffixes)} files to import")
    elif place.is_file():
        paths = [place]
    else:
        raise ImportFailed(f"{document_name(place)} does not exist")
    issues: list[BadInput] = []
    documents = []
    for path in paths:
        try:
            documents.append((document_name(path), read_json(path)))
        except BadInput as exc:
            issues.append(exc)
    if issues:
        raise ImportFailed.listing(issues)
    return documents


def read_json(path: Path) -> Any:
    name = document_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(name, "", f"cannot be read: {exc}") from None
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        embedded = _embedded_object(text)
        if embedded is None:
            raise BadInput(name, "", f"is not JSON: {exc.msg}", line=exc.lineno) from None
        return embedded
    except ValueError as exc:  # nested deeper than Python reads
        raise BadInput(name, "", f"is not JSON: {exc}") from None


def _embedded_object(text: str) -> Any:
    """The first JSON object in ``text`` (after an '=' when there is one), or None."""
    start = text.find("{", max(text.find("="), 0))
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
