"""``sitegen upgrade``: move a site to the sitegen that runs the command, by replacing the wheel it carries."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.authoring.pinning import REQUIREMENTS, upgrade_site
from sitegen.commands.options import site_argument
from sitegen.commands.reporting import Command, inform
from sitegen.errors import display_path


@click.command(cls=Command)
@site_argument()
def upgrade(site: Path) -> None:
    """Make SITE (default: this folder) install the sitegen you are running.

    A site made by sitegen init carries sitegen's wheel in .sitegen/, and its
    requirements.txt installs that wheel, checked against its hash. This
    command writes the wheel of the sitegen running it in its place and
    updates the hash; commit both, and the workflows use it from then on.

    \b
    Examples:
      pip install --upgrade sitegen-status && sitegen upgrade
      sitegen upgrade path/to/site
    """
    done = upgrade_site(site)
    where = display_path(site / REQUIREMENTS)
    if done.changed:
        inform(f"Upgraded the site from sitegen {done.before} to {done.after}: commit {where} and .sitegen/.")
    else:
        inform(f"The site already installs this sitegen ({done.after}); nothing changed.")
