"""cState sites as records: ``content/issues/*.md`` and the systems of the site's Hugo config.

An issue's front matter gives its ``title``, ``date``, ``severity``
(``down`` is a major outage, ``disrupted`` a partial one, ``notice`` a
notice), ``affected`` systems, ``resolved`` and ``resolvedWhen``. Its
updates are paragraphs of the body that end in a ``{{< track "date" >}}``
shortcode, written ``*Status* - text``; a label that is not a status
(cState's "Update", or anything else) keeps the status before it, and a
label that is not a status at all stays in the text. A section headed
``*Post-mortem*`` becomes a write-up; other text without a date is the
incident's summary. A ``notice`` with a ``resolvedWhen`` is cState's way
of writing maintenance: its window runs from ``date`` to ``resolvedWhen``.

cState dates often carry no zone: they are read in the zone given
(``--timezone``), and written with that zone's offset.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sitegen.content.frontmatter import FrontMatterError, LineMap, parse_document, parse_yaml
from sitegen.content.statuses import STATUSES_OF_KIND, ComponentStatus, Kind, UpdateStatus
from sitegen.content.times import load_timezone
from sitegen.importers.errors import BadInput, ImportFailed, document_name
from sitegen.importers.reading import parse_moment
from sitegen.importers.records import (
    SourceComponent,
    SourceHistory,
    SourceIncident,
    SourcePage,
    SourceUpdate,
    SourceWriteup,
)
from sitegen.importers.timeline import with_closing_update

SOURCE = "cstate"
ISSUES = Path("content") / "issues"
CONFIGS = ("config.yml", "config.yaml", "hugo.yml", "hugo.yaml", "config.toml", "hugo.toml")
SEVERITY = {
    "down": ComponentStatus.MAJOR_OUTAGE,
    "disrupted": ComponentStatus.PARTIAL_OUTAGE,
    "notice": ComponentStatus.DEGRADED_PERFORMANCE,
}
"""cState's severities; a ``notice`` that is not planned work is minor trouble."""
NEAREST_SEVERITY = {"degraded": ComponentStatus.DEGRADED_PERFORMANCE}
"""Values cState does not know but sites wrote, read as the status they plainly mean (with a warning)."""
PLANNED_WORDS = re.compile(r"\b(maintenance|planned|scheduled|migration|upgrade)\b", re.IGNORECASE)
UNPLANNED_WORDS = re.compile(r"\bun(planned|scheduled)\b", re.IGNORECASE)
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
LABEL_STATUS = {"reopened": UpdateStatus.INVESTIGATING, "re-opened": UpdateStatus.INVESTIGATING}
"""Labels that are no status but mean one; the label stays as the update's first words."""
TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]*)\"\s*[>%]\}\}")
LABEL = re.compile(r"^\*{1,2}([^*\n]+?)\*{1,2}(?:\s*[-\u2013\u2014:])?\s*")
REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*\S")
RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
POSTMORTEM_LABELS = {"post-mortem", "postmortem", "post mortem"}
REPEAT_LABEL = "update"
NOT_PLANNED = (
    "is 'notice' with no sign of planned work (not named maintenance, not announced before its date): "
    "imported as a minor incident; make it 'kind: maintenance' if it was planned"
)


@dataclass(frozen=True)
class Block:
    """A paragraph of an issue's body and the line it starts on; ``at`` is its track date, if it has one."""

    text: str
    line: int
    at: str | None = None


def read_cstate(place: Path, *, timezone: str) -> SourceHistory:
    """Every issue of the cState site at ``place`` (or of an issues folder, or one issue file).

    An issue that cannot be read is skipped (and named): the others are
    imported, unless none can be.
    """
    tz = load_timezone(timezone)
    root, files = _locate(place)
    page, components = _config(root, timezone) if root is not None else (None, ())
    issues: list[BadInput] = []
    notes: list[BadInput] = []
    incidents = []
    for path in files:
        try:
            incident = read_issue(path, tz, notes)
        except BadInput as exc:
            issues.append(exc)
            continue
        if incident is not None:
            incidents.append(incident)
    if issues and not incidents:
        raise ImportFailed.listing(issues)
    warned, skipped = tuple(map(str, notes)), tuple(map(str, issues))
    return SourceHistory(SOURCE, page, components, tuple(incidents), warnings=warned, skipped=skipped)


def _locate(place: Path) -> tuple[Path | None, list[Path]]:
    """The site's root (for its config) and its issue files."""
    if place.is_file():
        return None, [place]
    folder = place / ISSUES if (place / ISSUES).is_dir() else place
    if not folder.is_dir():
        raise ImportFailed(f"{document_name(place)} is not a cState site: it has no {ISSUES}/ folder")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".md", ".markdown") and p.stem != "_index")
    if not files:
        raise ImportFailed(f"{document_name(folder)} holds no issues (.md files) to import")
    return (place if folder != place else None), files


def read_issue(path: Path, tz: tzinfo, notes: list[BadInput]) -> SourceIncident | None:
    """One issue; None for a draft, which cState does not publish either. What was read loosely goes to ``notes``."""
    name = document_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = parse_document(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(name, "", f"cannot be read: {exc}") from None
    except FrontMatterError as exc:
        raise BadInput(name, "", exc.message, line=exc.line) from None
    issue = _Issue(name, document.meta, tz)
    if issue.flag("draft"):
        return None
    incident = issue.incident(path.stem, _blocks(document.body, _first_body_line(text, document.body_line)))
    notes += issue.notes
    return incident


def _first_body_line(text: str, body_line: int) -> int:
    """The line the (stripped) body starts on: past the blank lines after the front matter."""
    lines = text.splitlines()[body_line - 1 :]
    return body_line + next((n for n, line in enumerate(lines) if line.strip()), 0)


class _Issue:
    """The front matter of one issue, read field by field with the line of each."""

    def __init__(self, name: str, meta: LineMap, tz: tzinfo):
        self.name = name
        self.meta = meta
        self.tz = tz
        self.notes: list[BadInput] = []

    def bad(self, key: str, reason: str, line: int | None = None) -> BadInput:
        return BadInput(self.name, key, reason, line=line if line is not None else self.meta.line_of(key))

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            raise self.bad(key, f"expected true or false, found {value!r}")
        return value

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.bad(key, "is missing or empty" if value in (None, "") else f"expected text, found {value!r}")
        return value

    def time(self, key: str, value: object = None, line: int | None = None) -> datetime:
        try:
            return parse_moment(value if value is not None else self.meta.get(key), self.tz)
        except ValueError as exc:
            raise self.bad(key, str(exc), line) from None

    def affected(self) -> list[str]:
        value = self.meta.get("affected", [])
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise self.bad("affected", "expected a list of system names")
        return [n.strip() for n in names if n.strip()]

    def severity(self) -> tuple[str, ComponentStatus]:
        """The severity as cState names it, and the status it gives the affected systems.

        A value cState does not know but whose meaning is plain is read so,
        and so is a post without one (an informational notice); both are noted.
        """
        severity = self.meta.get("severity")
        if self.flag("informational"):
            return "notice", ComponentStatus.OPERATIONAL
        if severity is None:
            self.notes.append(self.bad("", "has no severity: imported as an informational notice (no downtime)"))
            return "notice", ComponentStatus.OPERATIONAL
        if severity in SEVERITY:
            return str(severity), SEVERITY[str(severity)]
        if severity in NEAREST_SEVERITY:
            status = NEAREST_SEVERITY[str(severity)]
            reason = f"is {severity!r}, which cState does not know: read as {status.value}"
            self.notes.append(self.bad("severity", reason))
            return str(severity), status
        raise self.bad("severity", f"is {severity!r}, not one of {', '.join(SEVERITY)}")

    def planned(self, slug: str, title: str, start: datetime, blocks: list[Block]) -> bool:
        """A sign that a notice was planned work: named so, or announced before it began."""
        if PLANNED_WORDS.search(title) and not UNPLANNED_WORDS.search(title):
            return True
        named = DATE_PREFIX.match(slug)
        if named is not None and named.group(1) < start.date().isoformat():
            return True
        return any(self.time("track", b.at, b.line) < start for b in blocks if b.at is not None)

    def incident(self, slug: str, blocks: list[Block]) -> SourceIncident:
        title, start = self.text("title"), self.time("date")
        severity, status = self.severity()
        until = self.time("resolvedWhen") if self.meta.get("resolvedWhen") is not None else None
        notice = severity == "notice" and status is not ComponentStatus.OPERATIONAL
        maintenance = notice and until is not None and self.planned(slug, title, start, blocks)
        if notice and not maintenance:
            self.notes.append(self.bad("severity", NOT_PLANNED))
        kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT
        if maintenance and until is not None and until <= start:
            raise self.bad("resolvedWhen", "the end of a maintenance must come after its 'date'")
        blocks, definitions = _split_definitions(blocks)
        updates, notes, postmortem = self._timeline(kind, blocks)
        updates = tuple(replace(u, body=_with_definitions(u.body, definitions)) for u in updates)
        postmortem = _with_definitions(postmortem, definitions)
        summary = _with_definitions("\n\n".join(notes), definitions)
        if not updates:  # an issue with no dated lines: its text is its one update, posted at its date
            updates = (SourceUpdate(start, STATUSES_OF_KIND[kind][0], summary or title),)
            summary = ""
        affected = tuple(dict.fromkeys(self.affected()))
        resolved = self.flag("resolved")
        end = (until or max(u.at for u in updates)) if resolved else None
        return SourceIncident(
            source_id=slug,
            title=title,
            kind=kind,
            updates=with_closing_update(updates, kind, end),
            components={} if maintenance else {name: status for name in affected},
            attached=affected,
            started=start if not maintenance else None,
            scheduled_for=start if maintenance else None,
            scheduled_until=until if maintenance else None,
            summary=summary,
            writeup=SourceWriteup(f"Post-mortem: {title}", end or max(u.at for u in updates), postmortem)
            if postmortem
            else None,
        )

    def _timeline(self, kind: Kind, blocks: list[Block]) -> tuple[tuple[SourceUpdate, ...], list[str], str]:
        """The dated updates in time order, the undated notes, and the post-mortem section's text.

        cState pages list updates newest first, so of two posted at one
        instant the one lower in the file came first.
        """
        tracked = [(self.time("track", b.at, b.line), -n, b) for n, b in enumerate(blocks) if b.at is not None]
        dated = [(at, block) for at, _, block in sorted(tracked, key=lambda t: t[:2])]  # newest first in the file
        statuses = {s.value.replace("_", " "): s for s in STATUSES_OF_KIND[kind]}
        status = STATUSES_OF_KIND[kind][0]
        updates = []
        for at, block in dated:
            label, rest = _label(block.text)
            known = statuses.get(label.lower())
            status = known or (LABEL_STATUS.get(label.lower()) if kind is Kind.INCIDENT else None) or status
            body = rest if known is not None or label.lower() == REPEAT_LABEL else block.text
            updates.append(SourceUpdate(at, status, body or label))
        notes, postmortem = _notes(blocks)
        return tuple(updates), notes, postmortem


def _split_definitions(blocks: list[Block]) -> tuple[list[Block], dict[str, str]]:
    """The blocks but those made only of link reference definitions (``[1]: https://...``), and those by label.

    A definition is a paragraph of its own, without a date: left among the
    notes it would become the summary, and the links using it would lose
    their address.
    """
    kept: list[Block] = []
    definitions: dict[str, str] = {}
    for block in blocks:
        found = [REFERENCE.match(line) for line in block.text.splitlines()]
        if block.at is None and found and all(found):
            definitions |= {m.group(1).lower(): m.string.strip() for m in found if m}
        else:
            kept.append(block)
    return kept, definitions


def _with_definitions(text: str, definitions: dict[str, str]) -> str:
    """``text``, followed by the definitions of the references it uses."""
    used = [line for label, line in definitions.items() if f"[{label}]" in text.lower()]
    return "\n\n".join([text, "\n".join(used)]) if text and used else text


def _label(text: str) -> tuple[str, str]:
    found = LABEL.match(text)
    return (found.group(1).strip(), text[found.end() :].strip()) if found else ("", text)


def _blocks(body: str, first_line: int) -> list[Block]:
    """The body's paragraphs (split at blank lines and rules), rules kept as empty blocks that end sections."""
    blocks: list[Block] = []
    lines: list[str] = []
    start = first_line

    def close(at_line: int) -> None:
        text = "\n".join(lines).strip()
        if text:
            found = TRACK.search(text)
            date = found.group(1) if found else None
            blocks.append(Block(TRACK.sub("", text).strip() if found else text, start, date))
        lines.clear()

    for number, line in enumerate(body.split("\n"), start=first_line):
        if not line.strip() or RULE.match(line):
            close(number)
            if RULE.match(line):
                blocks.append(Block("", number))
            start = number + 1
        else:
            lines.append(line)
    close(first_line)
    return blocks


def _notes(blocks: list[Block]) -> tuple[list[str], str]:
    """Undated text by section (a rule or a dated paragraph ends one): the post-mortem's, and the rest."""
    sections: list[list[str]] = [[]]
    for block in blocks:
        if block.at is not None or not block.text:
            sections.append([])
        else:
            sections[-1].append(block.text)
    notes, postmortem = [], ""
    for section in (s for s in sections if s):
        label, rest = _label(section[0])
        if label.lower() in POSTMORTEM_LABELS:
            postmortem = "\n\n".join([rest, *section[1:]]).strip()
        else:
            notes.append("\n\n".join(section))
    return notes, postmortem


def _config(root: Path, timezone: str) -> tuple[SourcePage | None, tuple[SourceComponent, ...]]:
    """The page's title and URL and its systems (by category), from the first Hugo config found."""
    path = next((root / name for name in CONFIGS if (root / name).is_file()), None)
    if path is None:
        return SourcePage(title="", timezone=timezone), ()
    config = _read_config(path)
    found = config.get("params")
    params: dict[str, Any] = found if isinstance(found, dict) else {}
    untitled = {str(c.get("name")) for c in _dicts(params.get("categories")) if c.get("untitled") is True}
    systems = []
    for system in _dicts(params.get("systems")):
        name = system.get("name")
        if isinstance(name, str) and name.strip():
            category = system.get("category")
            group = category if isinstance(category, str) and category not in untitled else None
            description = system.get("description") if isinstance(system.get("description"), str) else ""
            systems.append(SourceComponent(name.strip(), name.strip(), group, description or ""))
    page = SourcePage(title=str(config.get("title") or ""), url=str(config.get("baseURL") or ""), timezone=timezone)
    return page, tuple(systems)


def _read_config(path: Path) -> dict[str, Any]:
    name = document_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if path.suffix == ".toml" else parse_yaml(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFailed(f"{name} cannot be read: {exc}") from None
    except FrontMatterError as exc:
        raise ImportFailed(f"{name}:{exc.line}: {exc.message}") from None
    return data if isinstance(data, dict) else {}


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
