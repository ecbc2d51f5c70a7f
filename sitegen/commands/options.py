"""The arguments and options several commands take, each declared once, so that each reads and fails alike.

``--now`` is parsed here, with ``$SOURCE_DATE_EPOCH`` standing in for it,
before the command runs: a bad value is a usage error (status 2) in every
command, and the command gets an aware ``datetime``.

The site is named the same way everywhere: as the optional positional SITE
(after the command's own arguments) or with ``--site DIR``, whichever reads
better in a script.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from sitegen.commands.completion import complete_components, complete_slugs, complete_statuses
from sitegen.content.times import parse_now

F = TypeVar("F", bound=Callable[..., Any])
EPOCH = "SOURCE_DATE_EPOCH"
VERBOSITY = "sitegen.verbosity"
"""The key, in the context's ``meta`` (shared by the group and its command), of -q (-1) or -v (1)."""
SITE_HELP = "The site folder (holding sitegen.toml), as SITE or with --site.  [default: this folder]"


def site_argument(*, exists: bool = True) -> Callable[[F], F]:
    """[SITE] after the command's own arguments, or ``--site DIR``: the command gets ``site``, a Path.

    Giving both, naming two folders, is a usage error. With ``exists`` (the
    default) a folder that is not there is one too, with a hint for the
    usual cause: an unquoted title whose second word was taken for SITE.
    """
    folder = click.Path(path_type=Path)  # checked by _one_site, so that init can say more of a file in the way

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, site_arg: Path | None, site_opt: Path | None, **kwargs: Any) -> Any:
            return func(*args, site=_one_site(site_arg, site_opt, exists=exists), **kwargs)

        with_argument = click.argument("site_arg", metavar="[SITE]", required=False, type=folder)(command)
        return cast(F, click.option("--site", "site_opt", metavar="DIR", type=folder, help=SITE_HELP)(with_argument))

    return decorate


def _one_site(positional: Path | None, option: Path | None, *, exists: bool) -> Path:
    if positional is not None and option is not None and positional.resolve() != option.resolve():
        raise click.UsageError(f"the site is given twice, as {positional} and with --site {option}: give it once")
    site = option if option is not None else positional if positional is not None else Path(".")
    if exists and not site.is_dir():
        what = f"{site} is a file, not a folder" if site.exists() else f"there is no folder {site}"
        hint = " (if it is part of a title, put the title in quotes)" if positional is not None else ""
        raise click.BadParameter(what + hint, param_hint="SITE")
    return site


site_option = click.option(
    "--site",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding sitegen.toml).",
)
"""Only ``--site``, for a command whose positional arguments leave no room for SITE."""


def now_option(action: str, *, clock_at_each_build: bool = False) -> Callable[[F], F]:
    """``--now TIME``, passed to the command as a UTC ``datetime``: --now, else $SOURCE_DATE_EPOCH, else the clock.

    ``action`` starts the help ("Build" as if it were this time). With
    ``clock_at_each_build`` the command gets None when neither is given, to
    read the clock itself each time it builds.
    """
    clock = "the clock at each build" if clock_at_each_build else "the clock"

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
        epoch = os.environ.get(EPOCH)
        if ctx.resilient_parsing or (clock_at_each_build and not value and not epoch):
            return None
        try:
            return parse_now(value, epoch)
        except ValueError as exc:  # its message says whether --now or $SOURCE_DATE_EPOCH is wrong
            raise click.BadParameter(str(exc), ctx, param) from None

    return click.option(
        "--now",
        metavar="TIME",
        callback=parse,
        help=f"{action} as if it were this time (ISO 8601). Defaults to ${EPOCH}, else {clock}.",
    )


def verbosity_options(func: F) -> F:
    """``-q/--quiet`` (only warnings and errors) and ``-v/--verbose`` (every warning, and more detail)."""

    def remember(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
        def store(ctx: click.Context, param: click.Parameter, value: bool) -> None:
            if value:
                if ctx.meta.get(VERBOSITY, level) != level:
                    raise click.UsageError("-q and -v cannot be combined")
                ctx.meta[VERBOSITY] = level

        return store

    quiet = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=remember(-1), help="Print only warnings and errors."
    )
    verbose = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=remember(1),
        help="Print every warning in full, and more detail.",
    )
    return quiet(verbose(func))


def verbosity() -> int:
    """-1 with -q, 1 with -v, else 0 (also outside a command)."""
    context = click.get_current_context(silent=True)
    return int(context.meta.get(VERBOSITY, 0)) if context is not None else 0


slug_argument = click.argument("slug", shell_complete=complete_slugs)
component_option = click.option(
    "-c",
    "--component",
    "components",
    metavar="ID=STATUS",
    multiple=True,
    shell_complete=complete_components,
    help="An affected component and its status, e.g. api=partial_outage (repeatable). "
    "Statuses: operational, degraded_performance, partial_outage, major_outage, under_maintenance.",
)
body_option = click.option(
    "-m", "--body", metavar="TEXT", help="The update's text (Markdown); '-' reads it from standard input."
)
edit_option = click.option("-e", "--edit", is_flag=True, help="Write the update's text in $EDITOR.")
next_update_option = click.option(
    "--next-update",
    metavar="WAIT|TIME",
    help="Promise the next update by then: a wait such as 30m, 1h or 1h30m, or a time (ISO 8601).",
)
dry_run_option = click.option(
    "-n", "--dry-run", is_flag=True, help="Print the file as it would be written, and write nothing."
)
all_option = click.option(
    "--all",
    "include_closed",
    is_flag=True,
    help="Match resolved incidents and completed maintenance too (by default SLUG matches open ones).",
)


def status_option(*, required: bool = False, default: str | None = None, help: str) -> Callable[[F], F]:
    """``-s/--status``, completed with the statuses an update can have."""
    return click.option(
        "-s",
        "--status",
        required=required,
        default=default,
        show_default=default is not None,
        shell_complete=complete_statuses,
        help=help,
    )
