"""Markdown bodies turned into each channel's own markup, with the text escaped for it.

Chat services each speak a different dialect (Slack's mrkdwn has ``*bold*``
and ``<url|text>`` links, Discord and Teams a subset of Markdown, Mastodon
and plain-text mail none at all), so a body is never sent as written: it is
parsed once, with the same parser and link rules as the pages
(:mod:`sitegen.views.markdown`), and written out in the dialect. Text from
the content is escaped so that it cannot form markup of its own, such as a
Slack ``<!channel>`` mention. A link becomes one only when its target is an
absolute http(s) or mailto URL: a message has no page to resolve a relative
target against, and in Slack a target such as ``!here``, ``@U123`` or
``#C123`` would make a mention of the link (``<!here|x>``). Code cannot end
its block early: the backticks in it are replaced by a look-alike.

The services limit their fields (Slack's section to 3000 characters,
Teams' whole card to about 28 KB), so a body is fitted with :func:`fit`: the
Markdown is cut and converted again, never the converted text, so an entity,
a link or a code block is never cut in half.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from markdown_it.token import Token

from sitegen.views.markdown import parse

ELLIPSIS = "…"
LINK_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Dialect:
    """How one channel writes each piece of Markdown; an empty delimiter means it has no such markup."""

    escape: Callable[[str], str]
    code_escape: Callable[[str], str]
    link: Callable[[str, str], str]
    """(text already escaped, URL) -> the link as written."""
    strong: str = ""
    em: str = ""
    strike: str = ""
    code: str = ""
    fence: str = ""
    """Around a code block; empty: the block is indented instead."""
    quote: str = ""
    bullet: str = "- "
    heading: str = ""
    """Around a heading's text (none of the dialects has real headings in a message)."""


def _slack_escape(text: str) -> str:
    """Slack reads only &, < and > as control characters; escaped, no text can mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(text: str, url: str) -> str:
    target = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    return f"<{target}|{text}>" if text else f"<{target}>"


def _backslashed(specials: str) -> Callable[[str], str]:
    """An escape that puts a backslash before each of ``specials`` (CommonMark's way, which these follow)."""
    pattern = re.compile(f"([{re.escape(specials)}])")
    line_start = re.compile(r"^(\s*)([#+-]|\d+\.)(?=\s)", re.M)
    return lambda text: line_start.sub(r"\1\\\2", pattern.sub(r"\\\1", text))


def _markdown_link(text: str, url: str) -> str:
    return f"[{text}]({quote(url, safe=':/?#[]@!$&*+,;=%~')})"


def _plain_link(text: str, url: str) -> str:
    return text if text in (url, url.removeprefix("mailto:")) else f"{text} ({url})"


def _same(text: str) -> str:
    return text


def _no_backticks(text: str) -> str:
    """Code as Slack and Discord show it: a backtick would end the span or the block (no escape works inside), so a
    look-alike stands in."""
    return text.replace("`", "ˋ")


def _slack_code(text: str) -> str:
    return _slack_escape(_no_backticks(text))


SLACK = Dialect(
    _slack_escape, _slack_code, _slack_link, strong="*", em="_", strike="~", code="`", fence="```", quote="> ",
    bullet="• ", heading="*",
)  # fmt: skip
DISCORD = Dialect(
    _backslashed("\\*_~`|<>[]()@"), _no_backticks, _markdown_link, strong="**", em="*",
    strike="~~", code="`", fence="```", quote="> ", heading="**",
)  # fmt: skip
TEAMS = Dialect(
    _backslashed("\\*_~`[]()<>&#"), _backslashed("\\*_~`[]()<>&#"), _markdown_link, strong="**", em="_", heading="**"
)
PLAIN = Dialect(_same, _same, _plain_link, quote="> ")


def convert(markdown: str, dialect: Dialect) -> str:
    """The Markdown text written in ``dialect``: paragraphs apart by a blank line, list items on their own."""
    writer = _Writer(dialect)
    for token in parse(markdown):
        writer.block_token(token)
    return writer.text()


def literal(text: str) -> str:
    """Text to put in Markdown as it is: every ASCII punctuation character backslash-escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def fit(markdown: str, dialect: Dialect, room: int, measure: Callable[[str], int] = len) -> tuple[str, bool]:
    """The Markdown in ``dialect``, cut so that ``measure`` of it is at most ``room``; and whether it was cut.

    The source is cut (by bisection on its length) and converted again, so
    the result is always whole markup; a cut text ends with '…'. A source
    of over four times ``room`` is first cut to that (converted text is
    seldom under a quarter of its source), so a body of a megabyte costs
    what one of a few pages does.
    """
    whole = convert(markdown, dialect)
    if measure(whole) <= room:
        return whole, False
    low, high = 0, min(len(markdown), 4 * room + 4)
    best = ""
    while low < high:
        middle = (low + high + 1) // 2
        text = convert(_cut(markdown, middle), dialect) + ELLIPSIS
        if measure(text) <= room:
            low, best = middle, text
        else:
            high = middle - 1
    return best or clip(ELLIPSIS, room), True


def _cut(markdown: str, length: int) -> str:
    """The first ``length`` characters, back to the last space in the final fifth if there is one."""
    cut = markdown[:length]
    space = cut.rfind(" ")
    return (cut[:space] if space > length * 0.8 else cut).rstrip()


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters: the services refuse longer fields, so the end gives way to '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + ELLIPSIS


class _Writer:
    """Walks markdown-it's block tokens, keeping the list and quote nesting in which each block sits."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect
        self.blocks: list[tuple[str, bool]] = []  # (text, tight: joined to the previous by one line end)
        self.lists: list[list[int]] = []  # per open list: [number of the next item, or -1 for bullets]
        self.marker = ""
        self.quotes = 0
        self.in_heading = False
        self.fresh = False
        self.row: list[str] | None = None
        self.rows = 0

    def block_token(self, token: Token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(str(token.attrGet("start") or 1)) if kind == "ordered_list_open" else -1
            self.fresh = not self.lists  # a list's first item stands apart from the block before the list
            self.lists.append([start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            numbered = self.lists[-1]
            self.marker = self.dialect.bullet if numbered[0] < 0 else f"{numbered[0]}. "
            numbered[0] += 1 if numbered[0] >= 0 else 0
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quotes += 1 if kind == "blockquote_open" else -1
        elif kind in ("heading_open", "heading_close"):
            self.in_heading = kind == "heading_open"
        elif kind in ("table_open", "tr_open"):
            self.rows = 0 if kind == "table_open" else self.rows
            self.row = [] if kind == "tr_open" else None
        elif kind == "tr_close" and self.row is not None:
            self.add(" | ".join(self.row), tight=self.rows > 0)
            self.rows += 1
            self.row = None
        elif kind == "inline":
            self.inline_block(token)
        elif kind in ("fence", "code_block"):
            self.code_block(token.content.rstrip("\n"))
        elif kind == "hr":
            self.add("———")

    def inline_block(self, token: Token) -> None:
        text = self.inline(token.children or [])
        if self.row is not None:
            self.row.append(text)
        elif self.in_heading:
            self.add(f"{self.dialect.heading}{text}{self.dialect.heading}")
        else:
            self.add(text)

    def code_block(self, code: str) -> None:
        d = self.dialect
        if d.fence:
            self.add(f"{d.fence}\n{d.code_escape(code)}\n{d.fence}")
        else:
            self.add("\n".join("    " + line for line in d.code_escape(code).split("\n")))

    def add(self, text: str, *, tight: bool = False) -> None:
        """One block, under the markers of the lists and quotes it is in."""
        indent = "   " * max(len(self.lists) - 1, 0)
        lines = text.split("\n")
        if self.lists:
            first = indent + self.marker
            lines = [first + lines[0]] + [" " * len(first) + line for line in lines[1:]]
            tight, self.fresh, self.marker = not self.fresh, False, ""
        prefix = self.dialect.quote * self.quotes
        self.blocks.append(("\n".join(prefix + line for line in lines), tight))

    def text(self) -> str:
        out = ""
        for number, (block, tight) in enumerate(self.blocks):
            out += ("" if number == 0 else "\n" if tight else "\n\n") + block
        return out.strip("\n")

    def inline(self, children: list[Token]) -> str:
        d = self.dialect
        parts: list[str] = []
        stack: list[tuple[list[str], str]] = []  # an open link's parts before it, and its URL
        marks = {"strong": d.strong, "em": d.em, "s": d.strike}
        for child in children:
            kind = child.type
            if kind == "text":
                parts.append(d.escape(child.content))
            elif kind == "softbreak":
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append("\n")
            elif kind == "code_inline":
                parts.append(f"{d.code}{d.code_escape(child.content)}{d.code}")
            elif kind.endswith(("_open", "_close")) and kind.rsplit("_", 1)[0] in marks:
                parts.append(marks[kind.rsplit("_", 1)[0]])
            elif kind == "link_open":
                stack.append((parts, str(child.attrGet("href") or "")))
                parts = []
            elif kind == "link_close" and stack:
                inner, (parts, url) = "".join(parts), stack.pop()
                parts.append(d.link(inner, url) if _linkable(url) else inner)
            elif kind == "image":
                src = str(child.attrGet("src"))
                alt = d.escape(child.content or src)
                parts.append(d.link(alt, src) if _linkable(src) else alt)
            else:
                parts.append(d.escape(child.content))
        return "".join(parts)


def _linkable(url: str) -> bool:
    """Whether a link target may become a link in a message: an absolute http(s) or mailto URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme in LINK_SCHEMES and bool(parts.netloc or scheme == "mailto")
