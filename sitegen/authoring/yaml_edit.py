"""Writing incident YAML as text: a new file, or one more item in a hand-written ``updates:`` list.

People write incident files by hand, with comments, their own quoting and
key order, sometimes CRLF line ends. Re-serializing the YAML would lose all
of that, so an update is inserted as text after the last item of the list:
the place to insert and the indentation to use come from the YAML node marks
of the front matter, and every other byte of the file stays as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import yaml

from sitegen.authoring.user_input import AuthoringError
from sitegen.content.frontmatter import Document, YamlLoader
from sitegen.content.statuses import ComponentStatus, UpdateStatus

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
NEW_FILE_STYLE = (2, 4, 2)
"""A new file's updates are written '  - at:' with nested blocks indented by two, as in the README."""


@dataclass(frozen=True)
class NewUpdate:
    """One update to write, already validated."""

    at: datetime
    status: UpdateStatus
    body: str
    components: dict[str, ComponentStatus] = field(default_factory=dict)
    next_update: str | None = None
    """The promise of the next update as the user wrote it ('30m', or a time), already checked."""


@dataclass(frozen=True)
class ItemStyle:
    """How a file indents its updates: the '-' column, the keys' column, one nested level."""

    dash: int
    content: int
    step: int


def new_incident_text(
    *,
    title: str,
    impact: str | None,
    components: dict[str, ComponentStatus],
    update: NewUpdate,
    window: tuple[datetime, datetime] | None = None,
    alert_key: str | None = None,
) -> str:
    """A new incident file, laid out like the README's example; with a ``window``, a scheduled maintenance."""
    dash, content, step = NEW_FILE_STYLE
    lines = ["---", f"title: {yaml_text(title)}"]
    if alert_key:
        lines.append(f"alert_key: {yaml_text(alert_key)}")
    if window is not None:
        start, end = (moment.astimezone(UTC).strftime(TIME_FORMAT) for moment in window)
        lines += ["kind: maintenance", f"scheduled_for: {start}", f"scheduled_until: {end}"]
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
    if update.next_update:
        lines.append(f"{pad}next_update: {yaml_text(update.next_update)}")
    if update.components:
        lines.append(f"{pad}components:")
        lines += [f"{nested}{cid}: {status.value}" for cid, status in update.components.items()]
    return lines


def yaml_text(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back as itself, else double-quoted."""
    for candidate in (text, json.dumps(text, ensure_ascii=False)):
        try:
            if yaml.load(f"key: {candidate}\n", Loader=YamlLoader) == {"key": text}:
                return candidate
        except yaml.YAMLError:
            continue
    raise AuthoringError(f"cannot write {text!r} as YAML")  # not reached: JSON strings are YAML


def check_insertable(text: str, document: Document) -> None:
    """Raise AuthoringError if the file's ``updates:`` list cannot take one more item (say, a flow list)."""
    _updates_node(_front_matter(text, document))


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
    root = yaml.compose(front_matter, Loader=YamlLoader)
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
    if not isinstance(node, yaml.CollectionNode) or node.flow_style or not node.value:
        return node.end_mark
    if isinstance(node, yaml.SequenceNode):
        return _content_end(node.value[-1])
    key, value = node.value[-1]
    # An alias value is composed as the node it names, marked where that was written: the key bounds it.
    return max(_content_end(key), _content_end(value), key=lambda mark: mark.index)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
