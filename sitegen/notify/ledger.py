"""The record of what was announced, published with the site as ``api/notifications.json``.

It holds ids only (:mod:`.events`), never a secret, an address or a URL, so
it can be public: ``events`` lists every event the site had when the record
was written, and ``undelivered`` lists, per channel (by its name), the
events that channel still owes. An event is due on a channel when it is not
in ``events`` (new since) or is in that channel's ``undelivered`` (it
failed), and the channel's ``components`` filter lets it through.

Why this shape: a channel added to ``sitegen.toml`` later owes nothing from
before (history is never replayed), a channel that failed owes exactly what
it did not send, and the record stays small however many channels there
are. It is read from the published site, since that is what the last
successful deploy left, and written into the new build so that the next
deploy publishes it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from sitegen.content.notify_config import NotifyChannel
from sitegen.errors import UserError
from sitegen.http import parse_json
from sitegen.notify.events import Event, EventKind
from sitegen.notify.http import DeliveryError, Manners, Outgoing, send

LEDGER_PATH = "api/notifications.json"
VERSION = 1
NOT_FOUND = 404
HISTORY_GRACE = timedelta(days=1)
"""How much older than the record's newest event an incident new to it may have ended and still be news.

An incident the record never heard of whose every event is older than the
newest one it knew is history that arrived late (an import into a
published site): recorded as announced, never sent. An update to an
incident the record knows is news whatever its date, and so is any
incident still moving; the grace spares an incident written up after the
fact while another deploy announced something newer.
"""


class LedgerError(UserError):
    """The previous record exists but cannot be read: sending would risk announcing everything again."""


@dataclass(frozen=True)
class Cutoff:
    """Which events are history, never sent: incidents wholly older than the record, or what the user says."""

    known: datetime | None = None
    """The record's newest event, less HISTORY_GRACE."""
    given: datetime | None = None
    """The user's cut-off (--skip-before): nothing older is sent, even what a channel failed to send before."""
    old: frozenset[str] = frozenset()
    """The incidents (by :attr:`Event.story`) new to the record whose every event is older than ``known``."""

    @classmethod
    def of(cls, record: Ledger, events: Sequence[Event], given: datetime | None) -> Cutoff:
        """The cut-off for ``events`` against ``record``: an import's history arrives new to it, and all old."""
        if record.latest is None:
            return cls(None, given)
        known = record.latest - HISTORY_GRACE
        newest: dict[str, datetime] = {}
        for event in events:
            newest[event.story] = max(newest.get(event.story, event.at), event.at)
        old = frozenset(story for story, at in newest.items() if at < known and story not in record.events)
        return cls(known, given, old)

    def history(self, event: Event) -> bool:
        return (self.given is not None and event.at < self.given) or event.story in self.old


@dataclass(frozen=True)
class Ledger:
    events: frozenset[str]
    undelivered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    latest: datetime | None = None
    """When the newest event the record knew happened (never after the run that wrote it)."""

    @classmethod
    def baseline(cls, events: Sequence[Event], channels: Iterable[NotifyChannel], now: datetime) -> Ledger:
        """Everything there is counted as announced, with nothing sent: for a first run."""
        return cls(all_keys(events), {channel.name: () for channel in channels}, _latest(events, now, None))

    @property
    def emptied(self) -> bool:
        """A record that knew events (it has the newest one's time) but lists none: it was emptied, not started."""
        return not self.events and self.latest is not None

    def due(
        self, channel: NotifyChannel | None, events: Iterable[Event], cutoff: Cutoff = Cutoff()
    ) -> tuple[Event, ...]:
        """What ``channel`` has to send, oldest first: new events, and those it failed to send before.

        With no channel: what is new, as a channel without a filter would see it (for a dry run).
        History (``cutoff``) is left out. The first event a filtered channel
        sees of an incident is said as news ('New incident'), even when it is
        an update that brought the incident to the channel's components.
        """
        retry = set(self.undelivered.get(channel.name, ())) if channel is not None else set()
        heard: set[str] = set()
        found = []
        for event in events:
            if channel is not None and not channel.concerns(event.component_ids):
                continue
            told = _told(event, heard)
            plain = event.plain_update()
            if cutoff.history(event):
                continue
            if event.id in retry or event.id not in self.events:
                found.append(told)
            elif plain is not None and (plain.id in retry or plain.id not in self.events):
                found.append(plain)  # the milestone was announced without this update: say the update
        return tuple(found)

    def history(self, events: Iterable[Event], cutoff: Cutoff) -> int:
        """How many events new to the record are history by ``cutoff``: recorded without being sent."""
        return sum(event.id not in self.events and cutoff.history(event) for event in events)

    def advance(self, events: Sequence[Event], due: Mapping[str, Sequence[Event]], now: datetime) -> Ledger:
        """The record once ``events`` are known: the ``due`` ones still owed by their channels."""
        owed = {name: tuple(event.id for event in pending) for name, pending in due.items()}
        return Ledger(self.events | all_keys(events), owed, _latest(events, now, self.latest))

    def delivered(self, channel: str, event: Event) -> Ledger:
        owed = {**self.undelivered, channel: tuple(i for i in self.undelivered.get(channel, ()) if i != event.id)}
        return Ledger(self.events, owed, self.latest)

    def encode(self) -> bytes:
        document: dict[str, Any] = {
            "version": VERSION,
            "events": sorted(self.events),
            "undelivered": {name: sorted(ids) for name, ids in sorted(self.undelivered.items())},
        }
        if self.latest is not None:
            document["latest"] = self.latest.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return (json.dumps(document, indent=1) + "\n").encode("utf-8")

    @classmethod
    def decode(cls, data: bytes, where: str) -> Ledger:
        try:
            document = parse_json(data)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise LedgerError(f"{where} is not JSON ({exc}): it is not a record that sitegen notify wrote") from None
        latest = _moment(document.get("latest")) if isinstance(document, dict) else None
        if not _well_formed(document) or latest is INVALID:
            raise LedgerError(f"{where} is not a record that sitegen notify (record version {VERSION}) wrote")
        owed = {k: tuple(v) for k, v in document["undelivered"].items()}
        return cls(frozenset(document["events"]), owed, None if latest is INVALID else latest)


def _told(event: Event, heard: set[str]) -> Event:
    """``event`` as news if it is the first of its incident in ``heard`` (which it joins)."""
    if event.incident is None or event.kind is EventKind.WRITEUP:
        return event
    first = event.incident.slug not in heard
    heard.add(event.incident.slug)
    return event.as_news() if first else event


def _latest(events: Sequence[Event], now: datetime, before: datetime | None) -> datetime | None:
    """The newest event's time, never after ``now`` (a date mistyped years ahead must not hide what follows)."""
    times = [event.at for event in events if event.at <= now] + ([before] if before is not None else [])
    return max(times, default=None)


INVALID = datetime.min
"""What :func:`_moment` gives for a ``latest`` that is not a time with a zone."""


def _moment(value: Any) -> datetime | None:
    """The record's ``latest``: None if absent, INVALID if it is not a time with a zone."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return INVALID
    return moment if moment is not None and moment.tzinfo is not None else INVALID


def all_keys(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(key for event in events for key in event.keys)


def _well_formed(document: Any) -> bool:
    if not isinstance(document, dict) or document.get("version") != VERSION:
        return False
    events, owed = document.get("events"), document.get("undelivered")
    texts = lambda items: isinstance(items, list) and all(isinstance(i, str) for i in items)  # noqa: E731
    return texts(events) and isinstance(owed, dict) and all(texts(ids) for ids in owed.values())


def read_previous(published: str, client: httpx.Client, manners: Manners) -> tuple[Ledger | None, str]:
    """The record in the published site (a URL or a folder) and where it was looked for; None if there is none."""
    if published.startswith(("http://", "https://")):
        url = published.rstrip("/") + "/" + LEDGER_PATH
        return _fetch(url, client, manners), url
    folder = Path(published)
    if not folder.is_dir():
        raise UserError(f"--published: there is no folder {published}; give the published site's URL or folder")
    path = folder / LEDGER_PATH
    return (Ledger.decode(path.read_bytes(), str(path)) if path.is_file() else None), str(path)


def _fetch(url: str, client: httpx.Client, manners: Manners) -> Ledger | None:
    """GET the record, past caches (a stale copy would announce again what the last run did)."""
    fresh = str(httpx.URL(url).copy_merge_params({"fresh": str(time.time_ns())}))
    headers = {"Cache-Control": "no-cache", "Accept": "application/json"}
    request = Outgoing("GET", fresh, headers=headers, follow_redirects=True)
    try:
        response = send(client, request, manners, answers=(NOT_FOUND,))
    except DeliveryError as exc:
        raise LedgerError(f"cannot read what was announced before from {url}: {exc}; nothing was sent") from None
    return None if response.status_code == NOT_FOUND else Ledger.decode(response.content, url)


def write_ledger(out_dir: Path, ledger: Ledger) -> None:
    """Replace the record in the built site in one step, so that a kill never leaves half of it."""
    target = out_dir / LEDGER_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".notifications-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(ledger.encode())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
