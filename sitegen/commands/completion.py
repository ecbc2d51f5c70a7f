"""Shell completion of what the on-call commands take: incident slugs, component ids and statuses.

click calls these while the user presses Tab (see docs/cli.md for turning
completion on). They read the site named so far on the command line, or
the current folder, and never fail: a site that does not load completes
nothing rather than printing an error into the shell.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from sitegen.authoring.finding import incident_files, summarise
from sitegen.content.config import load_config
from sitegen.content.source_files import INCIDENTS_DIR
from sitegen.content.statuses import STATUSES_OF_KIND, ComponentStatus, Kind, UpdateStatus
from sitegen.errors import Problems


def complete_slugs(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Incident slugs holding what was typed, open ones only unless --all was given; the title as help."""
    folder = _site(ctx) / INCIDENTS_DIR
    wanted = incomplete.lower()
    every = bool(ctx.params.get("include_closed"))
    items = []
    for path in incident_files(folder):
        if wanted in path.stem:
            summary = summarise(path, UTC)
            if every or not summary.closed:
                items.append((not path.stem.startswith(wanted), CompletionItem(path.stem, help=summary.title)))
    return [item for _, item in sorted(items, key=lambda pair: (pair[0], pair[1].value))]


def complete_components(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``ID=`` for the component ids of sitegen.toml, then ``ID=STATUS`` once the '=' is typed."""
    cid, sep, status = incomplete.partition("=")
    if sep:
        return [CompletionItem(f"{cid}={s.value}") for s in ComponentStatus if s.value.startswith(status)]
    components = load_config(_site(ctx), Problems())[1]
    return [CompletionItem(f"{c.id}=", help=c.name) for c in components or () if c.id.startswith(cid)]


def complete_statuses(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The update statuses of the file's kind: of the incident SLUG names, or of --kind for a new one."""
    kind = _kind(ctx)
    statuses = STATUSES_OF_KIND[kind] if kind is not None else tuple(UpdateStatus)
    return [CompletionItem(s.value) for s in statuses if s.value.startswith(incomplete)]


def _kind(ctx: click.Context) -> Kind | None:
    if isinstance(ctx.params.get("kind"), str):
        return Kind(ctx.params["kind"])
    slug = ctx.params.get("slug") or (ctx.args[0] if ctx.args else None)  # unparsed while an option is completed
    if isinstance(slug, str):
        for path in incident_files(_site(ctx) / INCIDENTS_DIR):
            if path.stem == slug or path.stem.startswith(slug):
                return summarise(path, UTC).kind
    return None


def _site(ctx: click.Context) -> Path:
    for name in ("site_opt", "site_arg", "site"):
        value = ctx.params.get(name)
        if isinstance(value, Path | str):
            return Path(value)
    return Path(".")
