"""``sitegen build``: validate a site and write it to its output folder."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.finding import incident_files
from sitegen.build import build_site
from sitegen.commands.options import now_option, site_argument, verbosity
from sitegen.commands.progress import Progress
from sitegen.commands.reporting import Command, on_interrupt, say, warning_lines
from sitegen.content.source_files import INCIDENTS_DIR, WRITEUPS_DIR
from sitegen.errors import OutputError, display_path
from sitegen.output.cache import DIRECTORY_VARIABLE
from sitegen.views.formatting import count_label


@click.command(cls=Command)
@site_argument()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Folder to write the site to.  [default: SITE/public]"
)
@click.option("--base-url", help="Publish at this URL instead of [site] base_url (e.g. for a preview).")
@now_option("Build")
@click.option("--force", is_flag=True, help="Replace the output folder even if sitegen did not write it.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar=DIRECTORY_VARIABLE,
    show_envvar=True,
    help="Keep what a rebuild reuses here, one folder per output; never inside the site's repository.  "
    "[default: the user's cache folder, ~/.cache/sitegen]",
)
def build(
    site: Path, output: Path | None, base_url: str | None, now: datetime, force: bool, cache_dir: Path | None
) -> None:
    """Build the site in SITE (default: this folder) into SITE/public.

    On a terminal a status line shows what the build is doing; -q prints
    only warnings and errors, -v every warning in full.

    \b
    Examples:
      sitegen build
      sitegen build path/to/site -o out/
      sitegen build --base-url http://localhost:8000/ --now 2026-01-01T00:00:00Z
    """
    started = time.perf_counter()
    out_dir = output if output is not None else site / "public"
    on_interrupt(f"interrupted: nothing was written, and {display_path(out_dir)}/ is as it was")
    _check_parents(out_dir)
    with Progress.on_terminal() as progress:
        progress.phase(f"Building {_contents(site)} into {display_path(out_dir)}/")
        result = build_site(
            site,
            out_dir,
            now=now,
            base_url=base_url,
            force=force,
            cache_dir=cache_dir,
            on_wait=lambda: say(f"Waiting for another build into {display_path(out_dir)}/ to end...", err=True),
        )
    seconds = time.perf_counter() - started
    say(*map(str, warning_lines(result.warnings, every=verbosity() > 0)), err=True)
    if verbosity() >= 0:
        say(
            f"Built {count_label(len(result.site.incidents), 'incident')} and "
            f"{count_label(len(result.site.writeups), 'write-up')} "
            f"into {display_path(out_dir)}/ ({result.files} files, {seconds:.2f} s)"
        )


def _contents(site: Path) -> str:
    """'1,204 incidents and 12 write-ups', counted from the file names (reading them is the build's work)."""
    incidents, writeups = (len(incident_files(site / folder)) for folder in (INCIDENTS_DIR, WRITEUPS_DIR))
    return f"{count_label(incidents, 'incident')} and {count_label(writeups, 'write-up')}"


def _check_parents(out_dir: Path) -> None:
    """A file where the output's parent folder would be: say so, rather than 'File exists' or 'Not a directory'."""
    for parent in out_dir.absolute().parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot write the site to {display_path(out_dir)}: {display_path(parent)} is a file")
