"""Markdown bodies in each channel's markup: formatting kept where the channel has it, content escaped."""

from __future__ import annotations

import pytest

from sitegen.notify.markup import DISCORD, PLAIN, SLACK, TEAMS, Dialect, clip, convert, literal

BODY = """\
We **fixed** the _cache_ ~~mostly~~, see [the notes](https://example.com/a?b=1) and `x < y`.
Still wrapped.

- first
- second
  1. nested

> quoted
"""


def test_slack_mrkdwn() -> None:
    assert convert(BODY, SLACK) == (
        "We *fixed* the _cache_ ~mostly~, see <https://example.com/a?b=1|the notes> and `x &lt; y`. Still wrapped.\n\n"
        "• first\n• second\n   1. nested\n\n> quoted"
    )


def test_discord_markdown() -> None:
    assert convert(BODY, DISCORD) == (
        r"We **fixed** the *cache* ~~mostly~~, see [the notes](https://example.com/a?b=1) and `x < y`. Still wrapped."
        "\n\n- first\n- second\n   1. nested\n\n> quoted"
    )


def test_teams_subset_drops_what_cards_cannot_show() -> None:
    assert convert(BODY, TEAMS) == (
        r"We **fixed** the _cache_ mostly, see [the notes](https://example.com/a?b=1) and x \< y. Still wrapped."
        "\n\n- first\n- second\n   1. nested\n\nquoted"
    )


def test_plain_text_spells_links_out() -> None:
    assert convert(BODY, PLAIN).splitlines()[0] == (
        "We fixed the cache mostly, see the notes (https://example.com/a?b=1) and x < y. Still wrapped."
    )


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (SLACK, "&lt;!channel&gt; &lt;@U123&gt; &amp; *not bold*"),
        (DISCORD, r"\<!channel\> \<\@U123\> & \*not bold\*"),
        (TEAMS, r"\<!channel\> \<@U123\> \& \*not bold\*"),
    ],
)
def test_text_from_the_content_cannot_mention_or_format(dialect: Dialect, expected: str) -> None:
    assert convert(r"<!channel> <@U123> &amp; \*not bold\*", dialect) == expected


def test_raw_html_and_unsafe_links_stay_text() -> None:
    text = "<script>alert(1)</script> [x](javascript:alert(1))"
    assert "<script>" not in convert(text, SLACK)
    assert r"\[x\]\(javascript:alert\(1\)\)" in convert(text, DISCORD)  # shown as text, escaped
    assert convert("[x](javascript:alert(1))", SLACK) == "[x](javascript:alert(1))"


def test_code_blocks_and_headings() -> None:
    text = "# Title\n\n```\na <b>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert convert(text, SLACK) == "*Title*\n\n```\na &lt;b&gt;\n```\n\na | b\n1 | 2"
    assert convert(text, PLAIN) == "Title\n\n    a <b>\n\na | b\n1 | 2"


def test_clip_and_literal() -> None:
    assert clip("short", 10) == "short"
    assert clip("one two three four five", 20) == "one two three four…"
    assert len(clip("x" * 50, 20)) == 20
    assert convert(literal("*a* [b](c) _d_"), DISCORD) == r"\*a\* \[b\]\(c\) \_d\_"
