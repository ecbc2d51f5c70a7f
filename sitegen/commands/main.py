"""The ``sitegen`` command line: one group gathering the subcommands of ``sitegen.commands``."""

from __future__ import annotations

import click

from sitegen import __version__
from sitegen.commands.build import build
from sitegen.commands.check import check
from sitegen.commands.init import init
from sitegen.commands.new import new
from sitegen.commands.serve import serve
from sitegen.commands.update import resolve, update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """Build a static status page and incident history from Markdown files."""


main.add_command(build)
main.add_command(check)
main.add_command(serve)
main.add_command(init)
main.add_command(new)
main.add_command(update)
main.add_command(resolve)
