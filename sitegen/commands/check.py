"""``sitegen check``: validate a site as a build would, and warn about likely mistakes, writing nothing."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import click

from sitegen.build import render_site
from sitegen.commands.options import now_option, site_argument
from sitegen.commands.reporting import Command, say
from sitegen.content.loader import load_site
from sitegen.content.model import Site
from sitegen.content.warnings import find_warnings
from sitegen.errors import ContentError, Problem, display_path
from sitegen.views.formatting import count_label
from sitegen.views.theme import Theme


@click.command(cls=Command)
@site_argument()
@now_option("Check")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--published",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The previously built site, to warn about incidents whose files are gone.  [default: SITE/public]",
)
def check(site: Path, now: datetime, strict: bool, published: Path | None) -> None:
    """Check the site in SITE (default: this folder) without writing anything.

    Reports every error a build would stop on, and warnings about likely
    mistakes, as path:line: messages; exits with status 1 on errors (and on
    warnings with --strict). Inside GitHub Actions it also annotates the
    lines of the pull request.

    \b
    Examples:
      sitegen check
      sitegen check path/to/site --strict
    """
    if published is None and (site / "public").is_dir():
        published = site / "public"
    errors: list[Problem] = []
    warnings: list[Problem] = []
    loaded: Site | None = None
    try:
        loaded = load_site(site, now=now)
        warnings = find_warnings(loaded, site, published=published)
        render_site(loaded, Theme.for_site(site, loaded.config.theme))
    except ContentError as exc:  # the errors are what check reports, with the warnings: not a failure to run
        errors = list(exc.problems)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(errors + warnings):
        say(str(problem))
        if annotate:
            say(workflow_command(problem))
    failed = bool(errors) or (strict and bool(warnings))
    say(_summary(loaded, errors, warnings, strict=strict))
    sys.exit(1 if failed else 0)


def _summary(site: Site | None, errors: list[Problem], warnings: list[Problem], *, strict: bool) -> str:
    """One line: what was checked and what was found; ``site`` is None when the content did not load."""
    if site is None:
        return f"{count_label(len(errors), 'error')}; warnings are checked once the content loads."
    what = f"Checked {count_label(len(site.incidents), 'incident')} and {count_label(len(site.writeups), 'write-up')}"
    if not errors and not warnings:
        return f"{what}: no problems."
    found = f"{what}: {count_label(len(errors), 'error')}, {count_label(len(warnings), 'warning')}"
    return found + (" (--strict: warnings fail the check)." if strict and warnings and not errors else ".")


def workflow_command(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, so it shows on the pull request's lines.

    The file is relative to the repository ($GITHUB_WORKSPACE, else the
    working folder). Values are escaped as the runner expects (actions/toolkit
    ``escapeData`` / ``escapeProperty``): '%', CR and LF everywhere, and ':'
    and ',' in properties too. A file outside the repository (a template of
    the installed default theme) cannot be annotated, so it goes in the text.
    """
    level = "warning" if problem.warning else "error"
    root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    try:
        relative = Path(os.path.relpath(problem.path.absolute(), root))
    except ValueError:  # another drive on Windows
        relative = None
    if relative is None or relative.parts[:1] == ("..",):
        return f"::{level}::{_escape_data(f'{display_path(problem.path)}:{problem.line}: {problem.message}')}"
    properties = f"file={_escape_property(relative.as_posix())},line={problem.line}"
    return f"::{level} {properties}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
