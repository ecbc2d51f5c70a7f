"""The ``sitegen`` command line: one group gathering the subcommands of ``sitegen.commands``."""

from __future__ import annotations

import click

from sitegen import __version__
from sitegen.commands.build import build
from sitegen.commands.check import check
from sitegen.commands.import_ import import_
from sitegen.commands.init import init
from sitegen.commands.list_ import list_
from sitegen.commands.new import new
from sitegen.commands.notify import notify
from sitegen.commands.options import verbosity_options
from sitegen.commands.serve import serve
from sitegen.commands.update import resolve, update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
@verbosity_options
def main() -> None:
    """Build a static status page and incident history from Markdown files.

    Shell completion (of commands, options, incident slugs, component ids
    and statuses): see 'Shell completion' in docs/cli.md, e.g. for bash
    eval "$(_SITEGEN_COMPLETE=bash_source sitegen)".
    """


main.add_command(build)
main.add_command(check)
main.add_command(serve)
main.add_command(init)
main.add_command(new)
main.add_command(update)
main.add_command(resolve)
main.add_command(list_)
main.add_command(import_)
main.add_command(notify)
