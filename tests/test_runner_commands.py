"""No content can command the CI runner through what sitegen prints, whatever the command.

A GitHub Actions runner executes an output line that starts with '::'
(after spaces) and, in its legacy form, any '##[command]' anywhere in a
line (actions/runner#4692). Titles, bodies, values and file names come from
pull requests; every command prints them through one sanitiser
(``sitegen.errors.one_line``, printed only by ``reporting.say``), and these
tests attack it through each command that prints content.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import incident
from test_notify_support import Recorder, Story, recorder

from sitegen.commands.main import main
from sitegen.errors import one_line

HOSTILE_TITLE = '"::add-mask::hidden ##[set-output name=x]y"'
HOSTILE_BODY = "|-\n      ::warning::pwned\n        ::error::pwned too\n      see ##[error]pwned"
NOW = "2026-11-28T12:00:00Z"
SLACK = 'name = "ops"\ntype = "slack"\nurl_env = "SLACK_URL"'


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def runner_commands(output: str) -> list[str]:
    """The lines of ``output`` a runner would execute."""
    return [line for line in output.splitlines() if line.lstrip().startswith("::") or "##[" in line]


HOSTILE_UPDATES = f"""\
  - at: 2026-11-27T10:00:00Z
    status: investigating
    body: {HOSTILE_BODY}
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("::add-mask::x", "\\x3a:add-mask::x"),
        ("   ::error::x", "   \\x3a:error::x"),
        ("\t::error::x", "\\t::error::x"),  # a tab is escaped first: the line starts with '\'
        ("a ##[set-output name=x]y", "a #\\x23[set-output name=x]y"),
        ("###[x]", "##\\x23[x]"),
        ("a::b and # #[ and ##", "a::b and # #[ and ##"),
    ],
)
def test_a_workflow_command_in_a_line_is_disarmed_wherever_it_stands(text: str, expected: str) -> None:
    assert one_line(text) == expected
    assert one_line(expected) == expected  # printing a message built from a printed one changes nothing


def test_notify_does_not_let_a_title_or_a_body_command_the_runner(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow(("content/incidents/2026-11-27-hostile.md", incident(HOSTILE_TITLE, updates=HOSTILE_UPDATES)))
    dry = story.announce({}, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "pwned" in dry.output and "hidden" in dry.output  # the attack was printed, disarmed
    assert runner_commands(dry.output) == []
    sent = story.announce({"SLACK_URL": server.url()})
    assert sent.exit_code == 0, sent.output
    assert "hidden" in sent.output
    assert runner_commands(sent.output) == []


def test_check_and_build_do_not_pass_a_legacy_runner_command_in_a_value(make_site, tmp_path: Path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident(extra='impact: "x ##[add-mask]secret"\n')})
    check = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(main, ["check", str(site), "--now", NOW])
    assert check.exit_code == 1 and "add-mask" in check.output
    ours = [line for line in check.output.splitlines() if line.startswith("::error")]
    assert len(ours) == 1  # the annotation sitegen makes is kept, with the value disarmed in it
    assert runner_commands(check.output) == ours and "##[" not in ours[0]
    build = CliRunner().invoke(main, ["build", str(site), "-o", str(tmp_path / "out"), "--now", NOW])
    assert build.exit_code == 1 and "add-mask" in build.output
    assert runner_commands(build.output) == []


def test_list_does_not_let_an_open_incidents_title_command_the_runner(make_site) -> None:
    updates = "  - at: 2026-11-28T10:00:00Z\n    status: investigating\n    body: Looking.\n"
    site = make_site({"content/incidents/2026-11-28-a.md": incident(HOSTILE_TITLE, updates=updates)})
    result = CliRunner().invoke(main, ["list", str(site), "--now", NOW])
    assert result.exit_code == 0 and "hidden" in result.output
    assert runner_commands(result.output) == []
