"""``sitegen notify``'s run: find what is new since the published record, send it, record what was sent.

The order is what makes it safe to rerun:

1. The site is loaded, at the base URL the built site in ``-o`` was built
   for, so links point where the deploy will put the pages.
2. The previous record is read from the published site. With none (a first
   run, or the first after an import), nothing is sent: the events are
   recorded as announced, so history is never replayed to subscribers.
3. The new record, with everything due still owed, is written into ``-o``
   before anything is sent; a run that stops at any point (a missing
   secret, a failure, a kill) leaves a record owing exactly what was not
   sent, and the deploy publishes it.
   Events new to the record but older than its newest event (less a day's
   grace), or than ``--skip-before``, are history that arrived late (an
   import into a published site): recorded as announced, never sent.
   A run that would still send more than ``--max-messages`` sends nothing
   and leaves the record as it was: a lost or emptied record must not
   replay the history.
4. The secrets are read, all of them, before the first message.
5. Each channel sends its messages oldest first; each delivery is written
   to the record at once. A channel that fails stops (its later messages
   wait for the next run, in order); the others go on. A message the
   server refuses as such (too large, malformed: :class:`~.http.Refused`)
   is recorded as sent, with a warning, so that it cannot hold the channel
   back for good; and on-call can move a channel past any message by hand
   with ``--skip EVENT-ID`` (the id a failure names).

A deferred run (``--defer``) stops after step 3: the publish workflow runs
it before the deploy, so the published site owes what is new, and runs
``notify`` again once the pages are live, reading that record back from the
deployed folder. A message thus never links to a page that is not there yet,
a failed deploy sends nothing, and a run stopped between the two leaves the
messages owed to the next run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.content.loader import load_site
from sitegen.content.notify_config import NotifyChannel
from sitegen.content.site import Site
from sitegen.errors import UserError, display_path
from sitegen.notify.channels import send
from sitegen.notify.delivery import Context
from sitegen.notify.events import Event, site_events
from sitegen.notify.http import DeliveryError, Manners, Refused, new_client
from sitegen.notify.ledger import Cutoff, Ledger, read_previous, write_ledger
from sitegen.notify.message import message_for, plain_text
from sitegen.notify.secrets import read_secrets
from sitegen.output import urls
from sitegen.output.publish import MARKER
from sitegen.views.api import StatusApi
from sitegen.views.formatting import count_label, plural

Echo = Callable[..., None]
"""Prints each of its arguments as a line."""
MAX_MESSAGES = 20
"""The most messages a run sends unless told otherwise: more is likely history replayed (an import, a lost record)."""


class NotifyFailed(UserError):
    """Some channels could not send; what they owe stays in the record for the next run."""


class TooManyMessages(UserError):
    """The run would send more than it may (--max-messages): likely history replayed, so it sends nothing."""


@dataclass(frozen=True)
class Run:
    """What the user asked for: the site, its build, where the last published site is, and how."""

    site_dir: Path
    out_dir: Path
    published: str
    now: datetime
    dry_run: bool = False
    defer: bool = False
    manners: Manners = field(default_factory=Manners)
    skip: frozenset[str] = frozenset()
    """Ids of events to record as sent without sending them (``--skip``)."""
    max_messages: int = MAX_MESSAGES
    skip_before: datetime | None = None
    """Events older than this are history: recorded as announced, never sent (--skip-before)."""


def announce(run: Run, environ: Mapping[str, str], echo: Echo) -> None:
    """Announce what is new; NotifyFailed (after the others have sent) when some channel failed."""
    site = load_site(run.site_dir, now=run.now, base_url=built_base_url(run.out_dir))
    channels = site.config.notify
    events = site_events(site)
    with new_client() as client:
        previous, where = read_previous(run.published, client, run.manners) if channels or run.dry_run else (None, "")
        if previous is None or previous.emptied:
            why = "No record of earlier announcements" if previous is None else "An emptied record of announcements"
            why += f" at {where}"
            _baseline(run, Ledger.baseline(events, channels, run.now), why, echo)
            return
        cutoff = Cutoff.of(previous, events, run.skip_before)
        due = {channel.name: _wanted(channel, previous.due(channel, events, cutoff)) for channel in channels}
        history = _history(previous.history(events, cutoff), cutoff)
        if run.dry_run:
            due = due or {"": previous.due(None, events, cutoff)}
            over = _over_cap(due, run.max_messages)
            stop = [f"A real run would send none of them: {over[0]}.", *over[1:]] if over else []
            _preview(site, channels, due, where, environ, echo, [*history, *stop])
            return
        echo(*history)
        over = _over_cap(due, run.max_messages)
        if over:
            write_ledger(run.out_dir, previous)
            raise TooManyMessages(f"{over[0]}: nothing was sent, and the record is left as it was", hints=over[1:])
        ledger = previous.advance(events, due, run.now)
        write_ledger(run.out_dir, ledger)
        if run.defer:
            owed = sum(map(len, ledger.undelivered.values()))
            echo(f"Recorded {count_label(owed, 'message')} owed; sent nothing (--defer).")
            return
        context = Context(client, run.manners, read_secrets(channels, environ), StatusApi(site))
        failures = _send_all(run, site, due, ledger, context, echo)
    if failures:
        raise NotifyFailed(
            f"{count_label(len(failures), 'channel')} could not send; the record keeps what they owe for the next run",
            hints=failures,
        )


def _wanted(channel: NotifyChannel, events: Sequence[Event]) -> tuple[Event, ...]:
    """The events due on ``channel`` that it asked for.

    A reminder only at a lead time of its ``reminders``; a late update only on on-call's channels.
    """
    return tuple(
        event
        for event in events
        if (event.lead is None or event.lead in channel.reminders) and (channel.on_call or not event.for_on_call)
    )


def _history(count: int, cutoff: Cutoff) -> list[str]:
    """What was left out as history, in a line; none when nothing was."""
    if not count:
        return []
    limits = [f"than the published record ({cutoff.known.isoformat()})" if cutoff.known else ""]
    limits.append(f"than --skip-before ({cutoff.given.isoformat()})" if cutoff.given else "")
    return [
        f"Recorded {count_label(count, 'event')} as announced without sending them: history older "
        f"{' or '.join(limit for limit in limits if limit)} (an import), not news."
    ]


def _over_cap(due: Mapping[str, Sequence[Event]], most: int) -> list[str]:
    """Why the run sends nothing, when it would send more than ``most`` messages; [] when it may send."""
    total = sum(len(pending) for pending in due.values())
    if total <= most:
        return []
    times = sorted(event.at for pending in due.values() for event in pending)
    return [
        f"{count_label(total, 'message')} to send, more than --max-messages {most} allows",
        f"The messages are of events from {times[0].isoformat()} to {times[-1].isoformat()}.",
        f"If they are news, run again with --max-messages {total}.",
        "If they are history (an import, a lost or emptied record), run again with --skip-before TIME: "
        "what is older than TIME is recorded as announced and never sent.",
    ]


def built_base_url(out_dir: Path) -> str:
    """The URL the site in ``out_dir`` was built for, from its API; UserError if it is not a built site."""
    status = out_dir / urls.api("status.json")
    problem = f"{display_path(out_dir)} is not a site written by sitegen build: build it first (sitegen build -o ...)"
    if not (out_dir / MARKER).is_file() or not status.is_file():
        raise UserError(problem)
    try:
        url = json.loads(status.read_bytes())["page"]["url"]
    except (ValueError, KeyError, TypeError):
        raise UserError(problem) from None
    if not isinstance(url, str):
        raise UserError(problem)
    return url


def _baseline(run: Run, ledger: Ledger, why: str, echo: Echo) -> None:
    if not ledger.undelivered:
        echo(f"No [[notify]] channels in sitegen.toml: nothing to announce; recorded {len(ledger.events)} events.")
    else:
        echo(
            f"{why}: recorded {len(ledger.events)} events as announced "
            "and sent nothing, so that history is not replayed."
        )
    if run.dry_run:
        echo("Dry run: nothing was written.")
    else:
        write_ledger(run.out_dir, ledger)


def _send_all(
    run: Run, site: Site, due: Mapping[str, Sequence[Event]], ledger: Ledger, context: Context, echo: Echo
) -> list[str]:
    """Send every channel's messages; the failures, one line each with secrets masked."""
    redact = context.secrets.redact
    channels = site.config.notify
    failures: list[str] = []
    sent = 0
    skipped: set[str] = set()
    for channel in channels:
        pending = due[channel.name]
        for number, event in enumerate(pending):
            message = message_for(event, site)
            asked = run.skip.intersection(event.keys)
            try:
                if asked:
                    skipped |= asked
                    echo(redact(f"{channel.name}: skipped “{message.title}” ({event.id}), as asked"))
                else:
                    send(channel, message, context)
                    sent += 1
                    echo(redact(f"{channel.name}: sent “{message.title}”"))
            except Refused as exc:
                echo(redact(f"Warning: {channel.name}: “{message.title}” ({event.id}) dropped, as refused: {exc}"))
            except DeliveryError as exc:
                skip = f"; to send it no more: --skip {event.id}"
                failures.append(
                    redact(f"{channel.name}: “{message.title}” not sent: {exc}{_waiting(pending, number)}{skip}")
                )
                break
            ledger = ledger.delivered(channel.name, event)
            write_ledger(run.out_dir, ledger)
    for unknown in sorted(run.skip - skipped):
        echo(f"Warning: no message due has the id {unknown}: --skip {unknown} changed nothing.")
    if sent or failures:
        echo(f"Sent {count_label(sent, 'message')} on {count_label(len(channels), 'channel')}.")
    else:
        echo("Nothing new to announce.")
    return failures


def _waiting(pending: Sequence[Event], failed: int) -> str:
    """' (2 later messages wait too)': what a failure holds back, since a channel keeps its order."""
    later = len(pending) - failed - 1
    return f" ({count_label(later, 'later message')} {plural(later, 'waits', 'wait')} too)" if later else ""


def _preview(
    site: Site,
    channels: Sequence[NotifyChannel],
    due: Mapping[str, Sequence[Event]],
    where: str,
    environ: Mapping[str, str],
    echo: Echo,
    notes: Sequence[str],
) -> None:
    """Print each message that would be sent, once, with the channels it would go to, and ``notes`` after them."""
    targets: dict[str, list[str]] = {}
    events: dict[str, Event] = {}
    for name, pending in due.items():
        for event in pending:
            events.setdefault(event.id, event)
            targets.setdefault(event.id, []).append(name)
    echo(f"Dry run: nothing is sent and nothing is written. Compared with {where}:")
    echo(f"{count_label(len(events), 'message')} to send." if events else "Nothing new to announce.")
    if not channels:
        echo("sitegen.toml has no [[notify]] channels yet: these are what a channel would send.")
    for number, event in enumerate(sorted(events.values(), key=lambda e: e.at), start=1):
        echo("")
        echo(f"To {', '.join(targets[event.id])}:" if channels else f"Message {number}:")
        for line in plain_text(message_for(event, site)).splitlines():
            echo(f"    {line}".rstrip())
        echo(f"    (id: {event.id})")
    missing = [name for channel in channels for name in channel.env_names if not environ.get(name, "").strip()]
    if missing:
        echo("")
        echo(f"Not set here: {', '.join('$' + name for name in missing)}; a real run would stop before sending.")
    if notes:
        echo("", *notes)
