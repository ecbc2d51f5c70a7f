"""Writing imported records as content files, and knowing a file that was edited since.

Each file keeps, under ``extra``, the source's id (``statuspage_id: ...``),
which finds the file again on the next import whatever it is called, and
``imported_sha256``, the SHA-256 of the file as written (with that value
zeroed). A file whose text no longer matches its digest was edited by
hand, and the next import leaves it alone unless told to overwrite.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from slugify import slugify

from sitegen.content.fields import CONTROL
from sitegen.content.model import Incident, Update
from sitegen.content.statuses import ComponentStatus, Impact, Kind
from sitegen.importers.records import SourceIncident, SourceUpdate, SourceWriteup
from sitegen.importers.timeline import Settled, settle
from sitegen.importers.yaml_text import front_matter

DIGEST_KEY = "imported_sha256"
ZEROS = "0" * 64
DIGEST_LINE = re.compile(rf"^(\s*{DIGEST_KEY}: ')([0-9a-f]{{64}})('\s*)$", re.MULTILINE)
"""YAML quotes the zeroed digest (it reads as a number), and the quotes stay when it is filled in."""
TITLE_WORDS = 60
"""The title part of a slug, cut at a word boundary: the date and a few words name an incident well enough."""
EMPTY_BODY = "(This update was posted without a message.)"
"""Sitegen needs text on every update; some sources allow an update that only changes a status."""


def id_key(source: str) -> str:
    """The ``extra`` key holding the source's id: ``statuspage_id``, ``cstate_id``..."""
    return f"{source}_id"


def clean_text(text: str) -> str:
    """Text as a content file may hold it: Unix line ends, no control characters, no surrounding blank space."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_title(text: str) -> str:
    return " ".join(clean_text(text).split())


def new_slug(incident: SourceIncident, tz: tzinfo) -> str:
    """'<date>-<title words>': the day it began (a maintenance: its window) in the site's zone, then the title."""
    day = incident.scheduled_for or incident.started or min(u.at for u in incident.updates)
    words = slugify(incident.title, max_length=TITLE_WORDS, word_boundary=True) or "incident"
    return f"{day.astimezone(tz).date().isoformat()}-{words}"


def incident_text(incident: SourceIncident, ids: Mapping[str, str], *, source: str) -> str:
    """The incident's file; ``ids`` maps the source's component keys to the site's component ids."""
    settled = settle(incident)
    data: dict[str, Any] = {"title": clean_title(incident.title) or incident.source_id}
    if incident.kind is Kind.MAINTENANCE:
        data["kind"] = incident.kind.value
    if incident.impact is not None and incident.kind is Kind.INCIDENT and incident.impact != _derived(settled):
        data["impact"] = incident.impact.value
    if settled.components:
        data["components"] = _statuses(settled.components, ids)
    first = settled.updates[0][0].at
    if incident.kind is Kind.INCIDENT and incident.started is not None and incident.started != first:
        data["started"] = incident.started
    if incident.kind is Kind.MAINTENANCE:
        data["scheduled_for"] = incident.scheduled_for
        data["scheduled_until"] = incident.scheduled_until
    data["updates"] = [_update(update, changes, ids) for update, changes in settled.updates]
    data["extra"] = {id_key(source): incident.source_id, DIGEST_KEY: ZEROS}
    return _stamped(front_matter(data, clean_text(incident.summary)))


def writeup_text(writeup: SourceWriteup, *, incident_slug: str, source: str, source_id: str) -> str:
    """A postmortem's write-up, naming its incident (so a late postmortem leaves the incident's file alone)."""
    data: dict[str, Any] = {
        "title": clean_title(writeup.title),
        "published": writeup.published,
        "incidents": [incident_slug],
        "extra": {id_key(source): source_id, DIGEST_KEY: ZEROS},
    }
    return _stamped(front_matter(data, clean_text(writeup.body) or EMPTY_BODY))


def _update(update: SourceUpdate, changes: Mapping[str, ComponentStatus], ids: Mapping[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "at": update.at,
        "status": update.status.value,
        "body": clean_text(update.body) or EMPTY_BODY,
    }
    if changes:
        item["components"] = _statuses(changes, ids)
    return item


def _statuses(statuses: Mapping[str, ComponentStatus], ids: Mapping[str, str]) -> dict[str, str]:
    return {ids[key]: status.value for key, status in statuses.items()}


def _derived(settled: Settled) -> Impact:
    """The impact sitegen derives from these statuses: a declared one equal to it need not be written."""
    updates = tuple(Update(at=u.at, status=u.status, body="", components=c) for u, c in settled.updates)
    started = updates[0].at
    return Incident("", "", Kind.INCIDENT, updates, components=settled.components, started=started).impact


def _stamped(text: str) -> str:
    """``text`` (holding the zeroed digest) with its digest filled in."""
    return DIGEST_LINE.sub(lambda m: m.group(1) + digest(text) + m.group(3), text, count=1)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_as_imported(text: str) -> bool:
    """Whether a file is byte for byte as an import wrote it (its digest still matches)."""
    found = DIGEST_LINE.search(text)
    if found is None:
        return False
    zeroed = text[: found.start(2)] + ZEROS + text[found.end(2) :]
    return digest(zeroed) == found.group(2)
