"""Fields: typed getters that report problems, with one 'did every field pass' check per mapping."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from sitegen.content.fields import Fields
from sitegen.content.frontmatter import parse_yaml
from sitegen.content.settings import SITE
from sitegen.errors import Problems

PATH = Path("x.md")


def fields_of(text: str, **kwargs: Any) -> tuple[Fields, Problems]:
    problems = Problems()
    return Fields(problems, PATH, parse_yaml(text), what="x", **kwargs), problems


def test_getters_return_their_type_and_defaults_from_the_settings_table() -> None:
    fields, problems = fields_of("title: Status\nbase_url: https://a.example/\n", settings=SITE)
    assert fields.text("title") == "Status"
    assert fields.text("timezone") == "UTC"
    assert fields.integer("history_page_size") == 50
    assert fields.passed and not problems.items


def test_a_wrong_value_is_reported_on_its_line_and_fails_the_mapping() -> None:
    fields, problems = fields_of("title: Status\nfeed_entries: many\n", settings=SITE)
    assert fields.integer("feed_entries") == 50  # the stand-in keeps the caller going
    assert not fields.passed
    assert [(p.line, p.message) for p in problems.items] == [
        (2, "'feed_entries' must be a whole number of at least 1, not 'many'")
    ]


def test_a_required_setting_left_out_is_reported() -> None:
    fields, problems = fields_of("timezone: UTC\n", settings=SITE)
    assert fields.text("title") == ""
    assert not fields.passed
    assert [p.message for p in problems.items] == ["x has no 'title': it is required"]


def test_a_problem_in_a_nested_mapping_fails_its_parent_too() -> None:
    fields, problems = fields_of("updates:\n  - at: soon\n", allowed=["updates"])
    (item,) = fields.list_of("updates")
    update = fields.nested(item, what="this update", allowed=["at"])
    assert update.time("at", UTC) is None
    assert not update.passed and not fields.passed
    assert problems.items[0].line == 2
