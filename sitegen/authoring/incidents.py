"""Writing incident files from the command line: a new incident, or one more update to one.

People write these files by hand, with comments, their own quoting and key
order, sometimes CRLF line ends or a BOM. An update is therefore added as a
textual insertion after the last item of the ``updates:`` list, never by
re-serializing the YAML: every other byte of the file stays as it was. The
place to insert and the indentation to use come from the YAML node marks of
the front matter. After writing, the whole site is loaded again; if the
edited file no longer loads, its original bytes are put back.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

import yaml

from sitegen.content.config import load_config
from sitegen.content.fields import suggestion
from sitegen.content.frontmatter import Document, FrontMatterError, LineMap, parse_document
from sitegen.content.loader import INCIDENTS_DIR, MARKDOWN_SUFFIXES, STATUS_OF_OTHER_KIND, load_site
from sitegen.content.model import (
    ENDING_STATUSES,
    INCIDENT_STATUSES,
    STATUSES_OF_KIND,
    USER_IMPACTS,
    Component,
    ComponentStatus,
    Kind,
    UpdateStatus,
)
from sitegen.content.times import parse_time
from sitegen.errors import ContentError, Problem, Problems, display_path

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader  # type: ignore[misc]

BOM = b"\xef\xbb\xbf"
SLUG_LENGTH = 60
MAX_CANDIDATES = 10
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
NEW_FILE_STYLE = (2, 4, 2)
"""A new file's updates are written '  - at:' with nested blocks indented by two, as in the README."""
DEFAULT_BODIES = {  # Statuspage's default texts, so that a status alone is enough during an outage
    UpdateStatus.INVESTIGATING: "We are currently investigating this issue.",
    UpdateStatus.IDENTIFIED: "The issue has been identified and a fix is being implemented.",
    UpdateStatus.MONITORING: "A fix has been implemented and we are monitoring the results.",
    UpdateStatus.RESOLVED: "This incident has been resolved.",
    UpdateStatus.POSTMORTEM: "A post-incident review has been published.",
    UpdateStatus.SCHEDULED: "The scheduled maintenance is planned.",
    UpdateStatus.IN_PROGRESS: "Scheduled maintenance is currently in progress. We will provide updates as necessary.",
    UpdateStatus.VERIFYING: "Verification is currently underway for the maintenance items.",
    UpdateStatus.COMPLETED: "The scheduled maintenance has been completed.",
}
Body = str | Callable[[], str] | None
"""An update's text; a function (that opens an editor) is called once everything else is checked."""
ARTICLE = {Kind.INCIDENT: "an incident", Kind.MAINTENANCE: "a maintenance"}
RESOLVING_STATUS = {Kind.INCIDENT: UpdateStatus.RESOLVED, Kind.MAINTENANCE: UpdateStatus.COMPLETED}
NOT_YAML_TEXT = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML cannot hold in a block scalar, plus the Unicode line breaks that would split a line."""
EDITOR_SCISSORS = "# ------------------------ >8 ------------------------"
EDITOR_TEMPLATE = (
    "\n\n"
    f"{EDITOR_SCISSORS}\n"
    "# Write the update above this line, in Markdown; everything from the\n"
    "# line above on is ignored. An empty text cancels the command.\n"
)


class AuthoringError(Exception):
    """A mistake the user can fix; ``problems`` are file errors to list after the message."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Written:
    """What a command wrote: the file, the new update's time and status, and anything worth a warning."""

    path: Path
    at: datetime
    status: UpdateStatus
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class NewUpdate:
    """One update to write, already validated."""

    at: datetime
    status: UpdateStatus
    body: str
    components: dict[str, ComponentStatus] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemStyle:
    """How a file indents its updates: the '-' column, the keys' column, one nested level."""

    dash: int
    content: int
    step: int


# --- the commands' logic ---------------------------------------------------------------------


def create_incident(
    site_dir: Path,
    *,
    title: str,
    components: Iterable[str],
    status: str,
    body: Body,
    impact: str | None,
    now: datetime,
) -> Written:
    """Write ``content/incidents/<date>-<slug>.md`` with one update; never overwrite a file."""
    tz, catalogue = site_settings(site_dir)
    title = check_title(title)
    checked = check_status(status, INCIDENT_STATUSES, what=ARTICLE[Kind.INCIDENT])
    statuses = parse_components(components, catalogue)
    if impact is not None and impact not in {i.value for i in USER_IMPACTS}:
        allowed = ", ".join(i.value for i in USER_IMPACTS)
        raise AuthoringError(f"impact '{impact}' is not one of {allowed}{suggestion(impact, allowed.split(', '))}")
    at = _second(now)
    slug = f"{at.astimezone(tz).date().isoformat()}-{slugify(title)}"
    folder = site_dir / INCIDENTS_DIR
    existing = [p for p in _incident_files(folder) if p.stem == slug]
    if existing:
        raise AuthoringError(
            f"{display_path(existing[0])} already exists: add an update to it with "
            f"'sitegen update {slug}', or choose another title"
        )
    path = folder / f"{slug}.md"
    update = NewUpdate(at=at, status=checked, body=check_body(body, checked))  # components: the incident's
    text = new_incident_text(title=title, impact=impact, components=statuses, update=update)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as handle:  # 'x': fail rather than overwrite, even in a race
            handle.write(text.encode("utf-8"))
    except FileExistsError:
        raise AuthoringError(f"{display_path(path)} already exists: choose another title") from None
    warnings = _check_site(site_dir, path, original=None, now=now)
    return Written(path=path, at=update.at, status=update.status, warnings=warnings)


def add_update(
    site_dir: Path,
    query: str,
    *,
    status: str | None,
    body: Body,
    components: Iterable[str] = (),
    now: datetime,
    resolving: bool = False,
) -> Written:
    """Append one update to the incident file ``query`` names; leave every other byte as it was.

    ``resolving`` is ``sitegen resolve``: the status is the kind's ending one
    (resolved, or completed for a maintenance), refused if it already ended.
    """
    tz, catalogue = site_settings(site_dir)
    path = find_incident(site_dir, query)
    original = path.read_bytes()
    text, bom = _decode(original, path)
    document = _parse(text, path)
    kind = _kind(document.meta, path)
    if resolving:
        _refuse_if_ended(document.meta, kind, path)
        status = RESOLVING_STATUS[kind].value
    if status is None:
        raise AuthoringError("give the update's status with --status")
    checked = check_status(status, STATUSES_OF_KIND[kind], what=ARTICLE[kind])
    statuses = parse_components(components, catalogue)
    _updates_node(_front_matter(text, document))  # refuse a file that cannot take an update before asking for text
    update = NewUpdate(at=_second(now), status=checked, body=check_body(body, checked), components=statuses)
    new_text = insert_update(text, document, update)
    _replace(path, bom + new_text.encode("utf-8"))
    warnings = _check_site(site_dir, path, original=original, now=now)
    later = _latest_update(document.meta, tz)
    if later is not None and later > update.at:
        shown = later.astimezone(UTC).strftime(TIME_FORMAT)
        warnings += (f"the file already has an update at {shown}, later than this one: check --now",)
    return Written(path=path, at=update.at, status=update.status, warnings=warnings)


def site_settings(site_dir: Path) -> tuple[tzinfo, dict[str, Component]]:
    """The site's timezone and component catalogue; an error if sitegen.toml does not load."""
    problems = Problems()
    config, components = load_config(site_dir, problems)
    if problems.errors or config is None or components is None:
        raise AuthoringError("sitegen.toml has errors: fix them first", problems.errors)
    return config.tz, {c.id: c for c in components}


# --- finding the file ------------------------------------------------------------------------


def find_incident(site_dir: Path, query: str) -> Path:
    """The one incident file whose name is ``query``, starts with it, or (failing that) contains it.

    A path or a file name with its suffix is accepted too, as a shell's
    completion gives. No match, or several, is an error naming the closest.
    """
    folder = site_dir / INCIDENTS_DIR
    files = {p.stem: p for p in _incident_files(folder)}
    name = Path(query).name
    wanted = (Path(name).stem if Path(name).suffix.lower() in MARKDOWN_SUFFIXES else name).lower()
    if wanted in files:
        return files[wanted]
    matches = [s for s in files if s.startswith(wanted)] or [s for s in files if wanted in s]
    if len(matches) == 1:
        return files[matches[0]]
    if not files:
        raise AuthoringError(f"there are no incident files in {display_path(folder)}")
    if matches:
        raise AuthoringError(f"'{query}' matches {len(matches)} incidents; which one?\n{_listing(wanted, matches)}")
    raise AuthoringError(f"no incident file matches '{query}'; the closest are:\n{_listing(wanted, list(files))}")


def closest(query: str, names: Iterable[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """Names by similarity to ``query``, the most similar first; newest (greatest name) first on a tie."""
    ranked = sorted(names, key=lambda n: (difflib.SequenceMatcher(None, query, n).ratio(), n), reverse=True)
    return ranked[:limit]


def _listing(query: str, names: list[str]) -> str:
    shown = closest(query, names)
    more = len(names) - len(shown)
    return "\n".join([f"  {name}" for name in shown] + ([f"  ... and {more} more"] if more else []))


def _incident_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.suffix.lower() in MARKDOWN_SUFFIXES)


# --- checking what the user typed ------------------------------------------------------------


def slugify(title: str, *, max_length: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary; 'incident' if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", re.sub(r"['\u2019]", "", ascii_text.lower()))
    slug = words[0][:max_length] if words else "incident"
    for word in words[1:]:
        if len(slug) + 1 + len(word) > max_length:
            break
        slug = f"{slug}-{word}"
    return slug


def check_title(title: str) -> str:
    """The title on one line, with its whitespace runs made single spaces."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise AuthoringError("the title is empty")
    _check_characters(cleaned, "the title")
    return cleaned


def check_status(value: str, allowed: Sequence[UpdateStatus], *, what: str) -> UpdateStatus:
    """The update status, if ``allowed`` for this kind of file; else say which are."""
    names = [s.value for s in allowed]
    if value in names:
        return UpdateStatus(value)
    hint = STATUS_OF_OTHER_KIND.get(value)
    tail = f" ({hint})" if hint else suggestion(value, names)
    raise AuthoringError(f"'{value}' is not a status of {what}: use one of {', '.join(names)}{tail}")


def check_body(body: Body, status: UpdateStatus) -> str:
    """The body as Markdown lines: line ends made LF, blank lines around it trimmed; the status's default if None."""
    if callable(body):
        body = body()
    if body is None:
        return DEFAULT_BODIES[status]
    lines = body.replace("\r\n", "\n").replace("\r", "\n").rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise AuthoringError(
            "the text is empty: write what is happening, or leave out --body and --edit for the default text"
        )
    text = "\n".join(lines)
    _check_characters(text, "the body")
    return text


def parse_components(values: Iterable[str], catalogue: dict[str, Component]) -> dict[str, ComponentStatus]:
    """``id=status`` options, each checked against sitegen.toml's components and the component statuses."""
    result: dict[str, ComponentStatus] = {}
    ids = list(catalogue)
    statuses = [s.value for s in ComponentStatus]
    for value in values:
        cid, sep, status = (part.strip() for part in value.partition("="))
        if not sep or not cid or not status:
            raise AuthoringError(f"--component '{value}' must be written ID=STATUS, e.g. api=partial_outage")
        if cid not in catalogue:
            valid = ", ".join(ids) if ids else "none: sitegen.toml declares no [[components]]"
            raise AuthoringError(f"unknown component '{cid}'{suggestion(cid, ids)}\nvalid components: {valid}")
        if status not in statuses:
            raise AuthoringError(
                f"unknown status '{status}' for component '{cid}'{suggestion(status, statuses)}\n"
                f"valid component statuses: {', '.join(statuses)}"
            )
        if cid in result:
            raise AuthoringError(f"component '{cid}' is given twice")
        result[cid] = ComponentStatus(status)
    return result


def body_from_editor(text: str | None) -> str | None:
    """What was written above the scissors line of an editor's buffer (None: the editor was quit)."""
    if text is None:
        return None
    return text.split(EDITOR_SCISSORS, 1)[0]


def _check_characters(text: str, what: str) -> None:
    if bad := NOT_YAML_TEXT.search(text):
        raise AuthoringError(f"{what} contains the character U+{ord(bad.group()):04X}, which a YAML file cannot hold")


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


# --- reading the file ------------------------------------------------------------------------


def _decode(data: bytes, path: Path) -> tuple[str, bytes]:
    """The text after any BOM, and the BOM (kept to be written back)."""
    bom = BOM if data.startswith(BOM) else b""
    try:
        return data[len(bom) :].decode("utf-8"), bom
    except UnicodeDecodeError:
        raise AuthoringError(f"{display_path(path)} is not UTF-8 text: save it with UTF-8 encoding") from None


def _parse(text: str, path: Path) -> Document:
    try:
        return parse_document(text)
    except FrontMatterError as exc:
        raise AuthoringError("the file cannot be read: fix it first", [Problem(path, exc.line, exc.message)]) from None


def _kind(meta: LineMap, path: Path) -> Kind:
    value = meta.get("kind", Kind.INCIDENT.value)
    if not isinstance(value, str) or value not in {k.value for k in Kind}:
        problem = Problem(path, meta.line_of("kind"), f"'kind' is {value!r}, not incident or maintenance")
        raise AuthoringError("the file cannot be updated: fix it first", [problem])
    return Kind(value)


def _statuses(meta: LineMap) -> list[object]:
    updates = meta.get("updates")
    if not isinstance(updates, list):
        return []
    return [u.get("status") for u in updates if isinstance(u, dict) and isinstance(u.get("status"), str)]


def _refuse_if_ended(meta: LineMap, kind: Kind, path: Path) -> None:
    """A second 'resolved' is most likely the wrong file: say so rather than write it."""
    if any(s in {e.value for e in ENDING_STATUSES} for s in _statuses(meta)):
        word = "completed" if kind is Kind.MAINTENANCE else "resolved"
        raise AuthoringError(
            f"{display_path(path)} is already {word}; "
            f"to add another update anyway use 'sitegen update {path.stem} --status ...'"
        )


def _latest_update(meta: LineMap, tz: tzinfo) -> datetime | None:
    updates = meta.get("updates")
    times = []
    for update in updates if isinstance(updates, list) else []:
        try:
            times.append(parse_time(update.get("at"), tz))
        except (ValueError, AttributeError):  # not a time, or not a mapping: the loader reports it
            continue
    return max(times, default=None)


# --- writing text ----------------------------------------------------------------------------


def new_incident_text(
    *, title: str, impact: str | None, components: dict[str, ComponentStatus], update: NewUpdate
) -> str:
    """A new incident file, laid out like the README's example."""
    dash, content, step = NEW_FILE_STYLE
    lines = ["---", f"title: {yaml_text(title)}"]
    if impact:
        lines.append(f"impact: {impact}")
    if components:
        lines.append("components:")
        lines += [f"{' ' * step}{cid}: {status.value}" for cid, status in components.items()]
    lines.append("updates:")
    lines += update_lines(update, ItemStyle(dash, content, step))
    lines.append("---")
    return "\n".join(lines) + "\n"


def update_lines(update: NewUpdate, style: ItemStyle) -> list[str]:
    """One item of an ``updates:`` list, without line ends.

    The body is a ``|-`` block scalar: any text is safe in it (colons,
    quotes, '#'), and it reads back as exactly the given text wherever it
    stands in the file (``|`` would add a line end except before the fence).
    """
    pad = " " * style.content
    nested = " " * (style.content + style.step)
    gap = " " * max(1, style.content - style.dash - 1)
    body = update.body.split("\n")
    # A first line starting with a space or tab would be taken for indentation: then say how deep it is.
    indicator = str(style.step) if body[0][:1] in (" ", "\t") else ""
    lines = [
        f"{' ' * style.dash}-{gap}at: {update.at.strftime(TIME_FORMAT)}",
        f"{pad}status: {update.status.value}",
        f"{pad}body: |{indicator}-",
    ]
    lines += [nested + line if line.strip() else "" for line in body]
    if update.components:
        lines.append(f"{pad}components:")
        lines += [f"{nested}{cid}: {status.value}" for cid, status in update.components.items()]
    return lines


def yaml_text(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back as itself, else double-quoted."""
    for candidate in (text, json.dumps(text, ensure_ascii=False)):
        try:
            if yaml.load(f"key: {candidate}\n", Loader=_Loader) == {"key": text}:
                return candidate
        except yaml.YAMLError:
            continue
    raise AuthoringError(f"cannot write {text!r} as YAML")  # not reached: JSON strings are YAML


def insert_update(text: str, document: Document, update: NewUpdate) -> str:
    """``text`` with ``update`` inserted after the last item of its ``updates:`` list.

    ``document`` is ``text`` parsed. The item is written in the indentation
    of the file's last update and with the line end of the line before it.
    """
    lines = text.splitlines(keepends=True)
    front_matter = _front_matter(text, document)
    sequence, key = _updates_node(front_matter)
    style = _item_style(sequence, key)
    last = _last_content_line(sequence, front_matter.split("\n"), style) + 1  # a line of the file
    ending = lines[last][len(lines[last].rstrip("\r\n")) :] or "\n"
    offset = sum(len(line) for line in lines[: last + 1])
    block = "".join(line + ending for line in update_lines(update, style))
    return text[:offset] + block + text[offset:]


def _front_matter(text: str, document: Document) -> str:
    """The front matter as the loader parses it, so that YAML's line numbers index the file's lines."""
    return "\n".join(text.splitlines()[1 : document.body_line - 2])


def _updates_node(front_matter: str) -> tuple[yaml.SequenceNode, yaml.Node]:
    """The ``updates`` list's node and its key's node; an error if it is not a block list."""
    root = yaml.compose(front_matter, Loader=_Loader)
    if not isinstance(root, yaml.MappingNode):
        raise AuthoringError("the front matter is not a mapping of 'key: value' lines")
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "updates":
            if not isinstance(value, yaml.SequenceNode):
                raise AuthoringError("'updates' is not a list of '- ' items: fix the file first")
            if value.flow_style:
                raise AuthoringError(
                    "'updates' is written as a flow list ('[...]'): rewrite it as '- at: ...' items, "
                    "one per update, to add updates from the command line"
                )
            if not isinstance(value.value[-1], yaml.MappingNode):
                raise AuthoringError("the last update is not a mapping of 'at', 'status' and 'body': fix it first")
            return value, key
    raise AuthoringError("the front matter has no 'updates:' list: fix the file first")


def _item_style(sequence: yaml.SequenceNode, key: yaml.Node) -> ItemStyle:
    """The '-' column is the list's (every item shares it); the keys' column that of the last item.

    One nested level is how far the list is indented under its key, or, for
    a list written at the key's own column, as far as the keys are from '-'.
    """
    dash = sequence.start_mark.column
    content = max(sequence.value[-1].start_mark.column, dash + 2)
    step = dash - key.start_mark.column if dash > key.start_mark.column else content - dash
    return ItemStyle(dash, content, min(step, 9))  # 9: the deepest a block scalar's indentation indicator says


def _last_content_line(sequence: yaml.SequenceNode, lines: list[str], style: ItemStyle) -> int:
    """The front matter line (0-based) after which a new item goes.

    That is the line where the last item's last value ends, and any comment
    lines indented under that item just after it.
    """
    end = _content_end(sequence)
    line = end.line if end.column > 0 else end.line - 1  # a block scalar ends at the start of the next line
    while line + 1 < len(lines) and lines[line + 1].lstrip().startswith("#") and _indent(lines[line + 1]) > style.dash:
        line += 1
    return line


def _content_end(node: yaml.Node) -> yaml.Mark:
    """Where a node's text ends: a block collection's own end mark is the next token, past comments."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return node.end_mark
    if isinstance(node, yaml.SequenceNode):
        return _content_end(node.value[-1])
    key, value = node.value[-1]
    # An alias value is composed as the node it names, marked where that was written: the key bounds it.
    return max(_content_end(key), _content_end(value), key=lambda mark: mark.index)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# --- writing the file safely -----------------------------------------------------------------


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` in one step, so that an interrupted write leaves the old file."""
    temporary = path.with_name(f".{path.name}.sitegen-tmp")  # a dot file: the loader skips it
    try:
        temporary.write_bytes(data)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _check_site(site_dir: Path, path: Path, *, original: bytes | None, now: datetime) -> tuple[str, ...]:
    """Load the whole site; undo the write (restore ``original``, or remove a new file) if ``path`` fails.

    Problems only in other files are returned as warnings: they were there
    before, and must not stop an update during an outage.
    """
    try:
        load_site(site_dir, now=now)
    except ContentError as exc:
        target = path.resolve()
        own = [p for p in exc.problems if p.path.resolve() == target]
        if own:
            if original is None:
                path.unlink()
            else:
                _replace(path, original)
            raise AuthoringError(f"{display_path(path)} would not load, so it was left unchanged:", own) from None
        note = "another file has a problem (the site will not build until it is fixed)"
        return tuple(f"{note}: {problem}" for problem in exc.problems)
    return ()
