"""A theme from a pull request cannot keep a build (or the PR job's ``sitegen check``) busy or full without end.

Each hostile template below is put in a site's theme and checked through
the command line: the check ends quickly, with one line naming the theme
file and line, and no traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, incident

from sitegen.commands.main import main
from sitegen.views import template_budget

THEMED = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "pr"')
FOOTER = "themes/pr/templates/partials/footer-extra.html"


def check_with_footer(make_site, template: str, *, at: str = "footer-extra.html:2") -> list[str]:
    site = make_site({FOOTER: f"<p>\n{template}</p>", "content/incidents/2026-11-20-a.md": incident()}, config=THEMED)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["check", str(site), "--now", "2026-11-28T12:00:00Z"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.output.splitlines() if "template error" in line]
    assert errors and "Traceback" not in result.output
    assert all(line.split(": template error")[0].split("/")[-1].startswith(at) for line in errors), errors
    return errors


@pytest.mark.parametrize(
    "template, message",
    [
        ("{% for i in range(10**9) %}{% endfor %}", "range() of 1,000,000,000 numbers is more than a page may"),
        ("{{ 'x' * 10**10 }}", "makes a text or list of 10,000,000,000 characters"),
        ("{{ ['x'] * 10**10 }}", "makes a text or list of 10,000,000,000 characters"),
        ("{{ 'x'|center(10**10) }}", "asks for a text 10,000,000,000 wide"),
        ("{{ 'x'.rjust(10**10) }}", "asks for a text 10,000,000,000 wide"),
        ("{{ 7 ** 100000000 }}", "raises a number to a power"),
        ("{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}", "calls itself without end"),
    ],
)
def test_a_theme_cannot_make_a_page_without_end(make_site, template: str, message: str) -> None:
    errors = check_with_footer(make_site, template)
    assert message in errors[0]


def test_nested_loops_stop_at_the_step_budget(make_site, monkeypatch) -> None:
    monkeypatch.setattr(template_budget, "LIMITS", template_budget.Limits(steps=200_000))
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    errors = check_with_footer(make_site, loops)
    assert "more than 200,000 steps" in errors[0]


def test_loops_over_the_sites_records_stop_at_the_time_budget(make_site, monkeypatch) -> None:
    monkeypatch.setattr(template_budget, "LIMITS", template_budget.Limits(seconds=0.5))
    loops = "{% for a in range(10000) %}{% for b in range(10000) %}{{ b.real }}{% endfor %}{% endfor %}"
    errors = check_with_footer(make_site, loops)
    assert "worked more than 0.5 s on one page" in errors[0]


def test_a_string_built_up_in_a_loop_stops_at_the_text_budget(make_site, monkeypatch) -> None:
    monkeypatch.setattr(template_budget, "LIMITS", template_budget.Limits(chars=10_000))
    loops = "{% for i in range(5000) %}{{ 'x' * 9000 }}{% endfor %}"
    errors = check_with_footer(make_site, loops)
    assert "made more than 100,000 characters of text for one page" in errors[0]


def test_the_default_theme_renders_within_the_budget(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    result = CliRunner().invoke(
        main, ["build", str(site), "-o", str(tmp_path / "out"), "--now", "2026-11-28T12:00:00Z"]
    )
    assert result.exit_code == 0, result.output


def test_running_out_of_memory_in_a_theme_is_one_line(make_site) -> None:
    """Under a 400 MB address space, ten lists of 4.9 million items (each within the budget) exhaust memory."""
    lists = ", ".join(f"[{n}] * 4900000" for n in range(10))
    template = f"{{% set rows = [{lists}] %}}{{{{ rows|length }}}}"
    site = make_site({FOOTER: f"<p>\n{template}</p>", "content/incidents/2026-11-20-a.md": incident()}, config=THEMED)
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20));"
        "from sitegen.commands.main import main;"
        "sys.argv = ['sitegen', 'check', sys.argv[1], '--now', '2026-11-28T12:00:00Z']; main()"
    )
    result = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "footer-extra.html:2: template error while rendering the front page: the template ran out of memory" in (
        result.stdout
    )


def test_a_text_doubled_with_tilde_in_a_loop_stops_at_the_text_budget(make_site, monkeypatch) -> None:
    monkeypatch.setattr(template_budget, "LIMITS", template_budget.Limits(chars=1_000_000))
    doubling = "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    errors = check_with_footer(make_site, doubling)
    assert "characters" in errors[0]


def test_one_large_text_output_a_million_times_stops_at_the_text_budget(make_site) -> None:
    loops = "{% set s = 'x' * 5000000 %}{% for i in range(1000000) %}{{ s }}{% endfor %}"
    errors = check_with_footer(make_site, loops, at="base.html:")  # output piles up at the page's include
    assert "made more than 50,000,000 characters of text for one page" in errors[0]
