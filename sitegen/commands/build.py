"""``sitegen build``: validate a site and write it to its output folder."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from sitegen.build import build_site
from sitegen.content.times import parse_now
from sitegen.errors import ContentError, OutputError, Problem, display_path
from sitegen.views.formatting import count_label


@click.command()
@click.argument("site", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Folder to write the site to.  [default: SITE/public]"
)
@click.option("--base-url", help="Publish at this URL instead of [site] base_url (e.g. for a preview).")
@click.option(
    "--now",
    metavar="TIME",
    help="Build as if it were this time (ISO 8601). Defaults to $SOURCE_DATE_EPOCH, else the clock.",
)
@click.option("--force", is_flag=True, help="Replace the output folder even if sitegen did not write it.")
def build(site: Path, output: Path | None, base_url: str | None, now: str | None, force: bool) -> None:
    """Build the site in SITE (default: this folder) into SITE/public.

    \b
    Examples:
      sitegen build
      sitegen build path/to/site -o out/
      sitegen build --base-url http://localhost:8000/ --now 2026-01-01T00:00:00Z
    """
    started = time.perf_counter()
    out_dir = output if output is not None else site / "public"
    try:
        moment = parse_now(now, os.environ.get("SOURCE_DATE_EPOCH"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from None
    try:
        result = build_site(site, out_dir, now=moment, base_url=base_url, force=force)
    except ContentError as exc:
        report_problems(exc.problems)
        sys.exit(1)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(
        f"Built {count_label(len(result.site.incidents), 'incident')} and "
        f"{count_label(len(result.site.writeups), 'write-up')} "
        f"into {display_path(out_dir)}/ ({result.files} files, {seconds:.2f} s)"
    )


def report_problems(problems: list[Problem]) -> None:
    """Print problems as path:line: message lines, then a count, on stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{count_label(len(problems), 'error')}; nothing was written.", err=True)
