"""The ``sitegen`` command line: one group gathering the subcommands of ``sitegen.commands``."""

from __future__ import annotations

import click

from sitegen import __version__
from sitegen.commands.build import build


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """Build a static status page and incident history from Markdown files."""


main.add_command(build)
