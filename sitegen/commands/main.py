"""The ``sitegen`` command line: one group gathering the subcommands of ``sitegen.commands``."""

from __future__ import annotations

import atexit
import gc
import importlib

import click

from sitegen import __version__
from sitegen.commands.options import verbosity_options

SUBCOMMANDS = {
    "build": ("build", "build"),
    "check": ("check", "check"),
    "import": ("import_", "import_"),
    "init": ("init", "init"),
    "list": ("list_", "list_"),
    "new": ("new", "new"),
    "notify": ("notify", "notify"),
    "resolve": ("update", "resolve"),
    "serve": ("serve", "serve"),
    "update": ("update", "update"),
    "upgrade": ("upgrade", "upgrade"),
}
"""Each subcommand's module in sitegen.commands, and its function there."""
GC_THRESHOLD = (100_000, 50, 100)
"""The cyclic collector's thresholds for a command's run (Python's are 700, 10, 10).

A build makes a few million objects that live until it ends (records, pages,
their fragments) and almost no reference cycles; with Python's thresholds
the collector scans them over and over, a quarter of a rebuild's time. A
command is a short-lived process: collecting seldom costs little memory.
"""


class LazyGroup(click.Group):
    """Imports a subcommand's module only when it runs: ``sitegen update`` need not load the renderer."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module, function = SUBCOMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"sitegen.commands.{module}"), function)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
@verbosity_options
def main() -> None:
    """Build a static status page and incident history from Markdown files.

    Shell completion (of commands, options, incident slugs, component ids
    and statuses): see 'Shell completion' in docs/cli.md, e.g. for bash
    eval "$(_SITEGEN_COMPLETE=bash_source sitegen)".
    """
    gc.set_threshold(*GC_THRESHOLD)
    atexit.unregister(freeze_at_exit)  # once however many commands a process runs (the tests run many)
    atexit.register(freeze_at_exit)


def freeze_at_exit() -> None:
    """Spare the interpreter's last collections the objects a command leaves: it is exiting, they all go.

    Python collects cycles once more as it shuts down, over every object
    still alive: after a large build, a second of a rebuild's five. Frozen
    objects are left out of that pass; they are still freed, and files are
    still flushed and closed as usual.
    """
    gc.freeze()
