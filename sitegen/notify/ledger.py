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
from pathlib import Path
from typing import Any

import httpx

from sitegen.content.notify_config import NotifyChannel
from sitegen.errors import UserError
from sitegen.notify.events import Event
from sitegen.notify.http import DeliveryError, Manners, Outgoing, send

LEDGER_PATH = "api/notifications.json"
VERSION = 1
NOT_FOUND = 404


class LedgerError(UserError):
    """The previous record exists but cannot be read: sending would risk announcing everything again."""


@dataclass(frozen=True)
class Ledger:
    events: frozenset[str]
    undelivered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def baseline(cls, events: Iterable[Event], channels: Iterable[NotifyChannel]) -> Ledger:
        """Everything there is counted as announced, with nothing sent: for a first run."""
        return cls(all_keys(events), {channel.name: () for channel in channels})

    def due(self, channel: NotifyChannel | None, events: Iterable[Event]) -> tuple[Event, ...]:
        """What ``channel`` has to send, oldest first: new events, and those it failed to send before.

        With no channel: what is new, as a channel without a filter would see it (for a dry run).
        """
        retry = set(self.undelivered.get(channel.name, ())) if channel is not None else set()
        found = []
        for event in events:
            if channel is not None and not channel.concerns(event.component_ids):
                continue
            plain = event.plain_update()
            if event.id in retry or event.id not in self.events:
                found.append(event)
            elif plain is not None and (plain.id in retry or plain.id not in self.events):
                found.append(plain)  # the milestone was announced without this update: say the update
        return tuple(found)

    def advance(self, events: Iterable[Event], due: Mapping[str, Sequence[Event]]) -> Ledger:
        """The record once ``events`` are known: the ``due`` ones still owed by their channels."""
        owed = {name: tuple(event.id for event in pending) for name, pending in due.items()}
        return Ledger(self.events | all_keys(events), owed)

    def delivered(self, channel: str, event: Event) -> Ledger:
        owed = {**self.undelivered, channel: tuple(i for i in self.undelivered.get(channel, ()) if i != event.id)}
        return Ledger(self.events, owed)

    def encode(self) -> bytes:
        document = {
            "version": VERSION,
            "events": sorted(self.events),
            "undelivered": {name: sorted(ids) for name, ids in sorted(self.undelivered.items())},
        }
        return (json.dumps(document, indent=1) + "\n").encode("utf-8")

    @classmethod
    def decode(cls, data: bytes, where: str) -> Ledger:
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LedgerError(f"{where} is not JSON ({exc}): it is not a record that sitegen notify wrote") from None
        if not _well_formed(document):
            raise LedgerError(f"{where} is not a record that sitegen notify (record version {VERSION}) wrote")
        return cls(frozenset(document["events"]), {k: tuple(v) for k, v in document["undelivered"].items()})


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
