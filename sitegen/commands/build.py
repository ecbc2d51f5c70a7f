"""``sitegen build``: validate a site and write it to its output folder."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from sitegen.build import build_site
from sitegen.commands.options import now_option, site_argument
from sitegen.commands.reporting import Command, say
from sitegen.errors import display_path
from sitegen.views.formatting import count_label


@click.command(cls=Command)
@site_argument()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Folder to write the site to.  [default: SITE/public]"
)
@click.option("--base-url", help="Publish at this URL instead of [site] base_url (e.g. for a preview).")
@now_option("Build")
@click.option("--force", is_flag=True, help="Replace the output folder even if sitegen did not write it.")
def build(site: Path, output: Path | None, base_url: str | None, now: datetime, force: bool) -> None:
    """Build the site in SITE (default: this folder) into SITE/public.

    \b
    Examples:
      sitegen build
      sitegen build path/to/site -o out/
      sitegen build --base-url http://localhost:8000/ --now 2026-01-01T00:00:00Z
    """
    started = time.perf_counter()
    out_dir = output if output is not None else site / "public"
    result = build_site(site, out_dir, now=now, base_url=base_url, force=force)
    seconds = time.perf_counter() - started
    say(*map(str, result.warnings), err=True)
    say(
        f"Built {count_label(len(result.site.incidents), 'incident')} and "
        f"{count_label(len(result.site.writeups), 'write-up')} "
        f"into {display_path(out_dir)}/ ({result.files} files, {seconds:.2f} s)"
    )
