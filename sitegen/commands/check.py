"""``sitegen check``: validate a site as a build would, and warn about likely mistakes, writing nothing."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.published import Published, is_url, read_published
from sitegen.authoring.templates import check_templates
from sitegen.build import check_site
from sitegen.commands.options import now_option, site_argument, verbosity
from sitegen.commands.progress import Progress
from sitegen.commands.reporting import Command, say, say_workflow_command, warning_lines
from sitegen.content.site import Site
from sitegen.content.warnings import find_warnings, gone_incidents
from sitegen.errors import ContentError, Problem, display_path
from sitegen.views.formatting import count_label


@click.command(cls=Command)
@site_argument()
@now_option("Check")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--published",
    metavar="URL|FILE|DIR",
    help="What is published, to warn about incidents whose files are gone: the live site's URL (its "
    "api/v2/incidents.json is read), that JSON saved as a file, or a built site's folder.  [default: SITE/public]",
)
def check(site: Path, now: datetime, strict: bool, published: str | None) -> None:
    """Check the site in SITE (default: this folder) without writing anything.

    Reports every error a build would stop on, and warnings about likely
    mistakes, as path:line: messages; exits with status 1 on errors (and on
    warnings with --strict). Inside GitHub Actions it also annotates the
    lines of the pull request. Many warnings of one kind are cut to a few
    and a count; -v shows them all.

    \b
    Examples:
      sitegen check
      sitegen check path/to/site --strict
      sitegen check --published https://acme.github.io/status/
    """
    folder, record = _published(site, published)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    loaded: Site | None = None
    try:
        with Progress.on_terminal() as progress:
            progress.phase(f"Checking {display_path(site)}")
            loaded = check_site(site, now=now)
        warnings = find_warnings(loaded, site, published=folder)
        if record is not None:
            warnings = sorted(set(warnings) | set(gone_incidents(loaded, site, record.slugs)))
    except ContentError as exc:  # the errors are what check reports, with the warnings: not a failure to run
        errors = list(exc.problems)
    errors += check_templates(site)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    say(*(record.notes if record is not None else ()), err=True)
    for line in warning_lines(sorted(errors + warnings), every=verbosity() > 0):
        say(str(line))
        if annotate and isinstance(line, Problem):
            say_workflow_command(workflow_command(line))
    failed = bool(errors) or (strict and bool(warnings))
    if verbosity() >= 0 or failed:
        say(_summary(loaded, errors, warnings, strict=strict))
    sys.exit(1 if failed else 0)


def _published(site: Path, published: str | None) -> tuple[Path | None, Published | None]:
    """The previous build's folder, or the record read from the live site or a saved file (one of them, or neither)."""
    if published is None:
        return (site / "public" if (site / "public").is_dir() else None), None
    if is_url(published):
        return None, read_published(published)
    path = Path(published)
    if path.is_dir():
        return path, None
    if path.is_file():
        return None, read_published(published)
    raise click.BadParameter(f"{published} is not a URL, a file or a folder", param_hint="'--published'")


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
