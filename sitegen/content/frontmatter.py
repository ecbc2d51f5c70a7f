"""Split a content file into YAML front matter and Markdown, keeping line numbers.

PyYAML's constructors forget where a value came from, so this module builds
values from YAML's node tree itself: mappings and lists remember the line of
each key and item, which is what lets every later error name its line.
Timestamps stay strings, so that times are parsed in one place
(:mod:`sitegen.content.times`) with one set of messages.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.reader import ReaderError

YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader (C, fast), or PyYAML's own where PyYAML was built without libyaml."""

FENCE = "---"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"
STRING_TAG = "tag:yaml.org,2002:str"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""The line ends editors count; str.splitlines() would also split on form feeds and U+2028."""
EXPANSION = 4
EXPANSION_ALLOWANCE = 64 * 1024
"""Aliases may repeat values, but the values built may total at most EXPANSION times the text plus this."""
MAX_DEPTH = 64
"""Deeper nesting than this is no incident either, and libyaml would overflow the stack on it."""
YAML_HINTS = {
    "mapping values are not allowed": "a value that contains ': ' must be put in quotes",
}


class LineMap(dict):
    """A mapping that knows the line of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the line of itself and of each of its items."""

    line: int
    item_lines: list[int]


@dataclass(frozen=True)
class Document:
    """A content file's parts: its front matter (or None) and its Markdown body."""

    meta: LineMap
    body: str
    body_line: int


class FrontMatterError(ValueError):
    """The file's front matter cannot be read; ``line`` is 1-based in the file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_document(text: str) -> Document:
    """Read ``---`` fenced YAML front matter followed by a Markdown body."""
    lines = LINE_BREAK.split(text)
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterError(1, "the file must start with a '---' line that opens its YAML front matter")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        raise FrontMatterError(1, "the front matter opened here is never closed: add a '---' line after it")
    meta = parse_yaml("\n".join(lines[1:index]), first_line=2)
    if not isinstance(meta, LineMap):
        raise FrontMatterError(2, "the front matter must be a mapping of 'key: value' lines")
    body = "\n".join(lines[index + 1 :]).strip("\n")
    return Document(meta=meta, body=body, body_line=index + 2)


def parse_yaml(text: str, *, first_line: int = 1) -> Any:
    """Parse YAML text into plain values whose maps and lists carry line numbers."""
    _check_depth(text, first_line)
    loader = YamlLoader(text)
    lines = _LineCounter(text, first_line)
    try:
        node = loader.get_single_node()
        if node is None:
            return _located(LineMap(), first_line)
        return _Builder(loader, lines, max_size=EXPANSION * len(text) + EXPANSION_ALLOWANCE).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = _telling_mark(exc)
        line = lines.at(mark.index) if mark else first_line
        raise FrontMatterError(line, f"invalid YAML: {_explain(exc, text, mark)}") from None
    except ReaderError as exc:
        line = lines.at(exc.position)
        raise FrontMatterError(
            line, f"invalid character {chr(exc.character)!r} (U+{exc.character:04X}): remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, f"invalid YAML: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()


def _telling_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where to point: the problem, except when the text simply ran out inside something opened earlier.

    A quote or bracket that is never closed makes libyaml stop at the end of
    the front matter ('found unexpected end of stream'); the line to fix is
    where the quoted value or list began.
    """
    if exc.context_mark is not None and (exc.problem_mark is None or "end of stream" in (exc.problem or "")):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _explain(exc: yaml.MarkedYAMLError, text: str, mark: yaml.Mark | None) -> str:
    """libyaml's message on one line, with what to do about the mistakes people make most."""
    problem = exc.problem or exc.context or "cannot parse"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return "found a tab character where indentation is expected: indent with spaces, not tabs"
    if mark is exc.context_mark and exc.context and exc.problem:
        problem = f"{exc.problem} {exc.context} that starts on this line"
    hint = next((h for start, h in YAML_HINTS.items() if problem.startswith(start)), None)
    return _one_line(f"{problem} ({hint})" if hint else problem)


def _one_line(message: str) -> str:
    """A message on one line: PyYAML appends '  in "<unicode string>", line N' on lines of its own."""
    return " ".join(
        part.strip() for part in message.split("\n") if part.strip() and ' in "<unicode string>"' not in f" {part}"
    )


def _check_depth(text: str, first_line: int) -> None:
    """Refuse absurd nesting before libyaml sees it: its composer recurses without a limit.

    Block nesting is bounded by indentation (and '- ' markers); flow nesting
    by open brackets, counted only when there are enough to matter.
    """
    flow_possible = text.count("[") + text.count("{") > MAX_DEPTH
    depth = 0
    for number, line in enumerate(text.splitlines(), start=first_line):
        block = (len(line) - len(line.lstrip(" -"))) // 2
        if flow_possible:
            for char in line:
                depth += (char in "[{") - (char in "]}")
                if block + depth > MAX_DEPTH:
                    break
        if block + max(depth, 0) > MAX_DEPTH:
            raise FrontMatterError(number, f"values are nested more than {MAX_DEPTH} levels deep")


def _located(value: Any, line: int) -> Any:
    value.line = line
    if isinstance(value, LineMap):
        value.key_lines = {}
    else:
        value.item_lines = []
    return value


class _LineCounter:
    """Line numbers as editors count them (libyaml's own also count U+2028, U+2029 and NEL)."""

    def __init__(self, text: str, first_line: int):
        self.first_line = first_line
        self.ends = [match.end() for match in LINE_BREAK.finditer(text)]

    def at(self, index: int) -> int:
        return self.first_line + bisect_right(self.ends, index)


class _Builder:
    """Turns a YAML node tree into LineMap / LineList / scalars, measuring what aliases expand to.

    Each value built costs one, plus the length of its text: an alias
    repeats the whole value it names, so this bounds both alias bombs with
    many small values and few aliases of one huge text.
    """

    def __init__(self, loader: Any, lines: _LineCounter, max_size: int):
        self.loader = loader
        self.lines = lines
        self.size = 0
        self.max_size = max_size
        self.open: set[int] = set()  # collections being built: an alias to one of them is a cycle

    def line(self, node: yaml.Node) -> int:
        return self.lines.at(node.start_mark.index)

    def build(self, node: yaml.Node) -> Any:
        self.size += 1 if isinstance(node, yaml.CollectionNode) else 1 + len(node.value)
        if self.size > self.max_size:
            raise FrontMatterError(
                self.line(node),
                f"YAML aliases expand this front matter to more than {self.max_size:,} characters: "
                "write the values out instead of repeating aliases",
            )
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.open:
                raise FrontMatterError(
                    self.line(node), "a YAML alias refers to a value that contains it: remove the alias"
                )
            self.open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self.mapping(node)
                assert isinstance(node, yaml.SequenceNode)  # the only other kind of collection
                return self.sequence(node)
            finally:
                self.open.discard(id(node))
        if node.tag in (TIMESTAMP_TAG, STRING_TAG):
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or exc.context or "cannot read it"
            raise FrontMatterError(self.line(node), f"invalid value {node.value!r}: {_one_line(problem)}") from None
        except (yaml.YAMLError, ValueError) as exc:
            raise FrontMatterError(self.line(node), f"invalid value {node.value!r}: {_one_line(str(exc))}") from None

    def sequence(self, node: yaml.SequenceNode) -> LineList:
        result = _located(LineList(), self.line(node))
        for item in node.value:
            result.append(self.build(item))
            result.item_lines.append(self.line(item))
        return result

    def mapping(self, node: yaml.MappingNode) -> LineMap:
        result = _located(LineMap(), self.line(node))
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                raise FrontMatterError(
                    self.line(key_node), "YAML merge keys ('<<') are not supported: write the keys out"
                )
            key = self.build(key_node)
            if not isinstance(key, (str, int, float, bool)) or not str(key).isprintable():
                raise FrontMatterError(self.line(key_node), "a key must be a plain word")
            if key in result:
                first = result.key_lines[key]
                raise FrontMatterError(self.line(key_node), f"duplicate key '{key}' (first given on line {first})")
            result[key] = self.build(value_node)
            result.key_lines[key] = self.line(key_node)
        return result
